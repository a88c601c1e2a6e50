#!/bin/sh
# A client.authentication.k8s.io credential plugin for the tests: prints the token it was
# given in its environment and counts its runs, so tests can see the credential cache work.
echo run >> "$PLUGIN_RUNS"
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n' \
  "$PLUGIN_API_VERSION" "$PLUGIN_TOKEN" "$PLUGIN_EXPIRES"
