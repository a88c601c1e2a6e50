/// A request that did not produce an HTTP response: the server was never reached, the
/// TLS handshake failed, or the connection broke mid-response.
public struct TransportError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The server's certificate is not signed by a CA we trust. Never retried, and never
        /// answered by silently turning verification off.
        case untrustedServerCertificate
        /// Other TLS failures: handshake, client certificate or key rejected or unreadable.
        case tls
        case hostNotResolved
        case connectionFailed
        case timedOut
        /// The connection closed or broke before the whole response arrived.
        case connectionLost
        case other
    }

    public var kind: Kind
    /// The URL being requested.
    public var url: String
    /// What curl said, verbatim.
    public var detail: String
    /// The curl error code, for bug reports.
    public var code: Int

    /// Whether trying the same request again may succeed: the network may recover, a
    /// certificate problem will not.
    public var isRetriable: Bool {
        switch kind {
        case .hostNotResolved, .connectionFailed, .timedOut, .connectionLost: true
        case .untrustedServerCertificate, .tls, .other: false
        }
    }

    public var description: String {
        switch kind {
        case .untrustedServerCertificate:
            return "TLS: the certificate of \(url) is not signed by a certificate authority this client trusts (\(detail)). "
                + "Set the cluster's certificate-authority-data (or certificate-authority) in the kubeconfig to the CA that "
                + "signed the API server's certificate; only for a disposable test cluster, set insecure-skip-tls-verify: true "
                + "(or pass --insecure-skip-tls-verify). The client never skips verification on its own."
        case .tls: return "TLS failure talking to \(url): \(detail)"
        case .hostNotResolved: return "cannot resolve the host of \(url): \(detail)"
        case .connectionFailed: return "cannot connect to \(url): \(detail)"
        case .timedOut: return "request to \(url) timed out: \(detail)"
        case .connectionLost: return "connection to \(url) broke before the response was complete: \(detail)"
        case .other: return "request to \(url) failed (curl error \(code)): \(detail)"
        }
    }
}
