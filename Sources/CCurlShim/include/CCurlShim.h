// Typed wrappers around libcurl's variadic entry points, which Swift cannot call.
// Each wrapper fixes the argument type, so a wrong option/type pairing is a compile error
// on the Swift side instead of undefined behaviour inside curl.
#ifndef SELDON_CCURL_SHIM_H
#define SELDON_CCURL_SHIM_H

#include <curl/curl.h>
#include <stddef.h>

CURLcode seldon_curl_set_long(CURL *handle, CURLoption option, long value);
CURLcode seldon_curl_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode seldon_curl_set_pointer(CURL *handle, CURLoption option, void *value);
CURLcode seldon_curl_set_slist(CURL *handle, CURLoption option, struct curl_slist *list);
/// Copies `length` bytes into curl (CURL_BLOB_COPY): key material stays in memory and is
/// never written to a temporary file.
CURLcode seldon_curl_set_blob(CURL *handle, CURLoption option, const void *data, size_t length);
CURLcode seldon_curl_set_write_function(CURL *handle, CURLoption option, curl_write_callback callback);

CURLcode seldon_curl_get_long(CURL *handle, CURLINFO info, long *value);
CURLcode seldon_curl_get_pointer(CURL *handle, CURLINFO info, void **value);
CURLcode seldon_curl_get_string(CURL *handle, CURLINFO info, const char **value);

CURLMcode seldon_curl_multi_set_long(CURLM *multi, CURLMoption option, long value);

/// The finished transfer and its result, when `message` reports one (CURLMSG_DONE);
/// hides the union inside CURLMsg.
int seldon_curl_message_done(const CURLMsg *message, CURL **handle, CURLcode *result);

#endif
