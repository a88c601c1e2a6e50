import FoundationEssentials
import Logging
import Unstructured

/// Tuning of a client that does not come from the kubeconfig.
public struct ClientOptions: Sendable {
    public var transport: TransportOptions
    public var retry: RetryPolicy
    /// Client-side rate limit; see `TokenBucket` for why the defaults are high.
    public var qps: Double
    public var burst: Int
    /// The server-side-apply field manager used when a call names none.
    public var fieldManager: String
    /// Told of every request the client sends, retries, discovery and watches included.
    public var requestObserver: RequestObserver?

    public init(transport: TransportOptions = .init(), retry: RetryPolicy = .init(), qps: Double = 200, burst: Int = 400,
                fieldManager: String = "seldon-operator", requestObserver: RequestObserver? = nil) {
        self.transport = transport
        self.retry = retry
        self.qps = qps
        self.burst = burst
        self.fieldManager = fieldManager
        self.requestObserver = requestObserver
    }
}

/// The operator's only way to a cluster: untyped objects (`Value`) in and out, every
/// verb, with discovery, auth, retries, rate limiting and redacted debug logging.
public final class KubeClient: Sendable {
    public let configuration: ClientConfiguration
    public let options: ClientOptions
    let transport: CurlTransport
    let limiter: TokenBucket
    let logger: Logger
    private let mapper: RESTMapper

    public init(configuration: ClientConfiguration, options: ClientOptions = .init(),
                logger: Logger = Logger(label: "seldon-operator.kubeclient")) throws(TransportError) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        transport = try CurlTransport(security: configuration.security, options: options.transport)
        limiter = TokenBucket(qps: options.qps, burst: options.burst)
        let fetch = FetchBox()
        mapper = RESTMapper { path, accept in try await fetch.client?.discover(path, accept: accept) }
        fetch.client = self
    }

    /// The REST mapping of a kind, from discovery.
    public func mapping(for gvk: GroupVersionKind) async throws -> RESTMapping {
        try await mapper.mapping(for: gvk)
    }

    /// Forgets discovery; the next call of each kind asks the server again.
    public func invalidateDiscovery() async { await mapper.invalidate() }

    /// A discovery document; nil when the server does not have it (404) or cannot answer in
    /// any media type `accept` lists (406).
    fileprivate func discover(_ path: String, accept: String) async throws -> DiscoveryReply? {
        let call = Call(verb: "discovery", method: "GET", path: path, accept: accept)
        do {
            guard case let .buffered(reply) = try await perform(call, stream: false) else { return nil }
            return DiscoveryReply(document: try decode(reply, call: call), contentType: reply.headers["Content-Type"] ?? "")
        } catch let error as APIError where error.reason == .notFound || error.code == 406 {
            return nil
        }
    }
}

/// Breaks the init-time cycle between the client and its mapper's fetch closure.
private final class FetchBox: @unchecked Sendable {
    weak var client: KubeClient?
}

// MARK: - Requests

/// One API call before auth, retries and encoding.
struct Call: Sendable {
    /// The Kubernetes verb, as metrics label requests: get, list, watch, create, update,
    /// update_status, apply, patch, delete, deletecollection, discovery.
    var verb: String
    var method: String
    var path: String
    var query: [(String, String)] = []
    var body: Value?
    var contentType = "application/json"
    var accept = "application/json"
    /// The body is bound for the `secrets` resource: redact its data in logs.
    var secretPayload = false

    var description: String { "\(method) \(path)" }

    /// Whether sending the call twice means the same as sending it once: reads, and
    /// server-side apply, whose result depends only on the applied configuration. Such a
    /// call is retried even when a broken connection leaves unknown whether it arrived.
    var isIdempotent: Bool {
        method == "GET" || (method == "PATCH" && contentType == "application/apply-patch+yaml")
    }
}

extension KubeClient {
    /// Sends a call through rate limiting, auth (refreshing once on 401) and retries, and
    /// decodes the JSON answer. Non-2xx answers become `APIError`s.
    func send(_ call: Call) async throws -> Value {
        let response = try await perform(call, stream: false)
        guard case let .buffered(reply) = response else { return .null }
        return try decode(reply, call: call)
    }

    enum Reply {
        case buffered(HTTPResponse)
        case streaming(HTTPStreamingResponse)
    }

