import Controller
import LifecycleTesting
import Unstructured

/// The in-memory API server shared with the lifecycle engine's tests.
typealias MemoryCluster = LifecycleTesting.MemoryCluster

/// The controller writes status through its own seam; the shared cluster's status
/// subresource serves it. Declared here because only these tests need the two together.
extension LifecycleTesting.MemoryCluster: StatusWriter {
    public func writeStatus(_ status: Value, of object: Value) async throws -> Value {
        try replaceStatus(status, of: object)
    }
}
