import FoundationEssentials
import Unstructured

/// DELETE and deletecollection: preconditions, finalizers, propagation policies, namespaces.
extension ClusterState {
    func delete(_ request: APIRequest, route: ResourceRoute, name: String) throws(APIError) -> APIResponse {
        let type = route.type
        let options = request.body.isEmpty ? Value.null : try decodeRaw(request)
        let policy = options["propagationPolicy"].stringValue ?? request.query["propagationPolicy"]
            ?? (options["orphanDependents"].boolValue == true ? "Orphan" : nil)
        guard let current = store.get(type.storageKey, namespace: route.namespace ?? "", name: name) else {
            throw APIError.notFound(type, name: name)
        }
        if let uid = options["preconditions"]["uid"].stringValue, uid != current.uid {
            throw APIError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(type.kind) \"\(name)\": the UID in the precondition (\(uid)) does not match the UID in record (\(current.uid)). The object might have been deleted and then recreated",
                           details: APIError.details(name: name, kind: type.kind))
        }
        if let rv = options["preconditions"]["resourceVersion"].stringValue,
           rv != current["metadata"]["resourceVersion"].stringValue {
            throw APIError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(type.kind) \"\(name)\": the ResourceVersion in the precondition (\(rv)) does not match the ResourceVersion in record (\(current["metadata"]["resourceVersion"].stringValue ?? "")). The object might have been modified",
                           details: APIError.details(name: name, kind: type.kind))
        }
        let result = try deleteObject(current, type: type, propagation: policy, dryRun: try isDryRun(request))
        return json(200, result)
    }

    /// Deletion: objects with finalizers (or a namespace, or foreground/orphan propagation) get a
    /// deletionTimestamp and stay; the rest go at once and the answer is a Success Status.
    @discardableResult
    func deleteObject(_ current: Value, type: ResourceType, propagation: String?, dryRun: Bool = false) throws(APIError) -> Value {
        try Admission.check(operation: "DELETE", object: current, type: type, state: self)
        var finalizers = current.finalizers
        if propagation == "Foreground", !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
        if propagation == "Orphan", !finalizers.contains("orphan") { finalizers.append("orphan") }
        let isNamespace = type.storageKey == StorageKey(group: "", resource: "namespaces")
        if current.isDeleting { return current }
        if !finalizers.isEmpty || isNamespace {
            var object = current
            object[path: ["metadata", "deletionTimestamp"]] = .string(timestamp)
            object[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            if !finalizers.isEmpty { object[path: ["metadata", "finalizers"]] = .list(finalizers.map(Value.string)) }
            if type.tracksGeneration {
                object[path: ["metadata", "generation"]] = .int((current["metadata"]["generation"].intValue ?? 1) + 1)
            }
            if isNamespace { object[path: ["status", "phase"]] = "Terminating" }
            object = ObjectShape.canonical(object, custom: type.custom != nil)
            if dryRun { return object }
            let stored = store.write(type.storageKey, object, type: "MODIFIED")
            didWrite(type)
            return stored
        }
        if !dryRun {
            store.remove(type.storageKey, namespace: current.namespace, name: current.name)
            didWrite(type)
        }
        var details: Value = ["name": .string(current.name)]
        if !type.group.isEmpty { details["group"] = .string(type.group) }
        details["kind"] = .string(type.resource)
        details["uid"] = .string(current.uid)
        return ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": details]
    }

    func deleteCollection(_ request: APIRequest, route: ResourceRoute) throws(APIError) -> APIResponse {
        let type = route.type
        let dryRun = try isDryRun(request)
        var deleted: [Value] = []
        for object in try matchingObjects(request, route: route) {
            let result = try deleteObject(object, type: type, propagation: request.query["propagationPolicy"], dryRun: dryRun)
            deleted.append(result["kind"] == "Status" ? object : result)
        }
        return json(200, ["kind": .string(type.listKind), "apiVersion": .string(type.groupVersion),
                          "metadata": ["resourceVersion": .string(String(store.revision))], "items": .list(deleted)])
    }
}
