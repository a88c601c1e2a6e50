import FoundationEssentials
import Unstructured

/// POST, PUT and PATCH, and the create and update paths that apply, the controllers and
/// deletion share: system metadata, status routing, validation, generation, managed fields.
extension ClusterState {
    func create(_ request: APIRequest, route: ResourceRoute) throws(APIError) -> APIResponse {
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

    func update(_ request: APIRequest, route: ResourceRoute, name: String) throws(APIError) -> APIResponse {
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

    func patch(_ request: APIRequest, route: ResourceRoute, name: String) throws(APIError) -> APIResponse {
        let type = route.type
        let namespace = route.namespace ?? ""
        let contentType = (request.header("content-type") ?? "").split(separator: ";").first?.trimmingSpaces() ?? ""
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
        // Compared with the stored object as a read decodes it (defaulted), so a default the CRD
        // gained after the object was stored is not taken for a spec change.
        let previous = type.custom?.schema.map { SchemaDefaults.apply(current, schema: $0) } ?? current
        if type.tracksGeneration, Self.specChanged(from: previous, to: object, type: type) {
            let generation = current["metadata"]["generation"].intValue ?? 1
            object[path: ["metadata", "generation"]] = .int(generation + 1)
        }
        object = ObjectShape.canonical(object, custom: type.custom != nil)
        try Admission.check(operation: "UPDATE", object: object, type: type, state: self)
        if dryRun { return object }
        if object.isDeleting, object.finalizers.isEmpty {
            // As on a real server: one DELETED event, carrying the deletion's new resourceVersion
            // and the last stored state (still listing the finalizer); the answer is the final
            // state with the last stored resourceVersion.
            _ = store.remove(type.storageKey, namespace: object.namespace, name: object.name)
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
}
