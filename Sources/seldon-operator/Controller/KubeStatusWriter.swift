import Controller
import KubeClient
import Lifecycle
import Unstructured

/// The controller's status writes: a PUT of the status subresource carrying the
/// resourceVersion read, so a stale write is refused with a conflict instead of
/// overwriting a newer status.
struct KubeStatusWriter: Controller.StatusWriter {
    let client: KubeClient

    func writeStatus(_ status: Value, of object: Value) async throws -> Value {
        var updated = object
        updated["status"] = status
        do {
            return try await client.updateStatus(updated)
        } catch {
            throw KubeCluster.translate(error, ObjectReference(object: object))
        }
    }
}
