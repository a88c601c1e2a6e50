import Unstructured

/// Options every write accepts.
public struct WriteOptions: Sendable {
    /// Server-side dry run (`dryRun=All`): validated and defaulted, never stored.
    public var dryRun: Bool
    /// `fieldManager`; nil uses the client's (`seldon-operator`).
    public var fieldManager: String?
    /// `fieldValidation` (Strict, Warn, Ignore); nil leaves the server default.
    public var fieldValidation: String?

    public init(dryRun: Bool = false, fieldManager: String? = nil, fieldValidation: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.fieldValidation = fieldValidation
    }
}

/// The three patch formats every resource accepts (strategic merge is left out: custom
/// resources refuse it with 415).
public enum Patch: Sendable {
    /// Server-side apply: the caller's full intent for the fields it manages.
    case apply(Value, force: Bool)
    /// RFC 7386 JSON merge patch.
    case merge(Value)
    /// RFC 6902 JSON patch operations.
    case json([Value])
}

public struct ListOptions: Sendable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; the client follows `continue` until the list is complete.
    public var limit: Int

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int = 500) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
    }

    var query: [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        return query
    }
}

/// A complete list: every page's items and the resourceVersion to watch from.
public struct ObjectList: Sendable {
    public var items: [Value]
    public var resourceVersion: String
}

public struct DeleteOptions: Sendable {
    public enum Propagation: String, Sendable { case background = "Background", foreground = "Foreground", orphan = "Orphan" }

    public var propagationPolicy: Propagation?
    /// Delete only if the object still has this uid / resourceVersion (else 409).
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var gracePeriodSeconds: Int?
    public var dryRun: Bool

    public init(propagationPolicy: Propagation? = nil, preconditionUID: String? = nil,
                preconditionResourceVersion: String? = nil, gracePeriodSeconds: Int? = nil, dryRun: Bool = false) {
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
    }

