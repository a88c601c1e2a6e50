/// Hears of every HTTP exchange a client has with the API server as it ends: each retry,
/// discovery document and watch (once its headers arrive) included. This is where a caller
/// counts requests (client-go's `rest_client_requests_total`); counting above the client
/// would miss the requests the client makes on its own, and see a retried 503 as one
/// success.
public struct RequestObserver: Sendable {
    /// `verb` is the Kubernetes verb (get, list, watch, create, update, update_status, apply,
    /// patch, delete, deletecollection, discovery); `status` the HTTP status, nil when no
    /// answer came (connection refused or broken, timed out, TLS failure).
    public let observe: @Sendable (_ verb: String, _ status: Int?) -> Void

    public init(_ observe: @escaping @Sendable (_ verb: String, _ status: Int?) -> Void) {
        self.observe = observe
    }
}
