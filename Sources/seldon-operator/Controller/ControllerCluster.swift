import Controller
import KubeClient
import Lifecycle
import Stack
import Unstructured

/// Lifecycle's `Cluster` as the controller uses it: deleting a SeldonOperator the controller
/// is finalizing releases it. (Requests are counted for `/metrics` below this, by the
/// client's `RequestObserver`.)
///
/// The release is here, not in the reconciler, because of the engine's uninstall order: it
/// removes the stack, then its records, then deletes the SeldonOperator and waits for it to
/// disappear. Under the controller that object already carries a deletionTimestamp and is
/// held only by the controller's finalizer; removing the finalizer at that step is exactly
/// "the stack is gone, let the object go", where waiting would never end.
struct ControllerCluster: Cluster {
    let base: any Cluster

    func get(_ reference: ObjectReference) async throws -> Value? {
        try await base.get(reference)
    }

    func list(apiVersion: String, kind: String, namespace: String?, labelSelector: String?) async throws -> [Value] {
        try await base.list(apiVersion: apiVersion, kind: kind, namespace: namespace, labelSelector: labelSelector)
    }

    func watch(apiVersion: String, kind: String, namespace: String?, labelSelector: String?)
        -> AsyncThrowingStream<Lifecycle.WatchEvent, any Error>
    {
        base.watch(apiVersion: apiVersion, kind: kind, namespace: namespace, labelSelector: labelSelector)
    }

    func apply(_ object: Value, fieldManager: String, force: Bool) async throws -> Value {
        try await base.apply(object, fieldManager: fieldManager, force: force)
    }

    func create(_ object: Value) async throws -> Value {
        try await base.create(object)
    }

    func update(_ object: Value) async throws -> Value {
        try await base.update(object)
    }

    func mergePatch(_ reference: ObjectReference, patch: Value) async throws -> Value {
        try await base.mergePatch(reference, patch: patch)
    }

    @discardableResult
    func delete(_ reference: ObjectReference) async throws -> Bool {
        if reference.apiVersion == SeldonOperatorResource.apiVersion, reference.kind == SeldonOperatorResource.kind {
            try await releaseIfFinalizing(reference)
        }
        return try await base.delete(reference)
    }

    func servedKinds() async throws -> Set<GroupKind> {
        try await base.servedKinds()
    }

    /// Removes the controller's finalizer from `reference` if it is already being deleted.
    private func releaseIfFinalizing(_ reference: ObjectReference) async throws {
        guard let live = try await get(reference), !live["metadata"]["deletionTimestamp"].isNull else { return }
        let finalizers = live["metadata"]["finalizers"].listValue ?? []
        let finalizer = Value.string(SeldonOperatorReconciler.finalizer)
        guard finalizers.contains(finalizer) else { return }
        _ = try await mergePatch(reference, patch: [
            "metadata": ["finalizers": .list(finalizers.filter { $0 != finalizer }), "resourceVersion": live["metadata"]["resourceVersion"]],
        ])
    }
}
