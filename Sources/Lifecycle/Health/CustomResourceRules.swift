import Unstructured

/// Custom resources whose controllers we know. Unlike kstatus's fallback, an object of
/// these kinds with no status yet is in progress: its controller has not seen it, which
/// is not the same as having made it ready (helm/helm #32066).
enum CustomResourceRules {
    /// Seldon Core v1 reports `status.state` (`Creating`, `Available`, `Failed`) with a
    /// `description` saying why.
    static func seldonDeployment(_ object: Value) -> HealthStatus {
        let status = object["status"]
        guard let state = status["state"].stringValue else {
            return .inProgress("NoStatus", "the Seldon Core operator has not reported a status yet")
        }
        let description = status["description"].stringValue ?? ""
        switch state {
        case "Available": return .current
        case "Failed": return .failed("SeldonDeploymentFailed", description.isEmpty ? "state Failed" : description)
        default: return .inProgress(state, description.isEmpty ? "state \(state)" : description)
        }
    }

    /// Knative Eventing reports a `Ready` condition. `Ready=False` stays in progress rather
    /// than failing the install: Knative sets it while a dependency (the broker class, a
    /// channel) is still coming up, and recovers by itself.
    static func knative(_ object: Value) -> HealthStatus {
        guard object.hasConditions else {
            return .inProgress("NoStatus", "Knative has not reported a status yet")
        }
        return GenericRules.conditions(of: object) ?? .inProgress("NoReadyCondition", "no Ready condition yet")
    }
}
