import FoundationEssentials
import Unstructured

/// GET and LIST: single objects, lists with selectors and pages, Tables, pod logs.
extension ClusterState {
    /// resourceVersion semantics of reads: a future revision is a 504, `resourceVersionMatch` needs a
    /// resourceVersion, and `Exact` can only be served for the current revision (the Sandbox keeps
    /// no snapshots of older ones, so those are answered as compacted, 410).
    func checkReadRevision(_ request: APIRequest) throws(APIError) {
        let match = request.query["resourceVersionMatch"]
        let requested = request.query["resourceVersion"]
        if let match, !match.isEmpty, requested?.isEmpty ?? true {
            let detail = "resourceVersionMatch is forbidden unless resourceVersion is provided"
            throw APIError(code: 422, reason: "Invalid",
                           message: "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: \(detail)",
                           details: APIError.details(group: "meta.k8s.io", kind: "ListOptions",
                                                     causes: [FieldCause.forbidden("resourceVersionMatch", detail).value]))
        }
        guard let text = requested, !text.isEmpty, text != "0" else { return }
        guard let revision = Int(text) else {
            throw APIError.badRequest("invalid resource version: \(text)")
        }
        if revision > store.revision {
            throw APIError(code: 504, reason: "Timeout",
                           message: "Timeout: Too large resource version: \(revision), current: \(store.revision)",
                           details: ["causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]],
                                     "retryAfterSeconds": 1])
        }
        if match == "Exact", revision != store.revision {
            throw APIError(code: 410, reason: "Expired", message: "The resourceVersion for the provided list is too old.")
        }
    }

    func get(_ request: APIRequest, route: ResourceRoute, name: String) throws(APIError) -> APIResponse {
        let type = route.type
        try checkReadRevision(request)
        guard let object = store.get(type.storageKey, namespace: route.namespace ?? "", name: name) else {
            throw APIError.notFound(type, name: name)
        }
        if route.subresource == "scale" { return json(200, try scale(of: object, type: type)) }
        if route.subresource == "log" { return podLog(object, container: request.query["container"]) }
        let shaped = present(object, as: type)
        if TableRenderer.wantsTable(request) {
            return json(200, TableRenderer(state: self).table(for: [shaped], type: type, listRevision: nil,
                                                                 includeObject: request.query["includeObject"]))
        }
        return json(200, shaped)
    }

    /// There are no real containers: a Pod's log says what the simulated kubelet did with it.
    func podLog(_ pod: Value, container: String?) -> APIResponse {
        let containers = pod["spec"]["containers"].listValue ?? []
        let selected = containers.first { $0["name"].stringValue == container } ?? containers.first ?? .null
        let name = selected["name"].stringValue ?? ""
        let status = (pod["status"]["containerStatuses"].listValue ?? []).first { $0["name"].stringValue == name } ?? .null
        var lines = ["sandbox: simulated container \(name) (image \(selected["image"].stringValue ?? "unknown"))"]
        if let waiting = status["state"]["waiting"]["reason"].stringValue {
            lines.append("sandbox: container is waiting: \(waiting)")
        } else if status["state"]["running"].isNull == false {
            lines.append("sandbox: container is running")
        } else if let reason = status["state"]["terminated"]["reason"].stringValue {
            lines.append("sandbox: container terminated: \(reason)")
        } else {
            lines.append("sandbox: container has not started")
        }
        return .full(status: 200, headers: [("Content-Type", "text/plain")], body: Array((lines.joined(separator: "\n") + "\n").utf8))
    }

    func matchingObjects(_ request: APIRequest, route: ResourceRoute) throws(APIError) -> [Value] {
        let labels = try LabelSelector.parse(request.query["labelSelector"] ?? "")
        let fields = try FieldSelector.parse(request.query["fieldSelector"] ?? "", type: route.type)
        if labels.requirements.isEmpty, fields.requirements.isEmpty {
            return store.list(route.type.storageKey, namespace: route.namespace)
        }
        return store.list(route.type.storageKey, namespace: route.namespace) {
            labels.matches($0.labels) && fields.matches($0)
        }
    }

    func list(_ request: APIRequest, route: ResourceRoute) throws(APIError) -> APIResponse {
        let type = route.type
        try checkReadRevision(request)
        var objects = try matchingObjects(request, route: route)
        var listRevision = store.revision
        var metadata: Value = [:]
        var start = 0
        if let token = request.query["continue"], !token.isEmpty {
            let position = try ContinueToken.decode(token)
            listRevision = position.revision
            start = objects.firstIndex { ObjectStore.slot($0.namespace, $0.name) > position.after } ?? objects.count
        }
        objects = Array(objects[start...])
        if let limit = request.query["limit"].flatMap(Int.init), limit > 0, objects.count > limit {
            let page = Array(objects.prefix(limit))
            let last = page[page.count - 1]
            metadata["resourceVersion"] = .string(String(listRevision))
            metadata["continue"] = .string(ContinueToken.encode(revision: listRevision,
                                                                after: ObjectStore.slot(last.namespace, last.name)))
            metadata["remainingItemCount"] = .int(objects.count - limit)
            objects = page
        } else {
            metadata["resourceVersion"] = .string(String(listRevision))
            if type.custom != nil { metadata["continue"] = "" }
        }
        let items = objects.map { present($0, as: type) }
        if TableRenderer.wantsTable(request) {
            var table = TableRenderer(state: self).table(for: items, type: type, listRevision: listRevision,
                                                        includeObject: request.query["includeObject"])
            if let token = metadata["continue"].stringValue, !token.isEmpty { table[path: ["metadata", "continue"]] = .string(token) }
            if !metadata["remainingItemCount"].isNull {
                table[path: ["metadata", "remainingItemCount"]] = metadata["remainingItemCount"]
            }
            return json(200, table)
        }
        let listItems: [Value] = type.custom != nil ? items : items.map { item in
            var trimmed = item.mapValue ?? [:]
            trimmed.removeValue(forKey: "kind")
            trimmed.removeValue(forKey: "apiVersion")
            return .map(trimmed)
        }
        let list: Value = type.custom != nil
            ? ["apiVersion": .string(type.groupVersion), "items": .list(listItems), "kind": .string(type.listKind),
               "metadata": metadata]
            : ["kind": .string(type.listKind), "apiVersion": .string(type.groupVersion), "metadata": metadata,
               "items": .list(listItems)]
        return json(200, list)
    }

    /// The object as a client of `type`'s version sees it.
    /// Custom resources are defaulted on read, as the real server does, so objects stored
    /// before their CRD gained a default show it without being rewritten.
    func present(_ object: Value, as type: ResourceType) -> Value {
        var copy = object
        if let schema = type.custom?.schema {
            copy = SchemaDefaults.apply(object, schema: schema)
            if copy != object { copy = ObjectShape.canonical(copy, custom: true) }
        }
        guard copy["apiVersion"].stringValue != type.groupVersion else { return copy }
        copy["apiVersion"] = .string(type.groupVersion)
        return ObjectShape.canonical(copy, custom: type.custom != nil)
    }
}
