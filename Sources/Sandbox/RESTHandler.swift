import Foundation
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

    // MARK: Reads

    /// resourceVersion semantics of reads: a future revision is a 504, `resourceVersionMatch` needs a
    /// resourceVersion, and `Exact` can only be served for the current revision (the Sandbox keeps
    /// no snapshots of older ones, so those are answered as compacted, 410).
    private func checkReadRevision(_ request: APIRequest) throws(APIError) {
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

    private func get(_ request: APIRequest, route: ResourceRoute, name: String) throws(APIError) -> APIResponse {
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
    private func podLog(_ pod: Value, container: String?) -> APIResponse {
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
        return store.list(route.type.storageKey, namespace: route.namespace).filter {
            labels.matches($0.labels) && fields.matches($0)
        }
    }

    private func list(_ request: APIRequest, route: ResourceRoute) throws(APIError) -> APIResponse {
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
    func present(_ object: Value, as type: ResourceType) -> Value {
        guard object["apiVersion"].stringValue != type.groupVersion else { return object }
        var copy = object
        copy["apiVersion"] = .string(type.groupVersion)
        return ObjectShape.canonical(copy, custom: type.custom != nil)
    }

    // MARK: Writes

    private func create(_ request: APIRequest, route: ResourceRoute) throws(APIError) -> APIResponse {
        let type = route.type
        var object = try decodeBody(request, type: type)
        try checkKind(object, type: type)
        if let bodyNamespace = object["metadata"]["namespace"].stringValue, !bodyNamespace.isEmpty,
           let namespace = route.namespace, bodyNamespace != namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        if type.namespaced { object[path: ["metadata", "namespace"]] = .string(route.namespace ?? "") }
        if object["metadata"]["name"].stringValue?.isEmpty ?? true,
           let prefix = object["metadata"]["generateName"].stringValue, !prefix.isEmpty {
            object[path: ["metadata", "name"]] = .string(prefix + random.nameSuffix())
        }
        let dryRun = try isDryRun(request)
        let created = try createObject(object, type: type, manager: fieldManager(request), dryRun: dryRun,
                                       fieldValidation: request.query["fieldValidation"])
        return json(201, created)
    }

    /// The create path shared by POST, apply-on-missing and the controllers.
    @discardableResult
    func createObject(_ input: Value, type: ResourceType, manager: String, dryRun: Bool = false,
                      fieldValidation: String? = nil, managedFieldsOverride: [Value]? = nil) throws(APIError) -> Value {
        var object = input
        let name = object.name
        let namespace = object.namespace
        try Validation.validateName(object, type: type)
        if type.namespaced {
            guard let ns = store.get(StorageKey(group: "", resource: "namespaces"), namespace: "", name: namespace) else {
                throw APIError.namespaceNotFound(namespace)
            }
            if ns.isDeleting {
                throw APIError(code: 403, reason: "Forbidden",
                               message: "\(type.qualifiedResource) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                               details: APIError.details(name: name, group: type.group, kind: type.resource))
            }
        }
        if store.get(type.storageKey, namespace: namespace, name: name) != nil {
            throw APIError.alreadyExists(type, name: name)
        }
        object = try Validation.admit(object, type: type, fieldValidation: fieldValidation, warnings: &warnings)
        var metadata = object["metadata"].mapValue ?? [:]
        for key in ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                    "managedFields", "generation", "selfLink"] {
            metadata.removeValue(forKey: key)
        }
        metadata["uid"] = .string(newUID())
        // A placeholder keeps resourceVersion in its canonical place; the store fills it in.
        metadata["resourceVersion"] = ""
        metadata["creationTimestamp"] = .string(timestamp)
        if type.tracksGeneration { metadata["generation"] = 1 }
        object["metadata"] = .map(metadata)
        if type.hasStatus, type.custom != nil || type.group == "apps" { object.remove("status") }
        // The creator owns what it sent, not what defaulting added.
        let fields = ManagedFields.fieldsSet(by: nil, to: object, type: type)
        object = Defaults.onCreate(object, type: type, state: self)
        let entries = managedFieldsOverride ?? (fields.isEmpty ? [] : [ManagedFields.entry(
            manager: manager, operation: "Update", apiVersion: type.groupVersion, time: timestamp, fields: fields)])
        if !entries.isEmpty { object[path: ["metadata", "managedFields"]] = .list(entries) }
        object = ObjectShape.canonical(object, custom: type.custom != nil)
        try Admission.check(operation: "CREATE", object: object, type: type, state: self)
        if dryRun {
            object[path: ["metadata"]].remove("resourceVersion")
            return object
        }
        let stored = store.write(type.storageKey, object, type: "ADDED")
        didWrite(type)
        return stored
    }

    private func update(_ request: APIRequest, route: ResourceRoute, name: String) throws(APIError) -> APIResponse {
        let type = route.type
        var object = try decodeBody(request, type: type)
        if route.subresource == "scale" {
            return try writeScale(request, route: route, name: name, newScale: object)
        }
        try checkKind(object, type: type)
        guard object.name == name else {
            throw APIError.badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(name))")
        }
        let namespace = route.namespace ?? ""
        guard let current = store.get(type.storageKey, namespace: namespace, name: name) else {
            throw APIError.notFound(type, name: name)
        }
        if let rv = object["metadata"]["resourceVersion"].stringValue, !rv.isEmpty,
           rv != current["metadata"]["resourceVersion"].stringValue {
            throw APIError.staleResourceVersion(type, name: name)
        }
        if type.namespaced { object[path: ["metadata", "namespace"]] = .string(namespace) }
        let result = try updateObject(current: current, proposed: object, type: type, subresource: route.subresource,
                                      manager: fieldManager(request), dryRun: try isDryRun(request),
                                      fieldValidation: request.query["fieldValidation"])
        return json(200, result)
    }

    private func patch(_ request: APIRequest, route: ResourceRoute, name: String) throws(APIError) -> APIResponse {
        let type = route.type
        let namespace = route.namespace ?? ""
        let contentType = (request.header("content-type") ?? "").split(separator: ";").first.map {
            String($0).trimmingCharacters(in: .whitespaces)
        } ?? ""
        if contentType == "application/apply-patch+yaml" || contentType == "application/apply-patch+json" {
            return try serverSideApply(request, route: route, name: name)
        }
        let patchBody = try decodeRaw(request)
        guard let current = store.get(type.storageKey, namespace: namespace, name: name) else {
            throw APIError.notFound(type, name: name)
        }
        let base = route.subresource == "scale" ? try scale(of: current, type: type) : present(current, as: type)
        var patched: Value
        switch contentType {
        case "application/merge-patch+json":
            guard patchBody.mapValue != nil else { throw APIError.badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}") }
            patched = MergePatch.apply(patchBody, to: base)
        case "application/json-patch+json":
            do {
                patched = try JSONPatch.apply(patchBody, to: base)
            } catch {
                if error.isTestFailure {
                    throw APIError(code: 422, reason: "Invalid",
                                   message: "the server rejected our request due to an error in our request", details: [:])
                }
                throw APIError(code: 500, reason: "InternalError", message: error.message, details: [:])
            }
        case "application/strategic-merge-patch+json":
            guard type.custom == nil else {
                throw APIError(code: 415, reason: "UnsupportedMediaType",
                               message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
            }
            patched = StrategicMergePatch.apply(patchBody, to: base, rules: ListRules(schema: nil))
        default:
            throw APIError.unsupportedMediaType
        }
        if route.subresource == "scale" {
            return try writeScale(request, route: route, name: name, newScale: patched)
        }
        if let rv = patched["metadata"]["resourceVersion"].stringValue,
           rv != current["metadata"]["resourceVersion"].stringValue {
            throw APIError.staleResourceVersion(type, name: name)
        }
        patched[path: ["metadata", "name"]] = .string(name)
        if type.namespaced { patched[path: ["metadata", "namespace"]] = .string(namespace) }
        let result = try updateObject(current: current, proposed: patched, type: type, subresource: route.subresource,
                                      manager: fieldManager(request), dryRun: try isDryRun(request),
                                      fieldValidation: request.query["fieldValidation"])
        return json(200, result)
    }

    /// The update path shared by PUT, PATCH, apply and the controllers: keeps system metadata,
    /// routes status to the status subresource, validates, bumps generation on spec changes,
    /// records managed fields, and treats an unchanged object as a no-op (same resourceVersion).
    @discardableResult
    func updateObject(current: Value, proposed: Value, type: ResourceType, subresource: String?, manager: String,
                      operation: String = "Update", dryRun: Bool = false, fieldValidation: String? = nil,
                      appliedFields: FieldSet? = nil, forcedManagers: [String: FieldSet] = [:]) throws(APIError) -> Value {
        var object = proposed
        object["kind"] = current["kind"]
        object["apiVersion"] = current["apiVersion"]
        // System metadata is the server's.
        for key in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation",
                    "name", "namespace", "generateName"] {
            object[path: ["metadata", key]] = current["metadata"][key]
        }
        if let map = object["metadata"].mapValue {
            object["metadata"] = .map(map.filter { !$0.value.isNull })
        }
        if subresource == "status" {
            var onlyStatus = current
            onlyStatus["status"] = object["status"]
            if onlyStatus["status"].isNull { onlyStatus.remove("status") }
            object = onlyStatus
        } else if type.hasStatus {
            object["status"] = current["status"]
            if current["status"].isNull { object.remove("status") }
        }
        object = Defaults.onUpdate(object, current: current, type: type)
        object = try Validation.admit(object, type: type, fieldValidation: fieldValidation, warnings: &warnings)
        try Validation.checkUpdate(old: current, new: object, type: type)
        if current.isDeleting {
            let added = object.finalizers.filter { !current.finalizers.contains($0) }
            if !added.isEmpty {
                let detail = "no new finalizers can be added if the object is being deleted, found new finalizers []string{\(added.map { "\"\($0)\"" }.joined(separator: ", "))}"
                throw APIError.invalid(type, name: current.name, causes: [
                    .forbidden("metadata.finalizers", detail), .forbidden("metadata.finalizers", detail),
                ])
            }
        }
        // Managed fields.
        let previousEntries = current["metadata"]["managedFields"].listValue ?? []
        let entries: [Value]
        if let appliedFields {
            entries = ManagedFields.recordApply(entries: previousEntries, manager: manager, apiVersion: type.groupVersion,
                                                time: timestamp, fields: appliedFields, subresource: subresource,
                                                forced: forcedManagers)
        } else {
            let changed = ManagedFields.fieldsSet(by: current, to: object, type: type)
            entries = ManagedFields.recordUpdate(entries: previousEntries, manager: manager, apiVersion: type.groupVersion,
                                                 time: timestamp, changed: changed,
                                                 removed: ManagedFields.removedFields(from: current, to: object, type: type),
                                                 subresource: subresource)
        }
        object[path: ["metadata", "managedFields"]] = entries.isEmpty ? .null : .list(entries)
        if entries.isEmpty, var map = object["metadata"].mapValue {
            map.removeValue(forKey: "managedFields")
            object["metadata"] = .map(map)
        }
        object[path: ["metadata", "resourceVersion"]] = current["metadata"]["resourceVersion"]
        object = ObjectShape.canonical(object, custom: type.custom != nil)
        if Self.sameIgnoringManagedFields(object, current) { return current }
        if type.tracksGeneration, Self.specChanged(from: current, to: object, type: type) {
            let generation = current["metadata"]["generation"].intValue ?? 1
            object[path: ["metadata", "generation"]] = .int(generation + 1)
        }
        object = ObjectShape.canonical(object, custom: type.custom != nil)
        try Admission.check(operation: "UPDATE", object: object, type: type, state: self)
        if dryRun { return object }
        if object.isDeleting, object.finalizers.isEmpty {
            // One DELETED event whose object still lists the last finalizer, as on a real server.
            let removed = store.remove(type.storageKey, namespace: object.namespace, name: object.name)
            object[path: ["metadata", "resourceVersion"]] = removed?["metadata"]["resourceVersion"] ?? .null
            didWrite(type)
            return object
        }
        let stored = store.write(type.storageKey, object, type: "MODIFIED")
        didWrite(type)
        return stored
    }

    static func sameIgnoringManagedFields(_ a: Value, _ b: Value) -> Bool {
        var x = a, y = b
        x[path: ["metadata", "managedFields"]] = .null
        y[path: ["metadata", "managedFields"]] = .null
        return x == y
    }

    /// Generation follows everything outside metadata, except status when it is a subresource.
    static func specChanged(from old: Value, to new: Value, type: ResourceType) -> Bool {
        var a = old.mapValue ?? [:], b = new.mapValue ?? [:]
        for key in ["metadata", "kind", "apiVersion"] { a.removeValue(forKey: key); b.removeValue(forKey: key) }
        if type.hasStatus { a.removeValue(forKey: "status"); b.removeValue(forKey: "status") }
        return Value.map(a) != Value.map(b)
    }

    func didWrite(_ type: ResourceType) {
        dirty = true
        if type.storageKey == StorageKey(group: "apiextensions.k8s.io", resource: "customresourcedefinitions") {
            refreshCustomResources()
        }
    }

    // MARK: Scale

    func scale(of object: Value, type: ResourceType) throws(APIError) -> Value {
        let specPath = scalePath(type.custom?.specReplicasPath ?? ".spec.replicas")
        let statusPath = scalePath(type.custom?.statusReplicasPath ?? ".status.replicas")
        var selector = ""
        if let selectorPath = type.custom?.labelSelectorPath {
            selector = object[path: scalePath(selectorPath)].stringValue ?? ""
        } else if !object["spec"]["selector"].isNull {
            selector = LabelSelector(object: object["spec"]["selector"]).text
        }
        var metadata: Value = [:]
        for key in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] where !object["metadata"][key].isNull {
            metadata[key] = object["metadata"][key]
        }
        var status: Value = ["replicas": .int(object[path: statusPath].intValue ?? 0)]
        if !selector.isEmpty { status["selector"] = .string(selector) }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata,
                "spec": ["replicas": .int(object[path: specPath].intValue ?? 0)], "status": status]
    }

    private func scalePath(_ jsonPath: String) -> [String] {
        jsonPath.split(separator: ".").map(String.init)
    }

    private func writeScale(_ request: APIRequest, route: ResourceRoute, name: String, newScale: Value) throws(APIError) -> APIResponse {
        let type = route.type
        guard let current = store.get(type.storageKey, namespace: route.namespace ?? "", name: name) else {
            throw APIError.notFound(type, name: name)
        }
        guard let replicas = newScale["spec"]["replicas"].intValue else {
            throw APIError.invalid(type, name: name, causes: [.required("spec.replicas")])
        }
        var updated = current
        updated[path: scalePath(type.custom?.specReplicasPath ?? ".spec.replicas")] = .int(replicas)
        let result = try updateObject(current: current, proposed: updated, type: type, subresource: "scale",
                                      manager: fieldManager(request), dryRun: try isDryRun(request))
        return json(200, try scale(of: result, type: type))
    }

    // MARK: Delete

    private func delete(_ request: APIRequest, route: ResourceRoute, name: String) throws(APIError) -> APIResponse {
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

    private func deleteCollection(_ request: APIRequest, route: ResourceRoute) throws(APIError) -> APIResponse {
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

    // MARK: Request helpers

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
    private func rejectProtobuf(_ request: APIRequest) throws(APIError) {
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
            let quoted = warning.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
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
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    static func decode(_ token: String) throws(APIError) -> (revision: Int, after: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
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
