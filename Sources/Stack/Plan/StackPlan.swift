import Unstructured

/// What installing a SeldonOperator means: every component with whether it goes in and why,
/// the install levels, and the values each component gets. Computed before anything touches
/// the cluster; `plan` prints it and the lifecycle engine follows it.
public struct StackPlan: Sendable {
    public enum State: Equatable, Sendable {
        case install
        case disabled
        /// Enabled, but the cluster lacks `missing`, or a component it needs is blocked.
        case blocked(missing: [APIRequirement], blockedDependencies: [ComponentID])
    }

    public struct Entry: Sendable {
        public let component: Component
        public let state: State
        /// Why the component is in its state, in words a user acts on.
        public let reason: String
        /// The enabled components it comes after.
        public let dependencies: [ComponentID]

        public var id: ComponentID { component.id }
    }

    public let resource: SeldonOperatorResource
    public let entries: [Entry]
    /// The graph over enabled components; blocked ones stay in it so the picture is whole.
    public let graph: DependencyGraph<ComponentID>
    public let levels: [[ComponentID]]
    public let criticalPath: [ComponentID]
    /// Nil when no cluster was asked (prerequisites unknown).
    public let missingPrerequisites: [APIRequirement]?
    /// Final Helm values of each component that goes in.
    public let values: [ComponentID: Value]
    public let warnings: [String]

    public var installing: [ComponentID] { levels.flatMap { $0 }.filter { entry($0)?.state == .install } }

    public func entry(_ id: ComponentID) -> Entry? { entries.first { $0.id == id } }

    /// The components `requirement` keeps out: those needing it directly and, through their
    /// dependencies, those needing one of them. In install order.
    public func blocked(by requirement: APIRequirement) -> [ComponentID] {
        var result: [ComponentID] = []
        for id in levels.flatMap({ $0 }) {
            guard case let .blocked(missing, blockedDependencies) = entry(id)?.state else { continue }
            if missing.contains(requirement) || blockedDependencies.contains(where: result.contains) { result.append(id) }
        }
        return result
    }

    /// `PrerequisitesMet`: False naming the missing APIs, True when all are served,
    /// nil when no cluster was asked.
    public var prerequisitesMet: (status: ConditionStatus, message: String)? {
        guard let missing = missingPrerequisites else { return nil }
        if missing.isEmpty { return (.true, "every API the enabled components need is served") }
        let blocked = entries.filter { if case .blocked = $0.state { true } else { false } }.map(\.id.rawValue)
        return (.false, "the cluster does not serve \(missing.map(\.description).joined(separator: ", ")); blocked: \(blocked.joined(separator: ", "))")
    }
}

public enum StackPlanner {
    /// Plans `resource`. With `discovery`, components whose APIs the cluster lacks (and the
    /// components that need them) are blocked and everything else still goes in.
    public static func plan(_ resource: SeldonOperatorResource, discovery: (any APIDiscovery)? = nil) async throws -> StackPlan {
        let spec = resource.spec
        let enabled = Catalog.components.filter { $0.isEnabled(in: spec) }
        let graph = DependencyGraph(nodes: enabled.map(\.id),
                                    dependencies: Dictionary(uniqueKeysWithValues: enabled.map { ($0.id, $0.dependencies(in: spec)) }))
        let levels = try graph.levels()
        var missingByComponent: [ComponentID: [APIRequirement]] = [:]
        var missingAll: [APIRequirement]?
        if let discovery {
            let missing = try await discovery.missing(enabled.flatMap(\.prerequisites))
            missingAll = missing
            for component in enabled {
                missingByComponent[component.id] = component.prerequisites.filter(missing.contains)
            }
        }
        var blocked: Set<ComponentID> = []
        var states: [ComponentID: (StackPlan.State, String)] = [:]
        for id in levels.flatMap({ $0 }) {
            let missing = missingByComponent[id] ?? []
            let blockedDependencies = (graph.dependencies[id] ?? []).filter(blocked.contains)
            if missing.isEmpty && blockedDependencies.isEmpty {
                states[id] = (.install, Catalog[id].feature.map { "spec.enable.\($0.rawValue) is true" } ?? "always installed")
                continue
            }
            blocked.insert(id)
            var reasons: [String] = []
            if !missing.isEmpty { reasons.append("the cluster does not serve \(missing.map(\.description).joined(separator: ", "))") }
            if !blockedDependencies.isEmpty { reasons.append("it needs \(blockedDependencies.map(\.rawValue).joined(separator: ", ")), which is blocked") }
            states[id] = (.blocked(missing: missing, blockedDependencies: blockedDependencies), reasons.joined(separator: "; "))
        }
        let entries = Catalog.components.map { component -> StackPlan.Entry in
            let (state, reason) = states[component.id]
                ?? (.disabled, component.feature.map { "spec.enable.\($0.rawValue) is false" } ?? "")
            return StackPlan.Entry(component: component, state: state, reason: reason,
                                   dependencies: graph.dependencies[component.id] ?? [])
        }
        let active = Set(enabled.map(\.id)).subtracting(blocked)
        let wiring = ValueWiring(spec: spec, namespace: resource.namespace, active: active).wire()
        return StackPlan(resource: resource, entries: entries, graph: graph, levels: levels,
                         criticalPath: try graph.criticalPath(), missingPrerequisites: missingAll,
                         values: wiring.values, warnings: wiring.warnings)
    }
}
