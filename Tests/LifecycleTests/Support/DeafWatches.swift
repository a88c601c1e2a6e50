import LifecycleTesting
import Unstructured

@testable import Lifecycle

/// A cluster whose watches hear nothing: each reports `synced` at once and then falls
/// silent, as a watch does whose events are all still queued (on a starved machine) or
/// lost (behind a broken proxy). Reads and writes pass through to `base`.
struct DeafWatches: Cluster {
    let base: MemoryCluster

    init(_ base: MemoryCluster) { self.base = base }

    func get(_ reference: ObjectReference) async throws -> Value? { try await base.get(reference) }

    func list(apiVersion: String, kind: String, namespace: String?, labelSelector: String?) async throws -> [Value] {
        try await base.list(apiVersion: apiVersion, kind: kind, namespace: namespace, labelSelector: labelSelector)
    }

    func watch(apiVersion: String, kind: String, namespace: String?, labelSelector: String?)
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        continuation.yield(.synced)
        return stream
    }

    func apply(_ object: Value, fieldManager: String, force: Bool) async throws -> Value {
        try await base.apply(object, fieldManager: fieldManager, force: force)
    }

    func create(_ object: Value) async throws -> Value { try await base.create(object) }
    func update(_ object: Value) async throws -> Value { try await base.update(object) }
    func mergePatch(_ reference: ObjectReference, patch: Value) async throws -> Value {
        try await base.mergePatch(reference, patch: patch)
    }
    func delete(_ reference: ObjectReference) async throws -> Bool { try await base.delete(reference) }
    func servedKinds() async throws -> Set<GroupKind> { try await base.servedKinds() }
}
