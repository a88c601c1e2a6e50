import Controller
import KubeClient
import Lifecycle
import Unstructured

/// The controller's status writes: a PUT of the status subresource carrying the
/// resourceVersion read, so a stale write is refused with a conflict instead of
/// overwriting a newer status. Counted with the other requests for `/metrics`.
struct KubeStatusWriter: Controller.StatusWriter {
    let client: KubeClient
    let metrics: ControllerMetrics

    func writeStatus(_ status: Value, of object: Value) async throws -> Value {
        var updated = object
        updated["status"] = status
        do {
            let stored = try await client.updateStatus(updated)
            metrics.apiRequest(verb: "update_status", code: "2xx")
            return stored
        } catch {
            let translated = KubeCluster.translate(error, ObjectReference(object: object))
            if let code = ControllerCluster.code(of: translated) { metrics.apiRequest(verb: "update_status", code: code) }
            throw translated
        }
    }
}
