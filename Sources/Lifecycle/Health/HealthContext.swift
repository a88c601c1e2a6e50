import FoundationEssentials
import Unstructured

/// What the health rules may know beyond the object itself, gathered by the caller
/// (the rules never read the cluster or the clock).
///
/// An owner's health depends on objects it does not contain: a Deployment fails fast
/// only if one of its Pods is crash-looping, a claim on a `WaitForFirstConsumer`
/// class is ready while Pending, a webhook is usable only once its Service has ready
/// endpoints. The caller passes what it watches; rules that find nothing here fall
/// back to what the object alone says.
public struct HealthContext: Sendable {
    /// The moment of assessment, for rules that allow a grace period.
    public var now: Date
    /// Pods that may belong to the assessed workloads; each rule selects its own by
    /// namespace and label selector.
    public var pods: [Value]
    /// StorageClass objects, for claims that wait for their first consumer.
    public var storageClasses: [Value]
    /// `discovery.k8s.io/v1` EndpointSlices and `v1` Endpoints, for webhook Services.
    public var endpoints: [Value]

    public init(now: Date, pods: [Value] = [], storageClasses: [Value] = [], endpoints: [Value] = []) {
        self.now = now
        self.pods = pods
        self.storageClasses = storageClasses
        self.endpoints = endpoints
    }
}
