import Unstructured

/// A plan as a person or a program reads it: text, JSON, Graphviz dot or Mermaid.
public struct PlanReport: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, dot, mermaid
    }

    /// Whether the prerequisites were checked against a cluster: which one, or why not. A
    /// plan is useful without a cluster, so "not checked" is an answer, not a failure.
    public enum ClusterCheck: Equatable, Sendable {
        case checked(server: String)
        case notChecked(reason: String)
    }

    public let plan: StackPlan
    /// Objects each installing component renders, counted by kind; nil when not rendered.
    public let objectCounts: [ComponentID: [String: Int]]?
    public let cluster: ClusterCheck

    public init(plan: StackPlan, objectCounts: [ComponentID: [String: Int]]? = nil,
                cluster: ClusterCheck = .notChecked(reason: "no cluster")) {
        self.plan = plan
        self.objectCounts = objectCounts
        self.cluster = cluster
    }

    /// The APIs the cluster lacks, each with the components it keeps out; empty when not checked.
    var missing: [(api: APIRequirement, blocks: [ComponentID])] {
        (plan.missingPrerequisites ?? []).map { ($0, plan.blocked(by: $0)) }
    }

    /// One line on where the prerequisites stand.
    var prerequisitesSummary: String {
        switch cluster {
        case let .notChecked(reason): return "not checked (\(reason))"
        case let .checked(server):
            let missingCount = plan.missingPrerequisites?.count ?? 0
            return "checked against \(server): " + (missingCount == 0 ? "every API the enabled components need is served" : "\(missingCount) missing")
        }
    }

    // MARK: text

    public var text: String {
        var lines = ["SeldonOperator \(plan.resource.namespace)/\(plan.resource.name)", "", "Components:"]
        let width = ComponentID.allCases.map(\.rawValue.count).max() ?? 0
        for entry in plan.entries {
            let name = entry.id.rawValue.fitted(toWidth: width)
            lines.append("  \(name)  \(Self.stateName(entry.state).fitted(toWidth: 8))  \(entry.reason)")
            if let counts = objectCounts?[entry.id], !counts.isEmpty {
                lines.append("  \(String(repeating: " ", count: width))            objects: " + Self.describe(counts))
            }
        }
        lines += ["", "Install levels:"]
        for (index, level) in plan.levels.enumerated() {
            lines.append("  \(index): \(level.map(\.rawValue).joined(separator: ", "))")
        }
        lines.append("Critical path: \(plan.criticalPath.map(\.rawValue).joined(separator: " → "))")
        lines.append("Prerequisites: " + prerequisitesSummary)
        for (api, blocks) in missing {
            lines.append("  missing \(api): blocks \(blocks.map(\.rawValue).joined(separator: ", "))")
        }
        for warning in plan.warnings { lines.append("warning: \(warning)") }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: json

    public var value: Value {
        var document: Value = [
            "name": .string(plan.resource.name),
            "namespace": .string(plan.resource.namespace),
            "components": .list(plan.entries.map(componentValue)),
            "levels": .list(plan.levels.map { .list($0.map { .string($0.rawValue) }) }),
            "edges": .list(plan.graph.edges.map { ["from": .string($0.from.rawValue), "to": .string($0.to.rawValue)] }),
            "criticalPath": .list(plan.criticalPath.map { .string($0.rawValue) }),
            "warnings": .list(plan.warnings.map(Value.string)),
        ]
        document["prerequisites"] = prerequisitesValue
        return document
    }

    private var prerequisitesValue: Value {
        switch cluster {
        case let .notChecked(reason):
            return ["checked": false, "reason": .string(reason)]
        case let .checked(server):
            return ["checked": true, "cluster": .string(server), "missing": .list(missing.map { api, blocks in
                ["api": .string(api.description), "group": .string(api.group), "version": .string(api.version),
                 "kind": .string(api.kind), "blocks": .list(blocks.map { .string($0.rawValue) })]
            })]
        }
    }

    private func componentValue(_ entry: StackPlan.Entry) -> Value {
        var value: Value = [
            "name": .string(entry.id.rawValue),
            "chart": .string(entry.component.chart),
            "release": .string(entry.component.release),
            "state": .string(Self.stateName(entry.state)),
            "reason": .string(entry.reason),
            "dependsOn": .list(entry.dependencies.map { .string($0.rawValue) }),
        ]
        if let counts = objectCounts?[entry.id] {
            value["objects"] = .map(Value.Map(uniqueKeysWithValues: counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))
        }
        return value
    }

    // MARK: graphs

    /// Graphviz: arrows point in install order (a component → what installs after it);
    /// disabled components are dashed, blocked ones red, and each missing API is a red note
    /// pointing at the components that need it. The graph's label says where prerequisites stand.
    public var dot: String {
        var lines = ["digraph \"seldon-stack\" {", "  rankdir=LR;", "  labelloc=b;",
                     "  label=\(Self.dotQuoted("prerequisites: " + prerequisitesSummary));",
                     "  node [shape=box, style=rounded, fontname=\"Helvetica\"];"]
        for entry in plan.entries {
            let style: String
            switch entry.state {
            case .install: style = ""
            case .disabled: style = ", style=\"rounded,dashed\", color=gray50, fontcolor=gray50"
            case .blocked: style = ", color=red3, fontcolor=red3"
            }
            lines.append("  \(Self.dotQuoted(entry.id.rawValue)) [label=\(Self.dotQuoted("\(entry.id.rawValue)\n\(Self.stateName(entry.state))"))\(style)];")
        }
        for level in plan.levels where level.count > 1 {
            lines.append("  { rank=same; \(level.map { Self.dotQuoted($0.rawValue) }.joined(separator: "; ")); }")
        }
        for edge in plan.graph.edges {
            lines.append("  \(Self.dotQuoted(edge.to.rawValue)) -> \(Self.dotQuoted(edge.from.rawValue));")
        }
        for (api, needing) in directNeeds {
            let node = Self.dotQuoted("missing \(api)")
            lines.append("  \(node) [shape=note, style=solid, color=red3, fontcolor=red3, label=\(Self.dotQuoted("missing\n\(api.groupVersion)\n\(api.kind)"))];")
            for id in needing { lines.append("  \(node) -> \(Self.dotQuoted(id.rawValue)) [style=dashed, color=red3];") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    public var mermaid: String {
        var lines = ["flowchart LR"]
        for entry in plan.entries {
            lines.append("  \(entry.id.rawValue)[\"\(entry.id.rawValue) (\(Self.stateName(entry.state)))\"]")
        }
        for edge in plan.graph.edges {
            lines.append("  \(edge.to.rawValue) --> \(edge.from.rawValue)")
        }
        lines.append("  classDef disabled stroke-dasharray: 5 5,color:#777")
        lines.append("  classDef blocked stroke:#c00,color:#c00")
        for (index, (api, needing)) in directNeeds.enumerated() {
            lines.append("  missing\(index)[/\"missing \(api)\"/]")
            for id in needing { lines.append("  missing\(index) -.-> \(id.rawValue)") }
        }
        lines.append("  %% prerequisites: \(prerequisitesSummary)")
        for state in ["disabled", "blocked"] {
            var ids = plan.entries.filter { Self.stateName($0.state) == state }.map(\.id.rawValue)
            if state == "blocked" { ids += directNeeds.indices.map { "missing\($0)" } }
            if !ids.isEmpty { lines.append("  class \(ids.joined(separator: ",")) \(state)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Each missing API with the components that need it themselves (not through a dependency).
    private var directNeeds: [(api: APIRequirement, needing: [ComponentID])] {
        (plan.missingPrerequisites ?? []).map { api in
            (api, plan.entries.compactMap { entry in
                if case let .blocked(missing, _) = entry.state, missing.contains(api) { entry.id } else { nil }
            })
        }
    }

    // MARK: helpers

    static func stateName(_ state: StackPlan.State) -> String {
        switch state {
        case .install: "install"
        case .disabled: "disabled"
        case .blocked: "blocked"
        }
    }

    static func describe(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }

    /// A dot ID in double quotes; dot's only escapes inside quotes are `\"` and `\\`-sequences,
    /// and `\n` is a centered line break in labels.
    static func dotQuoted(_ text: String) -> String {
        "\"" + text.escapingScalars(["\\": "\\\\", "\"": "\\\"", "\n": "\\n"]) + "\""
    }
}
