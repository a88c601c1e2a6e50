import Unstructured

/// One change an install would make, as `install --dry-run` lists it.
public struct PlannedChange: Sendable, Equatable, CustomStringConvertible {
    public enum Action: String, Sendable {
        case create, update, unchanged, prune
    }

    public var component: String
    public var reference: ObjectReference
    public var action: Action

    public var description: String { "\(action.rawValue) \(reference) (\(component))" }
}

extension Engine {
    /// What `install(plan)` would do, reading the cluster only: every object created,
    /// updated or left alone, and every object pruned. Takes no lock, writes nothing.
    public func preview(_ plan: InstallPlan) async throws -> [PlannedChange] {
        let components = try plan.prepared()
        let records = try await History(cluster: cluster, instance: plan.instance, namespace: plan.namespace).byComponent()
        var changes: [PlannedChange] = []
        for component in components where component.plan.blocked == nil {
            for object in component.desired {
                let live = try await cluster.get(object.reference)
                let action: PlannedChange.Action = live == nil ? .create : object.isApplied(in: live) ? .unchanged : .update
                changes.append(PlannedChange(component: component.name, reference: object.reference, action: action))
            }
        }
        let planned = Set(plan.components.map(\.name))
        for (name, history) in records.sorted(by: { $0.key < $1.key }) {
            let desired = Set(components.first { $0.name == name && planned.contains(name) }?.desired.map(\.reference) ?? [])
            for entry in PrunePlan.candidates(history: history, desired: desired) {
                guard let live = try await cluster.get(entry.reference),
                    PrunePlan.shouldDelete(live, entry: entry, instance: plan.instance)
                else { continue }
                changes.append(PlannedChange(component: name, reference: entry.reference, action: .prune))
            }
        }
        return changes
    }
}
