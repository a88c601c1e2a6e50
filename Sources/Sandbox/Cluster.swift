import FoundationEssentials
import NIOConcurrencyHelpers
import NIOCore
import Unstructured

/// The API server: authenticates, injects faults, routes to discovery, OpenAPI and the
/// resource verbs, logs every request, and runs the simulated controllers on a tick.
/// All state changes happen under one lock, which keeps resourceVersions strictly ordered.
public final class Cluster: APIHandler, @unchecked Sendable {
    private let lock = NIOLock()
    let state: ClusterState
    public let requestLog: RequestLog
    private let controllers: ControllerSet
    /// host:port as discovery reports it; set once the server is bound.
    private let serverAddressBox = NIOLockedValueBox("127.0.0.1")
    var serverAddress: String {
        get { serverAddressBox.withLockedValue { $0 } }
        set { serverAddressBox.withLockedValue { $0 = newValue } }
    }
    private var faultRandom: SeededRandom
    /// Set by `Sandbox` so `POST /sandbox/shutdown` can stop the process that owns this cluster.
    private let shutdownHandler = NIOLockedValueBox<(@Sendable () -> Void)?>(nil)
    var onShutdown: (@Sendable () -> Void)? {
        get { shutdownHandler.withLockedValue { $0 } }
        set { shutdownHandler.withLockedValue { $0 = newValue } }
    }
    private var lastBookmark = Date.distantPast

    public init(options: SandboxOptions, credentials: Credentials?, requestLog: RequestLog,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.requestLog = requestLog
        state = ClusterState(options: options, credentials: credentials, clock: clock)
        controllers = ControllerSet(options: options)
        faultRandom = SeededRandom(seed: options.seed ^ 0x5EED_FA17)
        lock.withLock { bootstrap() }
    }

