import FoundationEssentials
import KubeClient
import Lifecycle
import Stack
import Unstructured

/// Writes what an install found to the SeldonOperator's status, so `kubectl get
/// seldonoperator` shows READY. Written only when it differs from what is there (transition
/// times kept for unchanged conditions), so an identical second install still writes nothing.
struct StatusWriter {
    let client: KubeClient

    /// `failure`: why the install stopped, when it did.
    func write(plan: StackPlan, reports: [ComponentReport], failure: String? = nil) async throws {
        let resource = plan.resource
        let gvk = GroupVersionKind(apiVersion: SeldonOperatorResource.apiVersion, kind: SeldonOperatorResource.kind)
        let live = try await client.get(gvk, name: resource.name, namespace: resource.namespace)
        let status = Self.status(plan: plan, reports: reports, failure: failure,
                                 generation: live["metadata"]["generation"].intValue,
                                 previous: Self.conditions(in: live["status"]), now: Self.timestamp())
        // The server keeps maps with sorted keys; compare as it would print them.
        guard JSON.string(status.value, style: .go) != JSON.string(live["status"], style: .go) else { return }
        // A PUT carrying the resourceVersion read: a concurrent change makes it fail rather than be overwritten.
        var updated = live
        updated["status"] = status.value
        _ = try await client.updateStatus(updated)
    }

    static func status(plan: StackPlan, reports: [ComponentReport], failure: String?, generation: Int?,
                       previous: [Condition], now: String) -> SeldonOperatorStatus {
        let byName = Dictionary(reports.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let components = plan.entries.map { entry -> ComponentStatus in
            guard let report = byName[entry.id.rawValue] else {
                let phase: ComponentPhase = switch entry.state {
                case .disabled: .disabled
                case .blocked: .blocked
                case .install: failure == nil ? .pending : .failed
                }
                return ComponentStatus(name: entry.id.rawValue, enabled: entry.state != .disabled, phase: phase,
                                       message: entry.reason)
            }
            return ComponentStatus(
                name: report.name, enabled: report.enabled, phase: ComponentPhase(rawValue: report.phase.rawValue) ?? .pending,
                objectsReady: report.ready, objectsTotal: report.total, chartVersion: report.chartVersion, message: report.message)
        }
        let installing = components.filter { $0.enabled && $0.phase != .blocked }
        let notReady = installing.filter { $0.phase != .ready }
        var conditions = previous
        func set(_ type: ConditionType, _ status: ConditionStatus, _ reason: String, _ message: String) {
            conditions.set(Condition(type: type, status: status, reason: reason, message: message,
                                     lastTransitionTime: now, observedGeneration: generation))
        }
        if let failure {
            set(.ready, .false, "InstallFailed", failure)
            set(.stalled, .true, "InstallFailed", failure)
        } else if notReady.isEmpty {
            set(.ready, .true, "ComponentsReady", "\(installing.count) components ready")
            set(.stalled, .false, "ComponentsReady", "")
        } else {
            set(.ready, .false, "ComponentsNotReady", "not ready: " + notReady.map(\.name).joined(separator: ", "))
            set(.stalled, .false, "Progressing", "")
        }
        set(.reconciling, .false, "InstallFinished", "")
        if let prerequisites = plan.prerequisitesMet {
            set(.prerequisitesMet, prerequisites.status, prerequisites.status == .true ? "APIsServed" : "APIsMissing",
                prerequisites.message)
        }
        return SeldonOperatorStatus(observedGeneration: generation, conditions: conditions, components: components)
    }

    /// The conditions a status holds, for keeping their transition times.
    static func conditions(in status: Value) -> [Condition] {
        (status["conditions"].listValue ?? []).compactMap { condition in
            guard let type = condition["type"].stringValue.flatMap(ConditionType.init(rawValue:)),
                  let state = condition["status"].stringValue.flatMap(ConditionStatus.init(rawValue:)) else { return nil }
            return Condition(type: type, status: state, reason: condition["reason"].stringValue ?? "",
                             message: condition["message"].stringValue ?? "",
                             lastTransitionTime: condition["lastTransitionTime"].stringValue ?? "",
                             observedGeneration: condition["observedGeneration"].intValue)
        }
    }

    /// Now as a condition's `lastTransitionTime`: RFC 3339 in UTC, whole seconds (`2026-11-22T05:00:00Z`).
    private static func timestamp() -> String {
        Date.ISO8601FormatStyle().format(Date())
    }
}
