import Foundation
import Lifecycle
import Unstructured

/// An in-memory API server for the tests of everything built on `Cluster` (the lifecycle
/// engine, the controller): uids, resourceVersions checked on update, generations bumped
/// on spec changes, the status subresource, finalizers holding deletion and watches as a
/// real server has them, plus a log of writes and hooks that play controllers, admission
/// webhooks and outages. It answers at once, so tests never wait on a timer.
public actor MemoryCluster: Cluster {
    public struct Key: Hashable, Sendable {
        public var groupKind: GroupKind
        public var namespace: String?
        public var name: String

        public init(_ reference: ObjectReference) {
            groupKind = reference.groupKind
            namespace = reference.namespace
            name = reference.name
        }
    }

    /// One write request, as the Sandbox's request log records it.
    public struct Write: Equatable, Sendable, CustomStringConvertible {
        public var verb: String
        public var reference: ObjectReference

        public var description: String { "\(verb) \(reference)" }
    }

    public private(set) var objects: [Key: Value] = [:]
    public private(set) var writes: [Write] = []
    /// Watches started, as `GROUP/KIND SELECTOR`, to check what a caller asks for.
    public private(set) var watchRequests: [String] = []
    private var nextUID = 1
    private var resourceVersion = 100
    private var watchers: [UUID: Watcher] = [:]
    /// The kinds the server serves; nil serves every kind.
    private var served: Set<GroupKind>?
    /// Plays the controllers: given an object just written, returns what they would store
    /// in response (the object with its status, and objects they create, such as Pods or
    /// EndpointSlices); empty to leave it alone.
    private var controller: @Sendable (Value) -> [Value] = { _ in [] }
    /// Plays admission webhooks: a message refuses the write, as a webhook without
    /// endpoints makes a real server refuse it.
    private var admission: @Sendable (Value, [Value]) -> String? = { _, _ in nil }
    /// Errors to throw from the next write (apply, create or update) of an object, keyed by
    /// object name; the write does not happen.
    private var failures: [String: ClusterError] = [:]
    /// When set, every request fails as an unreachable server does.
    private var unavailable = false

    private struct Watcher {
        var groupKind: GroupKind
        var namespace: String?
        var selector: [(String, String)]
        var continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation

        func wants(_ object: Value, _ reference: ObjectReference) -> Bool {
            groupKind == reference.groupKind && (namespace == nil || namespace == reference.namespace)
                && MemoryCluster.matches(object, selector)
        }
    }

    /// `served`: the kinds discovery reports and writes accept; nil (the default) for all.
    public init(served: Set<GroupKind>? = nil) {
        self.served = served
    }

    /// What a cluster without add-ons serves.
    public static let builtIn: Set<GroupKind> = Set(
        [
            ("", "Namespace"), ("", "ConfigMap"), ("", "Secret"), ("", "Service"), ("", "ServiceAccount"), ("", "Pod"),
            ("", "PersistentVolumeClaim"), ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"),
            ("rbac.authorization.k8s.io", "ClusterRole"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
            ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "RoleBinding"),
            ("apiextensions.k8s.io", "CustomResourceDefinition"), ("coordination.k8s.io", "Lease"),
            ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"), ("discovery.k8s.io", "EndpointSlice"),
            ("storage.k8s.io", "StorageClass"), ("batch", "Job"),
        ].map { GroupKind(group: $0.0, kind: $0.1) })

    // MARK: Test controls

    public func setController(_ controller: @escaping @Sendable (Value) -> [Value]) { self.controller = controller }
    public func setAdmission(_ admission: @escaping @Sendable (Value, [Value]) -> String?) { self.admission = admission }
    public func fail(name: String, with error: ClusterError) { failures[name] = error }
    public func setUnavailable(_ value: Bool) { unavailable = value }
    public func serve(_ kind: GroupKind) { served?.insert(kind) }
    public func clearWrites() { writes = [] }

    public func object(_ reference: ObjectReference) -> Value? { objects[Key(reference)] }

    /// Stores `object` as someone other than the code under test would (a user's kubectl,
    /// a controller): not logged as a write, and keeping the stored status unless `object`
    /// carries one.
    @discardableResult
    public func put(_ object: Value) throws -> Value {
        guard let reference = ObjectReference(object: object) else {
            throw ClusterError(.invalid, nil, "object has no apiVersion, kind or name")
        }
        var object = object
        if object["status"].isNull, let existing = objects[Key(reference)] { object["status"] = existing["status"] }
        return store(object, at: reference, verb: nil)
    }

    /// The status subresource: replaces the status of `object`, which must carry the
    /// resourceVersion it was read at.
    public func replaceStatus(_ status: Value, of object: Value) throws -> Value {
        try checkAvailable()
        guard let reference = ObjectReference(object: object), var existing = objects[Key(reference)] else {
            throw ClusterError(.notFound, nil, "not found")
        }
        try checkVersion(object["metadata"]["resourceVersion"], of: reference)
        existing["status"] = status
        return store(existing, at: reference, verb: "status")
    }

    // MARK: Cluster

    public func get(_ reference: ObjectReference) async throws -> Value? {
        try checkAvailable()
        return objects[Key(reference)]
    }

    public func list(apiVersion: String, kind: String, namespace: String?, labelSelector: String?) async throws -> [Value] {
        try checkAvailable()
        let groupKind = GroupKind(apiVersion: apiVersion, kind: kind)
        let selector = Self.parse(labelSelector)
        return objects.filter { key, object in
            key.groupKind == groupKind && (namespace == nil || key.namespace == namespace)
                && Self.matches(object, selector)
        }
        .sorted { ($0.key.namespace ?? "", $0.key.name) < ($1.key.namespace ?? "", $1.key.name) }
        .map(\.value)
    }

    public nonisolated func watch(apiVersion: String, kind: String, namespace: String?, labelSelector: String?)
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let id = UUID()
        let watcher = Watcher(
            groupKind: GroupKind(apiVersion: apiVersion, kind: kind), namespace: namespace,
            selector: Self.parse(labelSelector), continuation: continuation)
        let request = "\(watcher.groupKind) \(labelSelector ?? "")"
        Task { await self.register(id, watcher, request: request) }
        continuation.onTermination = { _ in Task { await self.unregister(id) } }
        return stream
    }

    public func apply(_ object: Value, fieldManager: String, force: Bool) async throws -> Value {
        let reference = try checked(object)
        if let refusal = admission(object, Array(objects.values)) { throw ClusterError(.invalid, reference, refusal) }
        var stored = object
        if let existing = objects[Key(reference)] {
            // Fields the applied object leaves out stay as other managers set them.
            stored["metadata"]["finalizers"] = object["metadata"]["finalizers"].isNull
                ? existing["metadata"]["finalizers"] : object["metadata"]["finalizers"]
            stored["metadata"]["deletionTimestamp"] = existing["metadata"]["deletionTimestamp"]
        }
        return store(stored, at: reference, verb: "apply")
    }

    public func create(_ object: Value) async throws -> Value {
        let reference = try checked(object)
        guard objects[Key(reference)] == nil else {
            throw ClusterError(.alreadyExists, reference, "\(reference.name) already exists")
        }
        return store(object, at: reference, verb: "create")
    }

    public func update(_ object: Value) async throws -> Value {
        let reference = try checked(object)
        try checkVersion(object["metadata"]["resourceVersion"], of: reference)
        return store(object, at: reference, verb: "update")
    }

    public func mergePatch(_ reference: ObjectReference, patch: Value) async throws -> Value {
        try checkAvailable()
        guard let existing = objects[Key(reference)] else { throw ClusterError(.notFound, reference, "not found") }
        if !patch["metadata"]["resourceVersion"].isNull { try checkVersion(patch["metadata"]["resourceVersion"], of: reference) }
        return store(Self.merge(existing, patch), at: reference, verb: "patch")
    }

    public func delete(_ reference: ObjectReference) async throws -> Bool {
        try checkAvailable()
        guard var existing = objects[Key(reference)] else { return false }
        writes.append(Write(verb: "delete", reference: reference))
        if (existing["metadata"]["finalizers"].listValue ?? []).isEmpty {
            objects[Key(reference)] = nil
            notify(.deleted(existing), at: reference)
        } else if existing["metadata"]["deletionTimestamp"].isNull {
            existing["metadata"]["deletionTimestamp"] = "2026-11-21T22:00:00Z"
            objects[Key(reference)] = existing
            notify(.modified(existing), at: reference)
        }
        return true
    }

    public func servedKinds() async throws -> Set<GroupKind> {
        try checkAvailable()
        return served ?? []
    }

    // MARK: Internals

    private func checkAvailable() throws {
        if unavailable { throw ClusterError(.unavailable, nil, "connection refused") }
    }

    private func checked(_ object: Value) throws -> ObjectReference {
        try checkAvailable()
        guard let reference = ObjectReference(object: object) else {
            throw ClusterError(.invalid, nil, "object has no apiVersion, kind or name")
        }
        if let served, !served.contains(reference.groupKind) {
            throw ClusterError(.notFound, reference, "no matches for kind \"\(reference.kind)\" in version \"\(reference.apiVersion)\"")
        }
        if let failure = failures.removeValue(forKey: reference.name) { throw failure }
        return reference
    }

    private func checkVersion(_ version: Value, of reference: ObjectReference) throws {
        guard let existing = objects[Key(reference)] else { throw ClusterError(.notFound, reference, "not found") }
        guard existing["metadata"]["resourceVersion"] == version else {
            throw ClusterError(.conflict, reference, "the object has been modified; please apply your changes to the latest version and try again")
        }
    }

    /// `verb` nil: stored by a test playing someone else, so neither logged nor shown to
    /// the controller hook.
    @discardableResult
    private func store(_ object: Value, at reference: ObjectReference, verb: String?) -> Value {
        var object = object
        let existing = objects[Key(reference)]
        resourceVersion += 1
        object["metadata"]["resourceVersion"] = .string(String(resourceVersion))
        if let existing {
            object["metadata"]["uid"] = existing["metadata"]["uid"]
            object["metadata"]["creationTimestamp"] = existing["metadata"]["creationTimestamp"]
            let generation = existing["metadata"]["generation"].intValue ?? 1
            object["metadata"]["generation"] = .int(existing["spec"] == object["spec"] ? generation : generation + 1)
            // Status is written through its subresource only, as for every kind that has one.
            if verb != nil && verb != "status" { object["status"] = existing["status"] }
        } else {
            object["metadata"]["uid"] = .string("uid-\(nextUID)")
            // One second apart, so that "oldest" is well defined.
            object["metadata"]["creationTimestamp"] = .string(
                ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: 1_795_305_600 + Double(nextUID))))
            nextUID += 1
            object["metadata"]["generation"] = 1
        }
        var created: [Value] = []
        if let verb {
            writes.append(Write(verb: verb, reference: reference))
            for response in controller(object) {
                if ObjectReference(object: response).map(Key.init) == Key(reference) { object = response } else { created.append(response) }
            }
        }
        if reference.kind == "CustomResourceDefinition", let group = object["spec"]["group"].stringValue,
            let kind = object["spec"]["names"]["kind"].stringValue
        {
            served?.insert(GroupKind(group: group, kind: kind))
        }
        defer { for other in created { _ = try? put(other) } }
        // Removing the last finalizer of an object being deleted completes the deletion.
        if !object["metadata"]["deletionTimestamp"].isNull, (object["metadata"]["finalizers"].listValue ?? []).isEmpty {
            objects[Key(reference)] = nil
            notify(.deleted(object), at: reference)
            return object
        }
        objects[Key(reference)] = object
        notify(existing == nil ? .added(object) : .modified(object), at: reference)
        return object
    }

    private func notify(_ event: WatchEvent, at reference: ObjectReference) {
        for watcher in watchers.values where watcher.wants(event.object, reference) {
            watcher.continuation.yield(event)
        }
    }

    private func register(_ id: UUID, _ watcher: Watcher, request: String) {
        watchRequests.append(request)
        if unavailable {
            watcher.continuation.finish(throwing: ClusterError(.unavailable, nil, "connection refused"))
            return
        }
        for object in objects.sorted(by: { $0.key.name < $1.key.name }).map(\.value) {
            if let reference = ObjectReference(object: object), watcher.wants(object, reference) {
                watcher.continuation.yield(.added(object))
            }
        }
        watcher.continuation.yield(.synced)
        watchers[id] = watcher
    }

    private func unregister(_ id: UUID) { watchers[id] = nil }

    private static func parse(_ selector: String?) -> [(String, String)] {
        (selector ?? "").split(separator: ",").map { term in
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    private static func matches(_ object: Value, _ selector: [(String, String)]) -> Bool {
        selector.allSatisfy { object["metadata"]["labels"][$0.0].stringValue == $0.1 }
    }

    /// RFC 7386: a null deletes the key.
    private static func merge(_ base: Value, _ patch: Value) -> Value {
        guard case let .map(changes) = patch else { return patch }
        var result = base.mapValue ?? [:]
        for (key, value) in changes {
            if value.isNull { result[key] = nil } else { result[key] = merge(result[key] ?? .null, value) }
        }
        return .map(result)
    }
}