    /// The objects every cluster starts with.
    private func bootstrap() {
        func create(_ group: String, _ resource: String, _ object: Value, manager: String) {
            guard let type = BuiltinResources.find(group, resource) else { return }
            _ = try? state.createObject(object, type: type, manager: manager)
        }
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            create("", "namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                   manager: "kube-apiserver")
        }
        create("", "nodes", [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": "sandbox-node", "labels": ["kubernetes.io/hostname": "sandbox-node",
                                                            "kubernetes.io/os": "linux", "node-role.kubernetes.io/control-plane": ""]],
            "status": ["conditions": [["type": "Ready", "status": "True", "reason": "KubeletReady"]],
                       "capacity": ["cpu": "8", "memory": "32Gi", "pods": "110"],
                       "allocatable": ["cpu": "8", "memory": "32Gi", "pods": "110"],
                       "addresses": [["type": "InternalIP", "address": "172.18.0.2"]]],
        ], manager: "kubelet")
        create("storage.k8s.io", "storageclasses", [
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": ["name": "standard", "annotations": ["storageclass.kubernetes.io/is-default-class": "true"]],
            "provisioner": "sandbox.seldon.io/hostpath", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate",
        ], manager: "sandbox")
        create("", "services", [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "kubernetes", "namespace": "default", "labels": ["component": "apiserver", "provider": "kubernetes"]],
            "spec": ["clusterIP": "10.96.0.1", "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]]],
        ], manager: "kube-apiserver")
        if state.options.withIstio { Addons.install(Addons.istioCRDs, into: state) }
        if state.options.withKnative { Addons.install(Addons.knativeCRDs, into: state) }
        controllers.reconcile(state, now: state.now)
        state.dirty = false
    }

    /// Runs `body` with the state locked; for the `Sandbox` façade, controllers and tests.
    func withState<T>(_ body: (ClusterState) throws -> T) rethrows -> T {
        try lock.withLock { try body(state) }
    }

    /// One controller pass plus watch upkeep. The `Sandbox` calls it every `controllerInterval`.
    public func tick() {
        lock.withLock {
            controllers.reconcile(state, now: state.now)
            let now = state.now
            let bookmarkDue = now.timeIntervalSince(lastBookmark) >= state.options.bookmarkInterval
            if bookmarkDue { lastBookmark = now }
            state.maintainWatches(sendBookmarks: bookmarkDue)
        }
    }

    public func respond(to request: APIRequest, on eventLoop: any EventLoop) -> EventLoopFuture<APIResponse> {
        let fault = decideFault(for: request)
        let response = respondNow(to: request, fault: fault)
        log(request, response)
        let latency = state.options.faults.latencySeconds
        if latency > 0, isAPIPath(request.path) {
            return eventLoop.scheduleTask(in: .milliseconds(Int64(latency * 1000))) { response }.futureResult
        }
        return eventLoop.makeSucceededFuture(response)
    }

    private func isAPIPath(_ path: String) -> Bool { path.hasPrefix("/api") }

    func decideFault(for request: APIRequest) -> InjectedFault {
        guard isAPIPath(request.path) else { return .none }
        let faults = state.options.faults
        return lock.withLock {
            if faultRandom.chance(faults.dropRate) { return .drop }
            if faultRandom.chance(faults.hangRate) { return .hang }
            if faultRandom.chance(faults.error500) { return .status(500) }
            if faultRandom.chance(faults.error503) { return .status(503) }
            if faultRandom.chance(faults.error429) { return .status(429) }
            return .none
        }
    }

    public func respondNow(to request: APIRequest) -> APIResponse { respondNow(to: request, fault: .none) }

    /// Every answer carries Audit-Id, and Cache-Control unless discovery set its own.
    private func withStandardHeaders(_ response: APIResponse) -> APIResponse {
        guard case let .full(status, headers, body) = response else { return response }
        var all = headers
        if !all.contains(where: { $0.0 == "Audit-Id" }) { all.append(("Audit-Id", UUID().uuidString.lowercased())) }
        if !all.contains(where: { $0.0 == "Cache-Control" }) { all.append(("Cache-Control", "no-cache, private")) }
        return .full(status: status, headers: all, body: body)
    }

    func respondNow(to request: APIRequest, fault: InjectedFault) -> APIResponse {
        do throws(APIError) {
            try authenticate(request)
            switch fault {
            case .drop: return .drop
            case .hang: return .hang
            case let .status(code): throw injected(code)
            case .none: break
            }
            return withStandardHeaders(try route(request))
        } catch {
            return withStandardHeaders(errorResponse(error))
        }
    }

    private func injected(_ code: Int) -> APIError {
        switch code {
        case 429:
            var error = APIError(code: 429, reason: "TooManyRequests",
                                 message: "Too many requests, please try again later.",
                                 details: ["retryAfterSeconds": .int(state.options.faults.retryAfterSeconds)])
            error.headers = [("Retry-After", String(state.options.faults.retryAfterSeconds))]
            return error
        case 503:
            return APIError(code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request (injected fault)", details: [:])
        default:
            return APIError(code: 500, reason: "InternalError", message: "Internal error occurred: injected fault", details: [:])
        }
    }

    private func errorResponse(_ error: APIError) -> APIResponse {
        if error.plainText {
            return .full(status: error.code, headers: [("Content-Type", "text/plain; charset=utf-8"),
                                                       ("X-Content-Type-Options", "nosniff")],
                         body: Array(error.message.utf8))
        }
        return .full(status: error.code, headers: [("Content-Type", "application/json")] + error.headers,
                     body: BodyCodec.encode(error.status))
    }

    private func authenticate(_ request: APIRequest) throws(APIError) {
        if request.hasClientCertificate { return }
        if let authorization = request.header("authorization") {
            let token = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
            if let credentials = state.credentials, token == credentials.bearerToken { return }
            throw APIError.unauthorized
        }
        // Unit tests run without TLS and credentials: everything is allowed.
        if state.credentials == nil { return }
        let publicPaths = ["/version", "/healthz", "/readyz", "/livez"]
        if publicPaths.contains(request.path) { return }
        let verb = request.method.lowercased()
        throw APIError.forbiddenAnonymous(verb: verb, path: request.path)
    }

    private func log(_ request: APIRequest, _ response: APIResponse) {
        guard !request.path.hasPrefix("/sandbox/") else { return }
        let status: Int
        switch response {
        case let .full(code, _, _): status = code
        case let .stream(code, _, _): status = code
        case .drop: status = 0
        // nginx's "client closed request": the client's timeout is the only way such a request ends.
        case .hang: status = 499
        }
        let query = request.query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        requestLog.append(RequestRecord(method: request.method, path: request.path, query: query, status: status,
                                        fieldManager: request.query["fieldManager"],
                                        userAgent: request.header("user-agent"),
                                        time: ObjectShape.timestamp(Date()), connection: request.connection))
    }

    // MARK: Routing

    private func route(_ request: APIRequest) throws(APIError) -> APIResponse {
        let segments = request.path.split(separator: "/").map { APIRequest.percentDecode(String($0)) }
        switch segments.first {
        case "version" where segments.count == 1:
            return json(200, [
                "major": "1", "minor": "32", "gitVersion": "v1.32.0-sandbox", "gitCommit": "0000000000000000000000000000000000000000",
                "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "swift6",
                "compiler": "swiftc", "platform": "linux/amd64",
            ])
        case "healthz", "readyz", "livez":
            return .full(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")],
                         body: Array("ok".utf8))
        case "api", "apis":
            lock.lock()
            defer { lock.unlock() }
            return try routeAPI(request, segments)
        case "openapi":
            lock.lock()
            defer { lock.unlock() }
            return try routeOpenAPI(request, segments)
        case "sandbox":
            return try routeSandbox(request, segments)
        default:
            throw APIError.pageNotFound
        }
    }

    private func routeAPI(_ request: APIRequest, _ segments: [String]) throws(APIError) -> APIResponse {
        let discovery = Discovery(registry: state.registry, serverAddress: serverAddress)
        if segments == ["api"] {
            if Discovery.wantsAggregated(request) { return aggregated(request, discovery.aggregated(core: true)) }
            return json(200, discovery.apiVersions)
        }
        if segments == ["apis"] {
            if Discovery.wantsAggregated(request) { return aggregated(request, discovery.aggregated(core: false)) }
            return json(200, discovery.groupList)
        }
        let group: String, version: String, rest: [String]
        if segments[0] == "api" {
            guard segments[1] == "v1" else { throw APIError.pageNotFound }
            (group, version, rest) = ("", "v1", Array(segments.dropFirst(2)))
        } else {
            if segments.count == 2 {
                guard let document = discovery.group(segments[1]) else { throw APIError.pageNotFound }
                return json(200, document)
            }
            (group, version, rest) = (segments[1], segments[2], Array(segments.dropFirst(3)))
        }
        guard state.registry.serves(group: group, version: version) else { throw APIError.pageNotFound }
        if rest.isEmpty {
            guard request.method == "GET" else { throw APIError.methodNotAllowed }
            return json(200, discovery.resourceList(group: group, version: version))
        }
        let route = try ResourceRoute.parse(rest, group: group, version: version, registry: state.registry)
        return try state.serveResource(request, route: route)
    }

    private func aggregated(_ request: APIRequest, _ document: Value) -> APIResponse {
        let body = BodyCodec.encode(document)
        let etag = "\"\(Discovery.etag(body))\""
        var headers: [(String, String)] = [("Cache-Control", "public"), ("Content-Type", Discovery.aggregatedMediaType),
                                          ("Etag", etag), ("Vary", "Accept")]
        if request.header("if-none-match") == etag {
            return .full(status: 304, headers: headers, body: [])
        }
        headers.append(("Content-Length", String(body.count)))
        return .full(status: 200, headers: headers, body: body)
    }

    private func routeOpenAPI(_ request: APIRequest, _ segments: [String]) throws(APIError) -> APIResponse {
        if segments == ["openapi", "v2"] {
            // An empty protobuf message is a valid, empty OpenAPI v2 document: kubectl's client-side
            // validation then finds no schema and leaves validation to the server (fieldValidation).
            return .full(status: 200, headers: [("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")]
                        , body: [])
        }
        guard segments.count >= 2, segments[1] == "v3" else { throw APIError.pageNotFound }
        let discovery = Discovery(registry: state.registry, serverAddress: serverAddress)
        if segments.count == 2 {
            return .full(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")],
                         body: BodyCodec.encode(discovery.openAPIRoot()))
        }
        let rest = Array(segments.dropFirst(2))
        let group: String, version: String
        if rest.count == 2, rest[0] == "api" {
            (group, version) = ("", rest[1])
        } else if rest.count == 3, rest[0] == "apis" {
            (group, version) = (rest[1], rest[2])
        } else {
            throw APIError.pageNotFound
        }
        guard state.registry.serves(group: group, version: version) else { throw APIError.pageNotFound }
        let body = BodyCodec.encode(discovery.openAPIDocument(group: group, version: version))
        return .full(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "public, immutable"),
                                            ("Etag", "\"\(Discovery.etag(body).prefix(128))\"")],
                     body: body)
    }

    /// `/sandbox/requests` (GET: the log; DELETE: clear it) and `/sandbox/shutdown` (POST).
    private func routeSandbox(_ request: APIRequest, _ segments: [String]) throws(APIError) -> APIResponse {
        switch (request.method, segments.dropFirst().first) {
        case ("GET", "requests"): return json(200, requestLog.json)
        case ("DELETE", "requests"):
            requestLog.clear()
            return json(200, ["cleared": true])
        case ("POST", "shutdown"):
            onShutdown?()
            return json(200, ["stopping": true])
        default: throw APIError.pageNotFound
        }
    }

    private func json(_ status: Int, _ value: Value) -> APIResponse {
        .full(status: status, headers: [("Content-Type", "application/json")], body: BodyCodec.encode(value))
    }
}
