import Unstructured

/// Deployments, StatefulSets, DaemonSets and ReplicaSets: kstatus's replica-count rules,
/// plus failing fast when one of their Pods cannot start.
enum WorkloadRules {
    static func deployment(_ object: Value, _ context: HealthContext) -> HealthStatus {
        let progressing = object.condition("Progressing")
        if let progressing, progressing.isFalse, progressing.reason == "ProgressDeadlineExceeded" {
            let pod = PodRules.firstFailure(selectedBy: object, in: context).map { "; \($0.message)" } ?? ""
            return .failed("ProgressDeadlineExceeded", "\(progressing.message)\(pod)")
        }
        if let failure = PodRules.firstFailure(selectedBy: object, in: context) { return .failed(failure) }
        guard let status = reportedStatus(object) else { return noStatus }
        let wanted = object["spec"]["replicas"].count ?? 1
        let updated = status["updatedReplicas"].count ?? 0
        let total = status["replicas"].count ?? 0
        let available = status["availableReplicas"].count ?? 0
        let ready = status["readyReplicas"].count ?? 0
        if updated < wanted { return .inProgress("LessUpdated", "Updated: \(updated)/\(wanted)") }
        if total > updated { return .inProgress("ExtraPods", "Pending termination: \(total - updated)") }
        if available < wanted { return .inProgress("LessAvailable", "Available: \(available)/\(wanted)") }
        if ready < wanted { return .inProgress("LessReady", "Ready: \(ready)/\(wanted)") }
        if let condition = object.condition("Available"), !condition.isTrue {
            return .inProgress("NotAvailable", condition.summary)
        }
        return .current
    }

    /// StatefulSets report no conditions; counts and revisions are all there is. A
    /// partitioned rolling update is complete once the Pods above the partition are updated.
    static func statefulSet(_ object: Value, _ context: HealthContext) -> HealthStatus {
        if let failure = PodRules.firstFailure(selectedBy: object, in: context) { return .failed(failure) }
        guard let status = reportedStatus(object) else { return noStatus }
        let wanted = object["spec"]["replicas"].count ?? 1
        let total = status["replicas"].count ?? 0
        let ready = status["readyReplicas"].count ?? 0
        let updated = status["updatedReplicas"].count ?? 0
        if total > wanted { return .inProgress("ExtraPods", "Pending termination: \(total - wanted)") }
        if ready < wanted { return .inProgress("LessReady", "Ready: \(ready)/\(wanted)") }
        let strategy = object["spec"]["updateStrategy"]
        guard (strategy["type"].stringValue ?? "RollingUpdate") == "RollingUpdate" else { return .current }
        let partition = strategy["rollingUpdate"]["partition"].count ?? 0
        if partition > 0 {
            let expected = max(0, wanted - partition)
            if updated < expected {
                return .inProgress("PartitionRollout", "Updated: \(updated)/\(expected) above partition \(partition)")
            }
            return .current
        }
        if updated < wanted { return .inProgress("LessUpdated", "Updated: \(updated)/\(wanted)") }
        let current = status["currentRevision"].stringValue, update = status["updateRevision"].stringValue
        if current != update {
            return .inProgress("RevisionMismatch", "rolling out revision \(update ?? "?"), current \(current ?? "?")")
        }
        return .current
    }

    static func daemonSet(_ object: Value, _ context: HealthContext) -> HealthStatus {
        if let failure = PodRules.firstFailure(selectedBy: object, in: context) { return .failed(failure) }
        guard let status = reportedStatus(object), let desired = status["desiredNumberScheduled"].count else {
            return noStatus
        }
        let updated = status["updatedNumberScheduled"].count ?? 0
        let available = status["numberAvailable"].count ?? 0
        let ready = status["numberReady"].count ?? 0
        if updated < desired { return .inProgress("LessUpdated", "Updated: \(updated)/\(desired)") }
        if available < desired { return .inProgress("LessAvailable", "Available: \(available)/\(desired)") }
        if ready < desired { return .inProgress("LessReady", "Ready: \(ready)/\(desired)") }
        return .current
    }

    static func replicaSet(_ object: Value, _ context: HealthContext) -> HealthStatus {
        if let failure = PodRules.firstFailure(selectedBy: object, in: context) { return .failed(failure) }
        guard let status = reportedStatus(object) else { return noStatus }
        let wanted = object["spec"]["replicas"].count ?? 1
        if let failure = object.condition("ReplicaFailure"), failure.isTrue {
            return .inProgress(failure.reason.isEmpty ? "ReplicaFailure" : failure.reason, failure.message)
        }
        let labeled = status["fullyLabeledReplicas"].count ?? 0
        let available = status["availableReplicas"].count ?? 0
        let ready = status["readyReplicas"].count ?? 0
        if labeled < wanted { return .inProgress("LessLabelled", "Labelled: \(labeled)/\(wanted)") }
        if available < wanted { return .inProgress("LessAvailable", "Available: \(available)/\(wanted)") }
        if ready < wanted { return .inProgress("LessReady", "Ready: \(ready)/\(wanted)") }
        return .current
    }

    /// The status of a workload whose controller has reported on it at least once:
    /// without `observedGeneration` the counts are the API server's zero values, not news.
    private static func reportedStatus(_ object: Value) -> Value? {
        let status = object["status"]
        // Spelled out: `nil` in a ternary would be read as `Value.null`, which is not absent.
        guard status["observedGeneration"].count != nil else { return Optional.none }
        return status
    }

    private static let noStatus = HealthStatus.inProgress("NoStatus", "the controller has not reported a status yet")
}
