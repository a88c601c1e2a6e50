import Foundation
import Unstructured

@testable import Lifecycle

/// An in-memory API server for the engine's tests: uids, resourceVersions, generations,
/// finalizers and watches as a real server has them, plus a log of writes and hooks that
/// play the controllers. It answers at once, so tests never wait on a timer.
actor MemoryCluster: Cluster {
    struct Key: Hashable {
        var groupKind: GroupKind
        var namespace: String?
        var name: String

        init(_ reference: ObjectReference) {
            groupKind = reference.groupKind
            namespace = reference.namespace
            name = reference.name
        }
    }

    /// One write request, as the Sandbox's request log records it.
    struct Write: Equatable {
        var verb: String
        var reference: ObjectReference
    }

    private(set) var objects: [Key: Value] = [:]
    private(set) var writes: [Write] = []
    private var nextUID = 1
    private var resourceVersion = 100
    private var watchers: [UUID: Watcher] = [:]
    var served: Set<GroupKind>
    /// Plays the controllers: given an object just written, returns what they would store
    /// in response (the object with its status, and objects they create, such as Pods or
    /// EndpointSlices); empty to leave it alone.
    var controller: @Sendable (Value) -> [Value] = { _ in [] }
    /// Plays admission webhooks: a message refuses the write, as a webhook without
    /// endpoints makes a real server refuse it.
    var admission: @Sendable (Value, [Value]) -> String? = { _, _ in nil }
    /// Errors to throw from the next writes of an object, keyed by object name.
    var failures: [String: ClusterError] = [:]

    struct Watcher {
        var groupKind: GroupKind
        var namespace: String?
        var selector: [(String, String)]
        var continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    }

    init(served: Set<GroupKind> = MemoryCluster.builtIn) {
        self.served = served
    }

    static let builtIn: Set<GroupKind> = Set(
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

    func setController(_ controller: @escaping @Sendable (Value) -> [Value]) { self.controller = controller }
    func setAdmission(_ admission: @escaping @Sendable (Value, [Value]) -> String?) { self.admission = admission }
    func fail(name: String, with error: ClusterError) { failures[name] = error }
    func serve(_ kind: GroupKind) { served.insert(kind) }
    func clearWrites() { writes = [] }

    func object(_ reference: ObjectReference) -> Value? { objects[Key(reference)] }

    /// Stores `object` as a controller would (no write logged), notifying watchers.
    func put(_ object: Value) {
        guard let reference = ObjectReference(object: object) else { return }
        store(object, at: reference, verb: nil)
    }

    // MARK: Cluster

    func get(_ reference: ObjectReference) async throws -> Value? { objects[Key(reference)] }

    func list(apiVersion: String, kind: String, namespace: String?, labelSelector: String?) async throws -> [Value] {
        let groupKind = GroupKind(apiVersion: apiVersion, kind: kind)
        let selector = Self.parse(labelSelector)
        return objects.filter { key, object in
            key.groupKind == groupKind && (namespace == nil || key.namespace == namespace)
                && Self.matches(object, selector)
        }
        .sorted { ($0.key.namespace ?? "", $0.key.name) < ($1.key.namespace ?? "", $1.key.name) }
        .map(\.value)
    }

    nonisolated func watch(apiVersion: String, kind: String, namespace: String?, labelSelector: String?)
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let id = UUID()
        let groupKind = GroupKind(apiVersion: apiVersion, kind: kind)
        Task { await self.register(id, groupKind, namespace, labelSelector, continuation) }
        continuation.onTermination = { _ in Task { await self.unregister(id) } }
        return stream
    }

    func apply(_ object: Value, fieldManager: String, force: Bool) async throws -> Value {
        let reference = try checked(object)
        if let failure = failures.removeValue(forKey: reference.name) { throw failure }
        if let refusal = admission(object, Array(objects.values)) { throw ClusterError(.invalid, reference, refusal) }
        var stored = object
        if let existing = objects[Key(reference)] {
            stored["status"] = existing["status"]
            stored["metadata"]["finalizers"] = object["metadata"]["finalizers"].isNull
                ? existing["metadata"]["finalizers"] : object["metadata"]["finalizers"]
            stored["metadata"]["deletionTimestamp"] = existing["metadata"]["deletionTimestamp"]
        }
        return store(stored, at: reference, verb: "apply")
    }

    func create(_ object: Value) async throws -> Value {
        let reference = try checked(object)
        guard objects[Key(reference)] == nil else {
            throw ClusterError(.alreadyExists, reference, "\(reference.name) already exists")
        }
        return store(object, at: reference, verb: "create")
    }

    func update(_ object: Value) async throws -> Value {
        let reference = try checked(object)
        guard let existing = objects[Key(reference)] else { throw ClusterError(.notFound, reference, "not found") }
        guard existing["metadata"]["resourceVersion"] == object["metadata"]["resourceVersion"] else {
            throw ClusterError(.conflict, reference, "the object has been modified; please apply your changes to the latest version and try again")
        }
        return store(object, at: reference, verb: "update")
    }

    func mergePatch(_ reference: ObjectReference, patch: Value) async throws -> Value {
        guard let existing = objects[Key(reference)] else { throw ClusterError(.notFound, reference, "not found") }
        return store(Self.merge(existing, patch), at: reference, verb: "patch")
    }

    func delete(_ reference: ObjectReference) async throws -> Bool {
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

    func servedKinds() async throws -> Set<GroupKind> { served }

    // MARK: Internals

    private func checked(_ object: Value) throws -> ObjectReference {
        guard let reference = ObjectReference(object: object) else {
            throw ClusterError(.invalid, nil, "object has no apiVersion, kind or name")
        }
        guard served.contains(reference.groupKind) else {
            throw ClusterError(.notFound, reference, "no matches for kind \"\(reference.kind)\" in version \"\(reference.apiVersion)\"")
        }
        return reference
    }

    @discardableResult
    private func store(_ object: Value, at reference: ObjectReference, verb: String?) -> Value {
        var object = object
        let existing = objects[Key(reference)]
        resourceVersion += 1
        object["metadata"]["resourceVersion"] = .string(String(resourceVersion))
        if let existing {
            object["metadata"]["uid"] = existing["metadata"]["uid"]
            let generation = existing["metadata"]["generation"].count ?? 1
            object["metadata"]["generation"] = .int(existing["spec"] == object["spec"] ? generation : generation + 1)
        } else {
            object["metadata"]["uid"] = .string("uid-\(nextUID)")
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
            served.insert(GroupKind(group: group, kind: kind))
        }
        defer { for other in created { put(other) } }
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
        for watcher in watchers.values
        where watcher.groupKind == reference.groupKind && (watcher.namespace == nil || watcher.namespace == reference.namespace)
            && Self.matches(event.object, watcher.selector)
        {
            watcher.continuation.yield(event)
        }
    }

    private func register(
        _ id: UUID, _ groupKind: GroupKind, _ namespace: String?, _ selector: String?,
        _ continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    ) {
        let watcher = Watcher(groupKind: groupKind, namespace: namespace, selector: Self.parse(selector), continuation: continuation)
        for (key, object) in objects.sorted(by: { $0.key.name < $1.key.name })
        where key.groupKind == groupKind && (namespace == nil || key.namespace == namespace)
            && Self.matches(object, watcher.selector)
        {
            continuation.yield(.added(object))
        }
        continuation.yield(.synced)
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

    private static func merge(_ base: Value, _ patch: Value) -> Value {
        guard case let .map(changes) = patch else { return patch }
        var result = base.mapValue ?? [:]
        for (key, value) in changes {
            if value.isNull { result[key] = nil } else { result[key] = merge(result[key] ?? .null, value) }
        }
        return .map(result)
    }
}
