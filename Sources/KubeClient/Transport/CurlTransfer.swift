import CCurl
import CCurlShim
import FoundationEssentials
import Unstructured

/// One request in flight: owns its curl easy handle, collects the response, and hands it
/// to the waiting task. Everything except `init` runs on the worker thread, which is the
/// only thread touching the handle while it is part of the multi handle.
final class CurlTransfer: @unchecked Sendable {
    enum Delivery {
        case buffered(CheckedContinuation<HTTPResponse, any Error>)
        /// A 2xx head is delivered as soon as the header block is complete, so a watch that
        /// stays quiet still returns; the body stream then gets the bytes as they arrive. Any
        /// other status is delivered at the end with its whole body, for the error decoder.
        case streaming(CheckedContinuation<HTTPStreamingResponse, any Error>)
    }

    let handle: UnsafeMutableRawPointer
    let url: String
    private let delivery: Delivery
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var responseHeaders = HTTPHeaders()
    private var body: [UInt8] = []
    private var stream: (body: AsyncThrowingStream<[UInt8], any Error>, continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation)?
    private var finished = false

    /// Configures the easy handle; throws a `TransportError` when curl rejects an option
    /// (for instance a TLS backend without blob support), before anything is sent.
    init(request: HTTPRequest, security: TransportSecurity, clientCertificate: ClientCertificate?,
         options: TransportOptions, delivery: Delivery) throws(TransportError) {
        guard let handle = curl_easy_init() else {
            throw TransportError(kind: .other, url: request.url, detail: "curl_easy_init failed", code: -1)
        }
        self.handle = handle
        self.url = request.url
        self.delivery = delivery
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request: request, security: security, clientCertificate: clientCertificate, options: options)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        curl_slist_free_all(connectToList)
        errorBuffer.deallocate()
    }

    // MARK: - Setup

    private func configure(request: HTTPRequest, security: TransportSecurity, clientCertificate: ClientCertificate?,
                           options: TransportOptions) throws(TransportError) {
        let target = try RoutedURL(request.url, serverName: security.serverName)
        try set(CURLOPT_URL, target.url)
        if let connectTo = target.connectTo {
            var list: UnsafeMutablePointer<curl_slist>? = nil
            list = curl_slist_append(list, connectTo)
            connectToList = list
            try check(seldon_curl_set_slist(handle, CURLOPT_CONNECT_TO, list))
        }
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        try set(CURLOPT_ACCEPT_ENCODING, "")
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_USERAGENT, options.userAgent)
        try set(CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.milliseconds)
        if let timeout = request.timeout { try set(CURLOPT_TIMEOUT_MS, timeout.milliseconds) }

        switch request.method {
        case "GET": try set(CURLOPT_HTTPGET, 1)
        case "HEAD": try set(CURLOPT_NOBODY, 1)
        default: try set(CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let payload = request.body {
            try set(CURLOPT_POSTFIELDSIZE, payload.count)
            // COPYPOSTFIELDS copies the bytes, so the array may go away after this call.
            try check(payload.withUnsafeBytes { bytes in
                seldon_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS,
                                        UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)))
            })
        }

        var list: UnsafeMutablePointer<curl_slist>? = nil
        for field in request.headers { list = curl_slist_append(list, "\(field.name): \(field.value)") }
        // curl would otherwise add "Expect: 100-continue" to larger bodies and wait for it.
        list = curl_slist_append(list, "Expect:")
        headerList = list
        try check(seldon_curl_set_slist(handle, CURLOPT_HTTPHEADER, list))

        if let ca = security.certificateAuthorityPEM { try setBlob(CURLOPT_CAINFO_BLOB, ca) }
        if security.insecureSkipTLSVerify {
            try set(CURLOPT_SSL_VERIFYPEER, 0)
            try set(CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            try set(CURLOPT_SSL_VERIFYPEER, 1)
            try set(CURLOPT_SSL_VERIFYHOST, 2)
        }
        if let clientCertificate {
            try set(CURLOPT_SSLCERTTYPE, "PEM")
            try setBlob(CURLOPT_SSLCERT_BLOB, clientCertificate.certificatePEM)
            try set(CURLOPT_SSLKEYTYPE, "PEM")
            try setBlob(CURLOPT_SSLKEY_BLOB, clientCertificate.keyPEM)
        }
        if let proxy = security.proxyURL {
            try set(CURLOPT_PROXY, proxy)
            // The proxy's "200 Connection established" must not pass for the server's head.
            try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        }

        let me = Unmanaged.passUnretained(self).toOpaque()
        try check(seldon_curl_set_write_function(handle, CURLOPT_WRITEFUNCTION, curlBodyCallback))
        try set(CURLOPT_WRITEDATA, pointer: me)
        try check(seldon_curl_set_write_function(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback))
        try set(CURLOPT_HEADERDATA, pointer: me)
    }

    private var connectToList: UnsafeMutablePointer<curl_slist>?

    private func set(_ option: CURLoption, _ value: Int) throws(TransportError) {
        try check(seldon_curl_set_long(handle, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws(TransportError) {
        try check(seldon_curl_set_string(handle, option, value))
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws(TransportError) {
        try check(seldon_curl_set_pointer(handle, option, pointer))
    }

    private func setBlob(_ option: CURLoption, _ bytes: [UInt8]) throws(TransportError) {
        try check(bytes.withUnsafeBytes { raw in seldon_curl_set_blob(handle, option, raw.baseAddress, raw.count) })
    }

    private func check(_ code: CURLcode) throws(TransportError) {
        guard code == CURLE_OK else {
            throw TransportError(kind: .other, url: url, detail: String(cString: curl_easy_strerror(code)),
                                 code: Int(code.rawValue))
        }
    }

    // MARK: - Worker-thread callbacks

    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        if line.isEmpty {
            // The end of a header block: 1xx blocks are followed by the real one.
            if !(100..<200).contains(statusCode) { openStreamIfSuccessful() }
        } else if line.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue, or a proxy's CONNECT reply) starts a new header block.
            responseHeaders = HTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            responseHeaders.add(String(line[..<colon].trimmingWhitespace()),
                                String(line[line.index(after: colon)...].trimmingWhitespace()))
        }
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        openStreamIfSuccessful()
        if let stream {
            stream.continuation.yield(Array(bytes))
        } else {
            body.append(contentsOf: bytes)
        }
    }

    /// For a streamed 2xx response, hands the head to the waiting task and starts the body stream (once).
    private func openStreamIfSuccessful() {
        guard case let .streaming(head) = delivery, stream == nil, (200..<300).contains(statusCode) else { return }
        let (body, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let consumerGone = onConsumerGone
        continuation.onTermination = { _ in consumerGone?() }
        stream = (body, continuation)
        head.resume(returning: HTTPStreamingResponse(status: statusCode, headers: responseHeaders,
                                                     connection: connectionInfo, body: body))
    }

    /// Called once by the worker when curl reports the transfer done.
    func complete(_ code: CURLcode) {
        guard !finished else { return }
        finished = true
        if code != CURLE_OK {
            fail(TransportError(curlCode: code, detail: errorMessage(code), url: url))
            return
        }
        switch delivery {
        case let .buffered(continuation):
            continuation.resume(returning: HTTPResponse(status: statusCode, headers: responseHeaders, body: body,
                                                        connection: connectionInfo))
        case let .streaming(head):
            if let stream {
                stream.continuation.finish()
            } else {
                let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
                if !body.isEmpty { continuation.yield(body) }
                continuation.finish()
                head.resume(returning: HTTPStreamingResponse(status: statusCode, headers: responseHeaders,
                                                             connection: connectionInfo, body: stream))
            }
        }
    }

    /// Ends the transfer with `error`, whichever stage it reached.
    func fail(_ error: any Error) {
        finished = true
        switch delivery {
        case let .buffered(continuation): continuation.resume(throwing: error)
        case let .streaming(head):
            if let stream { stream.continuation.finish(throwing: error) } else { head.resume(throwing: error) }
        }
    }

    /// Set before the transfer starts: lets a streamed body's consumer stop the transfer by
    /// walking away from the stream.
    var onConsumerGone: (@Sendable () -> Void)?

    private var statusCode: Int {
        var code = 0
        _ = seldon_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private var connectionInfo: ConnectionInfo {
        var newConnections = 0, version = 0, port = 0
        _ = seldon_curl_get_long(handle, CURLINFO_NUM_CONNECTS, &newConnections)
        _ = seldon_curl_get_long(handle, CURLINFO_HTTP_VERSION, &version)
        _ = seldon_curl_get_long(handle, CURLINFO_LOCAL_PORT, &port)
        let versionText = switch version {
        case CURL_HTTP_VERSION_2_0: "2"
        case CURL_HTTP_VERSION_1_0: "1.0"
        default: "1.1"
        }
        return ConnectionInfo(reused: newConnections == 0, httpVersion: versionText, localPort: port)
    }

    private func errorMessage(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }
}

/// The URL curl should ask for, and how to route it when the certificate name
/// (`tls-server-name`) differs from the address: curl verifies against the URL's host, so
/// the URL carries the certificate name and CURLOPT_CONNECT_TO sends the connection to
/// the real address.
struct RoutedURL {
    var url: String
    var connectTo: String?

    init(_ url: String, serverName: String?) throws(TransportError) {
        guard let serverName else { self.url = url; return }
        guard var components = URLComponents(string: url), let host = components.host else {
            throw TransportError(kind: .other, url: url, detail: "not an absolute URL", code: -1)
        }
        let port = components.port ?? (components.scheme == "http" ? 80 : 443)
        components.host = serverName
        self.url = components.string ?? url
        let target = host.contains(":") ? "[\(host)]" : host
        connectTo = "\(serverName):\(port):\(target):\(port)"
    }
}

extension TransportError {
    init(curlCode code: CURLcode, detail: String, url: String) {
        let kind: Kind = switch code {
        case CURLE_PEER_FAILED_VERIFICATION:
            detail.contains("name") ? .tls : .untrustedServerCertificate
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            .tls
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .hostNotResolved
        case CURLE_COULDNT_CONNECT: .connectionFailed
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_HTTP2,
             CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING:
            .connectionLost
        default: .other
        }
        self.init(kind: kind, url: url, detail: detail, code: Int(code.rawValue))
    }
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

private let curlBodyCallback: curl_write_callback = { pointer, size, count, context in
    guard let context else { return 0 }
    let length = size * count
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.receiveBody(UnsafeRawBufferPointer(start: pointer, count: length))
    return length
}

private let curlHeaderCallback: curl_write_callback = { pointer, size, count, context in
    guard let context else { return 0 }
    let length = size * count
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: pointer, count: length))
    return length
}
