import FoundationEssentials
import Unstructured

/// Pod health, and the Pod failures that make their owners fail fast.
enum PodRules {
    /// Container waiting reasons that do not clear without someone changing something:
    /// the image, the command, or a missing ConfigMap or Secret.
    static let failingWaitReasons: Set<String> = [
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
        "CreateContainerError",
    ]

    /// How long a Pod may stay unschedulable before it counts as failed. kstatus allows
    /// 15 seconds (cli-utils `pkg/kstatus/status/core.go`), long enough for the scheduler
    /// to retry after a node joins, short enough to fail an install fast.
    static let unschedulableGrace: TimeInterval = 15

    static func pod(_ pod: Value, now: Date) -> HealthStatus {
        switch pod["status"]["phase"].stringValue {
        case "Succeeded": return .current
        case "Failed":
            let reason = pod["status"]["reason"].stringValue ?? "PodFailed"
            return .failed(reason, pod["status"]["message"].stringValue ?? "the Pod failed")
        default: break
        }
        if let failure = failure(of: pod, now: now) { return .failed(failure) }
        if let scheduled = pod.condition("PodScheduled"), scheduled.isFalse, scheduled.reason == "Unschedulable" {
            return .inProgress("Unschedulable", scheduled.message)
        }
        if let ready = pod.condition("Ready"), ready.isTrue { return .current }
        let phase = pod["status"]["phase"].stringValue ?? "unknown"
        return .inProgress("PodNotReady", "phase \(phase), not Ready")
    }

    /// Why `pod` will not become ready by itself, naming the container: a container
    /// waiting for one of `failingWaitReasons`, or the Pod unschedulable for longer than
    /// the grace period.
    static func failure(of pod: Value, now: Date) -> HealthReason? {
        let statuses = (pod["status"]["initContainerStatuses"].listValue ?? [])
            + (pod["status"]["containerStatuses"].listValue ?? [])
        for status in statuses {
            let waiting = status["state"]["waiting"]
            guard let reason = waiting["reason"].stringValue, failingWaitReasons.contains(reason) else { continue }
            let container = status["name"].stringValue ?? "?"
            let detail = waiting["message"].stringValue.map { ": \($0)" } ?? ""
            return HealthReason(reason, "Pod \(pod.name) container \(container): \(reason)\(detail)")
        }
        if let scheduled = pod.condition("PodScheduled"), scheduled.isFalse, scheduled.reason == "Unschedulable" {
            let since = scheduled.lastTransitionTime.map { now.timeIntervalSince($0) }
            if since.map({ $0 >= unschedulableGrace }) ?? true {
                return HealthReason("Unschedulable", "Pod \(pod.name): \(scheduled.message)")
            }
        }
        return nil
    }

    /// The first failure among the Pods of `context` that `owner`'s selector selects in
    /// its namespace, Pods sorted by name so the same cluster state gives the same message.
    static func firstFailure(selectedBy owner: Value, in context: HealthContext) -> HealthReason? {
        guard let selector = LabelSelector(owner["spec"]["selector"]) else { return nil }
        return context.pods
            .filter { $0.namespace == owner.namespace && !$0.isTerminating && selector.matches($0["metadata"]["labels"]) }
            .sorted { $0.name < $1.name }
            .lazy.compactMap { failure(of: $0, now: context.now) }.first
    }
}