    func perform(_ call: Call, stream: Bool) async throws -> Reply {
        var attempt = 0
        var refreshed = false
        while true {
            attempt += 1
            do {
                try await limiter.acquire()
                let credential = try await configuration.credentials.credential(refresh: refreshed && attempt > 1)
                let request = buildRequest(call, credential: credential, streaming: stream)
                logRequest(request, call: call)
                if stream {
                    let reply = try await observed(call, status: \.status) { try await transport.stream(request, clientCertificate: credential.clientCertificate) }
                    logger.debug("← \(reply.status) \(call.description) (\(describe(reply.connection)), streaming)")
                    if (200..<300).contains(reply.status) { return .streaming(reply) }
                    var body: [UInt8] = []
                    for try await piece in reply.body { body += piece }
                    throw failure(status: reply.status, headers: reply.headers, body: body, call: call)
                }
                let reply = try await observed(call, status: \.status) { try await transport.send(request, clientCertificate: credential.clientCertificate) }
                logResponse(reply, call: call)
                if (200..<300).contains(reply.status) { return .buffered(reply) }
                throw failure(status: reply.status, headers: reply.headers, body: reply.body, call: call)
            } catch let error as APIError {
                if error.reason == .unauthorized, !refreshed {
                    // A cached token may have expired or been rotated: ask its source again, once.
                    refreshed = true
                    _ = try await configuration.credentials.credential(refresh: true)
                    continue
                }
                guard error.isRetriable, attempt < options.retry.maxAttempts else { throw error }
                let wait = error.retryAfter.map { min($0, options.retry.maxRetryAfter) }
                    ?? options.retry.backoff.delay(attempt: attempt - 1)
                logger.debug("retrying \(call.description) in \(wait) after \(error.code) \(error.statusReason)")
                try await Task.sleep(for: wait)
            } catch let error as TransportError {
                // A request that may have reached the server is only repeated when repeating is harmless.
                let neverSent = error.kind == .connectionFailed || error.kind == .hostNotResolved
                guard error.isRetriable, neverSent || call.isIdempotent, attempt < options.retry.maxAttempts else {
                    throw error
                }
                let wait = options.retry.backoff.delay(attempt: attempt - 1)
                logger.debug("retrying \(call.description) in \(wait) after \(error.kind)")
                try await Task.sleep(for: wait)
            }
        }
    }

    /// One exchange with the server, reported to the observer with its status, or with none
    /// when no answer came. A cancellation is not a request that failed: it goes unreported.
    private func observed<R>(_ call: Call, status: (R) -> Int, _ exchange: () async throws -> R) async throws -> R {
        guard let observer = options.requestObserver else { return try await exchange() }
        do {
            let reply = try await exchange()
            observer.observe(call.verb, status(reply))
            return reply
        } catch let error as TransportError {
            observer.observe(call.verb, nil)
            throw error
        }
    }

    private func buildRequest(_ call: Call, credential: Credential, streaming: Bool) -> HTTPRequest {
        var url = configuration.server + call.path
        if !call.query.isEmpty {
            var components = URLComponents()
            components.queryItems = call.query.map { URLQueryItem(name: $0.0, value: $0.1) }
            // URLComponents leaves "+" alone, which servers read as a space.
            url += "?" + (components.percentEncodedQuery ?? "").replacing("+", with: "%2B")
        }
        var headers = HTTPHeaders()
        headers.set("Accept", call.accept)
        if let authorization = credential.authorization { headers.set("Authorization", authorization) }
        var body: [UInt8]?
        if let value = call.body {
            headers.set("Content-Type", call.contentType)
            body = Array(JSON.string(value).utf8)
        }
        return HTTPRequest(method: call.method, url: url, headers: headers, body: body,
                           timeout: streaming ? nil : options.transport.requestTimeout)
    }

    func decode(_ reply: HTTPResponse, call: Call) throws -> Value {
        if reply.body.isEmpty { return .null }
        do {
            return try JSON.parse(bytes: reply.body, source: call.description)
        } catch {
            throw MalformedResponseError(request: call.description, status: reply.status,
                                         message: "the body is not JSON (\(error))", excerpt: excerpt(reply.body))
        }
    }

    func failure(status: Int, headers: HTTPHeaders, body: [UInt8], call: Call) -> any Error {
        let parsed = try? JSON.parse(bytes: body, source: call.description)
        if let parsed, parsed["kind"].stringValue == "Status" {
            return APIError(code: status, status: parsed, fallbackMessage: "", retryAfterHeader: headers["Retry-After"],
                            request: call.description)
        }
        if parsed == nil, !body.isEmpty, headers["Content-Type"]?.contains("json") == true {
            return MalformedResponseError(request: call.description, status: status,
                                          message: "the error body claims to be JSON but does not parse (truncated?)",
                                          excerpt: excerpt(body))
        }
        // Not a Status: the plain-text 404 of an unknown group, a proxy's HTML page.
        return APIError(code: status, status: .null, fallbackMessage: excerpt(body),
                        retryAfterHeader: headers["Retry-After"], request: call.description)
    }

    private func excerpt(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(200), as: UTF8.self)
    }

    private func describe(_ connection: ConnectionInfo) -> String {
        "HTTP/\(connection.httpVersion), \(connection.reused ? "reused" : "new") connection, local port \(connection.localPort)"
    }

    private func logRequest(_ request: HTTPRequest, call: Call) {
        guard logger.logLevel <= .debug else { return }
        let headers = request.headers.map { "\($0.name)=\(Redaction.headerValue(name: $0.name, value: $0.value))" }
            .joined(separator: " ")
        var line = "→ \(request.method) \(request.url) [\(headers)]"
        if let body = call.body { line += " " + JSON.string(Redaction.redact(body, secretPayload: call.secretPayload)) }
        logger.debug("\(line)")
    }

    private func logResponse(_ response: HTTPResponse, call: Call) {
        guard logger.logLevel <= .debug else { return }
        var line = "← \(response.status) \(call.description) (\(describe(response.connection)), \(response.body.count) bytes)"
        if let value = try? JSON.parse(bytes: response.body) {
            line += " " + JSON.string(Redaction.redact(value, secretPayload: call.path.contains("/secrets")))
        }
        logger.debug("\(line)")
    }
}
