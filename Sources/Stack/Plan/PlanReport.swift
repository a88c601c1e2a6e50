import Unstructured

/// A plan as a person or a program reads it: text, JSON, Graphviz dot or Mermaid.
public struct PlanReport: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, dot, mermaid
    }

    public let plan: StackPlan
    /// Objects each installing component renders, counted by kind; nil when not rendered.
    public let objectCounts: [ComponentID: [String: Int]]?

    public init(plan: StackPlan, objectCounts: [ComponentID: [String: Int]]? = nil) {
        self.plan = plan
        self.objectCounts = objectCounts
    }

    // MARK: text

    public var text: String {
        var lines = ["SeldonOperator \(plan.resource.namespace)/\(plan.resource.name)", "", "Components:"]
        let width = ComponentID.allCases.map(\.rawValue.count).max() ?? 0
        for entry in plan.entries {
            let name = entry.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(name)  \(Self.stateName(entry.state).padding(toLength: 8, withPad: " ", startingAt: 0))  \(entry.reason)")
            if let counts = objectCounts?[entry.id], !counts.isEmpty {
                lines.append("  \(String(repeating: " ", count: width))            objects: " + Self.describe(counts))
            }
        }
        lines += ["", "Install levels:"]
        for (index, level) in plan.levels.enumerated() {
            lines.append("  \(index): \(level.map(\.rawValue).joined(separator: ", "))")
        }
        lines.append("Critical path: \(plan.criticalPath.map(\.rawValue).joined(separator: " → "))")
        if let missing = plan.missingPrerequisites {
            lines.append("Missing cluster APIs: " + (missing.isEmpty ? "none" : missing.map(\.description).joined(separator: ", ")))
        } else {
            lines.append("Missing cluster APIs: not checked (no cluster)")
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
        document["missingPrerequisites"] = plan.missingPrerequisites.map { .list($0.map { .string($0.description) }) } ?? .null
        return document
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
    /// disabled components are dashed, blocked ones red.
    public var dot: String {
        var lines = ["digraph \"seldon-stack\" {", "  rankdir=LR;", "  node [shape=box, style=rounded, fontname=\"Helvetica\"];"]
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
        for state in ["disabled", "blocked"] {
            let ids = plan.entries.filter { Self.stateName($0.state) == state }.map(\.id.rawValue)
            if !ids.isEmpty { lines.append("  class \(ids.joined(separator: ",")) \(state)") }
        }
        return lines.joined(separator: "\n") + "\n"
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
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
