import Controller
import Foundation
import Lifecycle
import Unstructured

/// An in-memory API server with what the controller relies on: resourceVersions checked
/// on update, merge patch and the status subresource, generation bumped on spec changes,
/// finalizers holding deletion, watches, and a log of every write.
actor MemoryCluster: Cluster, StatusWriter {
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

    private(set) var objects: [Key: Value] = [:]
    private(set) var writes: [String] = []
    private var resourceVersion = 1
    private var clockSeconds = 0
    private var watchers: [UUID: Watcher] = [:]
    /// Watch requests made, by kind and selector, to check what the controller asks for.
    private(set) var watchRequests: [String] = []

    private struct Watcher {
        var groupKind: GroupKind
        var namespace: String?
        var selector: String?
        var continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation

        func wants(_ object: Value, _ reference: ObjectReference) -> Bool {
            groupKind == reference.groupKind && (namespace == nil || namespace == reference.namespace)
                && MemoryCluster.matches(object, selector)
        }
    }
    /// When set, every request fails as an unreachable server does.
    var unavailable = false

    func setUnavailable(_ value: Bool) { unavailable = value }
    func clearWrites() { writes = [] }
    func object(_ reference: ObjectReference) -> Value? { objects[Key(reference)] }

    /// Stores `object` as a user's kubectl would, logging the write.
    @discardableResult
    func put(_ object: Value) throws -> Value {
        guard let reference = ObjectReference(object: object) else { throw ClusterError(.invalid, nil, "no reference") }
        return store(object, at: reference, verb: "put")
    }

    func get(_ reference: ObjectReference) async throws -> Value? {
        try checkAvailable()
        return objects[Key(reference)]
    }

    func list(apiVersion: String, kind: String, namespace: String?, labelSelector: String?) async throws -> [Value] {
        try checkAvailable()
        let groupKind = GroupKind(apiVersion: apiVersion, kind: kind)
        return objects.filter { $0.key.groupKind == groupKind && (namespace == nil || $0.key.namespace == namespace)
            && Self.matches($0.value, labelSelector) }
            .sorted { ($0.key.namespace ?? "", $0.key.name) < ($1.key.namespace ?? "", $1.key.name) }
            .map(\.value)
    }

    nonisolated func watch(apiVersion: String, kind: String, namespace: String?, labelSelector: String?)
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let id = UUID()
        let groupKind = GroupKind(apiVersion: apiVersion, kind: kind)
        let watcher = Watcher(groupKind: groupKind, namespace: namespace, selector: labelSelector, continuation: continuation)
        Task { await self.register(id, watcher) }
        continuation.onTermination = { _ in Task { await self.unregister(id) } }
        return stream
    }

    func apply(_ object: Value, fieldManager: String, force: Bool) async throws -> Value {
        try checkAvailable()
        guard let reference = ObjectReference(object: object) else { throw ClusterError(.invalid, nil, "no reference") }
        return store(object, at: reference, verb: "apply")
    }

    func create(_ object: Value) async throws -> Value {
        try checkAvailable()
        guard let reference = ObjectReference(object: object) else { throw ClusterError(.invalid, nil, "no reference") }
        guard objects[Key(reference)] == nil else { throw ClusterError(.alreadyExists, reference, "already exists") }
        return store(object, at: reference, verb: "create")
    }

    func update(_ object: Value) async throws -> Value {
        try checkAvailable()
        guard let reference = ObjectReference(object: object) else { throw ClusterError(.invalid, nil, "no reference") }
        try checkVersion(object["metadata"]["resourceVersion"], of: reference)
        return store(object, at: reference, verb: "update")
    }

    func mergePatch(_ reference: ObjectReference, patch: Value) async throws -> Value {
        try checkAvailable()
        guard let existing = objects[Key(reference)] else { throw ClusterError(.notFound, reference, "not found") }
        if !patch["metadata"]["resourceVersion"].isNull { try checkVersion(patch["metadata"]["resourceVersion"], of: reference) }
        return store(existing.merging(patch), at: reference, verb: "patch")
    }

    func delete(_ reference: ObjectReference) async throws -> Bool {
        try checkAvailable()
        guard var existing = objects[Key(reference)] else { return false }
        writes.append("delete \(reference)")
        if (existing["metadata"]["finalizers"].listValue ?? []).isEmpty {
            objects[Key(reference)] = nil
            notify(.deleted(existing), reference)
        } else if existing["metadata"]["deletionTimestamp"].isNull {
            existing["metadata"]["deletionTimestamp"] = "2026-11-21T22:00:00Z"
            objects[Key(reference)] = existing
            notify(.modified(existing), reference)
        }
        return true
    }

    func servedKinds() async throws -> Set<GroupKind> { [] }

    func writeStatus(_ status: Value, of object: Value) async throws -> Value {
        try checkAvailable()
        guard let reference = ObjectReference(object: object), var existing = objects[Key(reference)] else {
            throw ClusterError(.notFound, nil, "not found")
        }
        try checkVersion(object["metadata"]["resourceVersion"], of: reference)
        existing["status"] = status
        return store(existing, at: reference, verb: "status")
    }

    // MARK: Internals

    private func checkAvailable() throws {
        if unavailable { throw ClusterError(.unavailable, nil, "connection refused") }
    }

    private func checkVersion(_ version: Value, of reference: ObjectReference) throws {
        guard let existing = objects[Key(reference)] else { throw ClusterError(.notFound, reference, "not found") }
        guard existing["metadata"]["resourceVersion"] == version else {
            throw ClusterError(.conflict, reference, "the object has been modified")
        }
    }

    @discardableResult
    private func store(_ object: Value, at reference: ObjectReference, verb: String) -> Value {
        var object = object
        let existing = objects[Key(reference)]
        resourceVersion += 1
        object["metadata"]["resourceVersion"] = .string(String(resourceVersion))
        if let existing {
            object["metadata"]["uid"] = existing["metadata"]["uid"]
            object["metadata"]["creationTimestamp"] = existing["metadata"]["creationTimestamp"]
            let generation = existing["metadata"]["generation"].intValue ?? 1
            object["metadata"]["generation"] = .int(existing["spec"] == object["spec"] ? generation : generation + 1)
            if verb != "status" { object["status"] = existing["status"] }
        } else {
            clockSeconds += 1
            object["metadata"]["uid"] = .string("uid-\(resourceVersion)")
            object["metadata"]["generation"] = 1
            object["metadata"]["creationTimestamp"] = .string("2026-11-21T22:00:\(clockSeconds < 10 ? "0" : "")\(clockSeconds)Z")
        }
        writes.append("\(verb) \(reference)")
        if !object["metadata"]["deletionTimestamp"].isNull, (object["metadata"]["finalizers"].listValue ?? []).isEmpty {
            objects[Key(reference)] = nil
            notify(.deleted(object), reference)
            return object
        }
        objects[Key(reference)] = object
        notify(existing == nil ? .added(object) : .modified(object), reference)
        return object
    }

    private func notify(_ event: WatchEvent, _ reference: ObjectReference) {
        for watcher in watchers.values where watcher.wants(event.object, reference) {
            watcher.continuation.yield(event)
        }
    }

    private func register(_ id: UUID, _ watcher: Watcher) {
        watchRequests.append("\(watcher.groupKind) \(watcher.selector ?? "")")
        if unavailable {
            watcher.continuation.finish(throwing: ClusterError(.unavailable, nil, "connection refused"))
            return
        }
        for object in objects.values {
            if let reference = ObjectReference(object: object), watcher.wants(object, reference) {
                watcher.continuation.yield(.added(object))
            }
        }
        watcher.continuation.yield(.synced)
        watchers[id] = watcher
    }

    /// Equality terms only (`a=b,c=d`), what the controller uses.
    static func matches(_ object: Value, _ selector: String?) -> Bool {
        (selector ?? "").split(separator: ",").allSatisfy { term in
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            return object["metadata"]["labels"][parts[0]].stringValue == (parts.count > 1 ? parts[1] : nil)
        }
    }

    private func unregister(_ id: UUID) { watchers[id] = nil }
}
