import FoundationEssentials
import Unstructured

/// Where a resource request points: `/api/v1/namespaces/ns/configmaps/name/status`.
struct ResourceRoute {
    var type: ResourceType
    var namespace: String?
    var name: String?
    var subresource: String?

    /// Parses the part after `/api/v1` or `/apis/g/v`. Unknown resources are a Status 404.
    static func parse(_ segments: [String], group: String, version: String,
                      registry: ResourceRegistry) throws(APIError) -> ResourceRoute {
        var rest = segments
        var namespace: String?
        if rest.count >= 3, rest[0] == "namespaces" {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard let resource = rest.first,
              let type = registry.lookup(group: group, version: version, resource: resource) else {
            throw APIError.resourceNotFound
        }
        guard rest.count <= 3 else { throw APIError.resourceNotFound }
        if namespace != nil, !type.namespaced { throw APIError.resourceNotFound }
        let subresource = rest.count == 3 ? rest[2] : nil
        if let subresource {
            let allowed = (subresource == "status" && type.hasStatus) || (subresource == "scale" && type.hasScale)
                || (subresource == "finalize" && type.resource == "namespaces")
                || (subresource == "log" && type.storageKey == StorageKey(group: "", resource: "pods"))
            guard allowed else { throw APIError.resourceNotFound }
        }
        return ResourceRoute(type: type, namespace: namespace, name: rest.count >= 2 ? rest[1] : nil,
                             subresource: subresource)
    }
}

/// The verbs on resources: get, list, watch, create, update, patch, apply, delete, deletecollection.
/// Reads, writes, deletion and scale live in their own files; this one routes and decodes.
extension ClusterState {
    func serveResource(_ request: APIRequest, route: ResourceRoute) throws(APIError) -> APIResponse {
        let type = route.type
        warnings = []
        if route.name == nil, type.namespaced, route.namespace == nil,
           request.method != "GET" {
            throw APIError.methodNotAllowed
        }
        switch (request.method, route.name) {
        case ("GET", nil):
            if ["1", "true"].contains(request.query["watch"] ?? "") { return try watch(request, route: route) }
            return try list(request, route: route)
        case ("GET", let name?):
            return try get(request, route: route, name: name)
        case ("POST", nil):
            return try create(request, route: route)
        case ("PUT", let name?):
            return try update(request, route: route, name: name)
        case ("PATCH", let name?):
            return try patch(request, route: route, name: name)
        case ("DELETE", let name?):
            return try delete(request, route: route, name: name)
        case ("DELETE", nil):
            return try deleteCollection(request, route: route)
        default:
            throw APIError.methodNotAllowed
        }
    }
}

/// Request decoding and answers shared by the verbs.
extension ClusterState {
    func fieldManager(_ request: APIRequest) -> String {
        if let manager = request.query["fieldManager"], !manager.isEmpty { return manager }
        let agent = request.header("user-agent") ?? "unknown"
        return String(agent.split(separator: "/").first ?? "unknown")
    }

    func isDryRun(_ request: APIRequest) throws(APIError) -> Bool {
        guard let value = request.query["dryRun"] else { return false }
        guard value == "All" else {
            throw APIError(code: 422, reason: "Invalid",
                           message: "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: \"\(value)\": supported values: \"All\"",
                           details: ["group": "meta.k8s.io", "kind": "CreateOptions", "causes": [[
                               "reason": "FieldValueNotSupported",
                               "message": .string("Unsupported value: \"\(value)\": supported values: \"All\""),
                               "field": "dryRun"]]])
        }
        return true
    }

    /// kubectl's generator subcommands send protobuf; the Sandbox speaks JSON and YAML only.
    func rejectProtobuf(_ request: APIRequest) throws(APIError) {
        let contentType = request.header("content-type") ?? ""
        guard contentType.hasPrefix("application/vnd.kubernetes.protobuf") else { return }
        throw APIError(code: 415, reason: "UnsupportedMediaType",
                       message: "the Sandbox does not decode protobuf bodies (Content-Type \(contentType)); send JSON or YAML instead, e.g. `kubectl create -f FILE` or `kubectl apply -f FILE` rather than the generator subcommands",
                       details: [:])
    }

