import Controller
import KubeClient
import Lifecycle
import Stack
import Unstructured

/// Lifecycle's `Cluster` as the controller uses it: every request is counted for
/// `/metrics` by verb and status code, and deleting a SeldonOperator the controller is
/// finalizing releases it.
///
/// The release is here, not in the reconciler, because of the engine's uninstall order: it
/// removes the stack, then its records, then deletes the SeldonOperator and waits for it to
/// disappear. Under the controller that object already carries a deletionTimestamp and is
/// held only by the controller's finalizer; removing the finalizer at that step is exactly
/// "the stack is gone, let the object go", where waiting would never end.
struct ControllerCluster: Cluster {
    let base: any Cluster
    let metrics: ControllerMetrics

    func get(_ reference: ObjectReference) async throws -> Value? {
        try await metered("get", code: { $0 == nil ? "404" : "2xx" }) { try await base.get(reference) }
    }

    func list(apiVersion: String, kind: String, namespace: String?, labelSelector: String?) async throws -> [Value] {
        try await metered("list") {
            try await base.list(apiVersion: apiVersion, kind: kind, namespace: namespace, labelSelector: labelSelector)
        }
    }

    /// Counts a watch once, when it starts delivering (2xx) or fails before it does.
    func watch(apiVersion: String, kind: String, namespace: String?, labelSelector: String?)
        -> AsyncThrowingStream<Lifecycle.WatchEvent, any Error>
    {
        let upstream = base.watch(apiVersion: apiVersion, kind: kind, namespace: namespace, labelSelector: labelSelector)
        return AsyncThrowingStream { continuation in
            let task = Task { [metrics] in
                var counted = false
                do {
                    for try await event in upstream {
                        if !counted { metrics.apiRequest(verb: "watch", code: "2xx") }
                        counted = true
                        continuation.yield(event)
                    }
                    continuation.finish()
                } catch {
                    if !counted, let code = Self.code(of: error) { metrics.apiRequest(verb: "watch", code: code) }
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func apply(_ object: Value, fieldManager: String, force: Bool) async throws -> Value {
        try await metered("apply") { try await base.apply(object, fieldManager: fieldManager, force: force) }
    }

    func create(_ object: Value) async throws -> Value {
        try await metered("create") { try await base.create(object) }
    }

    func update(_ object: Value) async throws -> Value {
        try await metered("update") { try await base.update(object) }
    }

    func mergePatch(_ reference: ObjectReference, patch: Value) async throws -> Value {
        try await metered("patch") { try await base.mergePatch(reference, patch: patch) }
    }

    @discardableResult
    func delete(_ reference: ObjectReference) async throws -> Bool {
        if reference.apiVersion == SeldonOperatorResource.apiVersion, reference.kind == SeldonOperatorResource.kind {
            try await releaseIfFinalizing(reference)
        }
        return try await metered("delete", code: { $0 ? "2xx" : "404" }) { try await base.delete(reference) }
    }

    func servedKinds() async throws -> Set<GroupKind> {
        try await metered("discovery") { try await base.servedKinds() }
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

    /// Runs one request and counts it. Codes are what the `Cluster` seam lets through: `2xx`
    /// for success (KubeClient returns the object, not the status line), the exact HTTP status
    /// of a refusal (after KubeClient's retries), `<error>` when no answer came (client-go's
    /// label for a transport failure).
    private func metered<T>(_ verb: String, code success: (T) -> String = { _ in "2xx" }, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            metrics.apiRequest(verb: verb, code: success(result))
            return result
        } catch {
            if let code = Self.code(of: error) { metrics.apiRequest(verb: verb, code: code) }
            throw error
        }
    }

    /// nil for a cancellation: no request failed, the controller is stopping.
    static func code(of error: any Error) -> String? {
        if error is CancellationError { return nil }
        // KubeCluster translates most failures; a discovery failure inside it arrives as KubeClient's own.
        if let status = (error as? ClusterError)?.httpStatus ?? (error as? APIError)?.code { return String(status) }
        return "<error>"
    }
}