    var body: Value {
        var body: Value = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { body["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { body["gracePeriodSeconds"] = .int(gracePeriodSeconds) }
        if preconditionUID != nil || preconditionResourceVersion != nil {
            var preconditions: Value = [:]
            if let preconditionUID { preconditions["uid"] = .string(preconditionUID) }
            if let preconditionResourceVersion { preconditions["resourceVersion"] = .string(preconditionResourceVersion) }
            body["preconditions"] = preconditions
        }
        if dryRun { body["dryRun"] = ["All"] }
        return body
    }
}

/// What a DELETE answered: gone at once, or still there with a deletionTimestamp because
/// finalizers hold it.
public enum DeleteResult: Sendable {
    case deleted
    case pending(Value)
}

/// An object's identity inside an error message or a call.
struct Target {
    var mapping: RESTMapping
    var namespace: String?
    var name: String?
}

extension KubeClient {
    // MARK: Reads

    /// Reads one object. `namespace` nil means the configured namespace (for namespaced kinds).
    public func get(_ gvk: GroupVersionKind, name: String, namespace: String? = nil) async throws -> Value {
        let target = try await resolve(gvk, namespace: namespace, name: name)
        return try await send(Call(verb: "get", method: "GET", path: target.mapping.path(namespace: target.namespace, name: name)))
    }

    /// Lists every object, following `continue` through all pages. `namespace` nil lists
    /// across all namespaces.
    public func list(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions = .init()) async throws -> ObjectList {
        let mapping = try await mapping(for: gvk)
        let path = mapping.path(namespace: mapping.namespaced ? namespace : nil)
        var items: [Value] = []
        var token: String?
        var resourceVersion = ""
        repeat {
            var query = options.query + [("limit", String(options.limit))]
            if let token { query.append(("continue", token)) }
            let page = try await send(Call(verb: "list", method: "GET", path: path, query: query))
            items += page["items"].listValue ?? []
            // Later pages keep the first page's snapshot; its resourceVersion is the list's.
            if resourceVersion.isEmpty { resourceVersion = page["metadata"]["resourceVersion"].stringValue ?? "" }
            token = page["metadata"]["continue"].stringValue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return ObjectList(items: items, resourceVersion: resourceVersion)
    }

    // MARK: Writes

    public func create(_ object: Value, options: WriteOptions = .init()) async throws -> Value {
        let target = try await resolve(object)
        return try await send(Call(verb: "create", method: "POST", path: target.mapping.path(namespace: target.namespace),
                                   query: writeQuery(options), body: object, secretPayload: isSecret(target)))
    }

    /// PUT: replaces the object; a `metadata.resourceVersion` makes it conditional (409 when stale).
    public func update(_ object: Value, options: WriteOptions = .init()) async throws -> Value {
        try await put(object, subresource: nil, options: options)
    }

    /// PUT on the `status` subresource: only `.status` is taken from `object`.
    public func updateStatus(_ object: Value, options: WriteOptions = .init()) async throws -> Value {
        try await put(object, subresource: "status", options: options)
    }

    /// Server-side apply of `object` under the client's field manager (or `options.fieldManager`).
    public func apply(_ object: Value, force: Bool = false, subresource: String? = nil,
                      options: WriteOptions = .init()) async throws -> Value {
        let target = try await resolve(object)
        return try await patch(target, .apply(object, force: force), subresource: subresource, options: options)
    }

    public func patch(_ gvk: GroupVersionKind, name: String, namespace: String? = nil, _ patch: Patch,
                      subresource: String? = nil, options: WriteOptions = .init()) async throws -> Value {
        let target = try await resolve(gvk, namespace: namespace, name: name)
        return try await self.patch(target, patch, subresource: subresource, options: options)
    }

    public func delete(_ gvk: GroupVersionKind, name: String, namespace: String? = nil,
                       options: DeleteOptions = .init()) async throws -> DeleteResult {
        let target = try await resolve(gvk, namespace: namespace, name: name)
        let answer = try await send(Call(verb: "delete", method: "DELETE", path: target.mapping.path(namespace: target.namespace, name: name),
                                         query: options.dryRun ? [("dryRun", "All")] : [], body: options.body))
        return answer["kind"].stringValue == "Status" ? .deleted : .pending(answer)
    }

    /// DELETE on the collection: every object matching the selectors.
    public func deleteCollection(_ gvk: GroupVersionKind, namespace: String? = nil, list: ListOptions = .init(),
                                 options: DeleteOptions = .init()) async throws {
        let target = try await resolve(gvk, namespace: namespace, name: nil)
        var query = list.query
        if options.dryRun { query.append(("dryRun", "All")) }
        _ = try await send(Call(verb: "deletecollection", method: "DELETE", path: target.mapping.path(namespace: target.namespace), query: query,
                                body: options.body))
    }

    // MARK: Helpers

    private func put(_ object: Value, subresource: String?, options: WriteOptions) async throws -> Value {
        let target = try await resolve(object)
        guard let name = target.name else { throw MissingFieldError(field: "metadata.name", object: "\(target.mapping.gvk)") }
        return try await send(Call(verb: subresource == "status" ? "update_status" : "update", method: "PUT", path: target.mapping.path(namespace: target.namespace, name: name,
                                                                             subresource: subresource),
                                   query: writeQuery(options), body: object, secretPayload: isSecret(target)))
    }

    private func patch(_ target: Target, _ patch: Patch, subresource: String?, options: WriteOptions) async throws -> Value {
        guard let name = target.name else { throw MissingFieldError(field: "metadata.name", object: "\(target.mapping.gvk)") }
        var query = writeQuery(options)
        let body: Value, contentType: String, verb: String
        switch patch {
        case let .apply(object, force):
            if options.fieldManager == nil { query.append(("fieldManager", self.options.fieldManager)) }
            query.append(("force", force ? "true" : "false"))
            (body, contentType, verb) = (object, "application/apply-patch+yaml", "apply")
        case let .merge(document): (body, contentType, verb) = (document, "application/merge-patch+json", "patch")
        case let .json(operations): (body, contentType, verb) = (.list(operations), "application/json-patch+json", "patch")
        }
        return try await send(Call(verb: verb, method: "PATCH", path: target.mapping.path(namespace: target.namespace, name: name,
                                                                              subresource: subresource),
                                   query: query, body: body, contentType: contentType, secretPayload: isSecret(target)))
    }

    private func writeQuery(_ options: WriteOptions) -> [(String, String)] {
        var query: [(String, String)] = []
        if options.dryRun { query.append(("dryRun", "All")) }
        if let manager = options.fieldManager { query.append(("fieldManager", manager)) }
        if let validation = options.fieldValidation { query.append(("fieldValidation", validation)) }
        return query
    }

    private func isSecret(_ target: Target) -> Bool {
        target.mapping.gvk.group.isEmpty && target.mapping.resource == "secrets"
    }

    func resolve(_ gvk: GroupVersionKind, namespace: String?, name: String?) async throws -> Target {
        let mapping = try await mapping(for: gvk)
        return Target(mapping: mapping, namespace: mapping.namespaced ? (namespace ?? configuration.namespace) : nil,
                      name: name)
    }

    func resolve(_ object: Value) async throws -> Target {
        guard let gvk = GroupVersionKind(of: object) else {
            throw MissingFieldError(field: "apiVersion and kind", object: object["metadata"]["name"].stringValue ?? "(unnamed)")
        }
        return try await resolve(gvk, namespace: object["metadata"]["namespace"].stringValue,
                                 name: object["metadata"]["name"].stringValue)
    }
}

/// An object handed to the client lacks a field the call needs.
public struct MissingFieldError: Error, CustomStringConvertible, Sendable {
    public var field: String
    public var object: String
    public var description: String { "\(object): \(field) is required for this call" }
}