    func decodeRaw(_ request: APIRequest) throws(APIError) -> Value {
        let contentType = request.header("content-type") ?? ""
        try rejectProtobuf(request)
        do {
            return try BodyCodec.decode(request.body, contentType: contentType)
        } catch {
            throw APIError.badRequest("the request body could not be decoded: \(error.message) at byte \(error.offset)")
        }
    }

    func decodeBody(_ request: APIRequest, type: ResourceType) throws(APIError) -> Value {
        let contentType = request.header("content-type") ?? ""
        try rejectProtobuf(request)
        let value: Value
        do {
            value = try BodyCodec.decode(request.body, contentType: contentType)
        } catch {
            let prefix = String(decoding: request.body.prefix(30), as: UTF8.self)
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(type.kind)): couldn't get version/kind; json parse error: \(error.message) (\(prefix) ...)")
        }
        guard value.mapValue != nil else {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(type.kind)): couldn't get version/kind; json parse error: json: cannot unmarshal \(value.kindName) into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }")
        }
        return value
    }

    func checkKind(_ object: Value, type: ResourceType) throws(APIError) {
        let body = BodyCodec.encodeString(object)
        guard let kind = object["kind"].stringValue, !kind.isEmpty else {
            throw APIError.badRequest("Object 'Kind' is missing in '\(body)'")
        }
        guard let apiVersion = object["apiVersion"].stringValue, !apiVersion.isEmpty else {
            throw APIError.badRequest("Object 'apiVersion' is missing in '\(body)'")
        }
        let version = apiVersion.split(separator: "/").last.map(String.init) ?? apiVersion
        if kind != type.kind || apiVersion != type.groupVersion {
            // The real message names the internal package of the target type: core, apps, batch, ...
            let package = type.group.isEmpty ? "core" : String(type.group.split(separator: ".")[0])
            throw APIError.badRequest("\(kind) in version \"\(version)\" cannot be handled as a \(type.kind): converting (\(version).\(kind)) to (\(package).\(type.kind)): unknown conversion")
        }
    }

    /// A JSON answer, carrying the warnings this request collected as `Warning: 299` headers.
    func json(_ status: Int, _ value: Value) -> APIResponse {
        var headers = [("Content-Type", "application/json")]
        for warning in warnings {
            let quoted = warning.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            headers.append(("Warning", "299 - \"\(quoted)\""))
        }
        warnings = []
        return .full(status: status, headers: headers, body: BodyCodec.encode(value))
    }
}

/// `continue` tokens: base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"ns/name\u0000"}`, like etcd3's.
enum ContinueToken {
    static func encode(revision: Int, after slot: String) -> String {
        let body: Value = ["v": "meta.k8s.io/v1", "rv": .int(revision), "start": .string(slot + "\u{0}")]
        return Data(BodyCodec.encode(body)).base64EncodedString()
            .replacing("=", with: "").replacing("+", with: "-").replacing("/", with: "_")
    }

    static func decode(_ token: String) throws(APIError) -> (revision: Int, after: String) {
        var base64 = token.replacing("-", with: "+").replacing("_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let value = try? BodyCodec.decode(Array(data)),
              let revision = value["rv"].intValue, let start = value["start"].stringValue else {
            let index = token.firstIndex { !$0.isLetter && !$0.isNumber && $0 != "-" && $0 != "_" }
            let byte = index.map { token.distance(from: token.startIndex, to: $0) } ?? (token.count / 4) * 4
            throw APIError.badRequest("invalid continue token: continue key is not valid: illegal base64 data at input byte \(byte)")
        }
        return (revision, String(start.dropLast()))
    }
}
