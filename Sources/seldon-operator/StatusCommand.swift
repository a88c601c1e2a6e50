import ArgumentParser
import Lifecycle
import Stack
import Unstructured

/// `seldon-operator status`: per component, its phase, objects ready of total, and what it
/// waits on, read live from the cluster.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each component of installed Seldon stacks: phase, objects ready/total, and what it waits on."
    )

    @OptionGroup var scope: InstanceScopeOptions

    @Option(name: .shortAndLong, help: "text or json.")
    var output: OutputFormat = .text

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let selected = try await scope.select(on: cluster)
        let kube = selected.cluster
        let engine = Engine(cluster: kube, identity: Identity.current)
        var reports: [(instance: (name: String, namespace: String), components: [ComponentReport])] = []
        for instance in selected.instances {
            let live = try await engine.status(instance: instance.name, namespace: instance.namespace)
            let recorded = try await kube.get(ObjectReference(
                apiVersion: SeldonOperatorResource.apiVersion, kind: SeldonOperatorResource.kind,
                namespace: instance.namespace, name: instance.name))
            reports.append((instance, Self.merged(live, withRecorded: recorded?["status"] ?? .null)))
        }
        switch output {
        case .json: print(JSON.string(.list(reports.map(Self.value)), style: .pretty))
        case .text:
            guard !reports.isEmpty else {
                print(try await selected.nothingFound())
                return
            }
            print(reports.map(Self.text).joined(separator: "\n"), terminator: "")
        }
    }

    /// The engine reports components from their release records; components that never got
    /// one (blocked by a missing API) are known only from the SeldonOperator's status, which
    /// the install wrote. Both, sorted by name.
    static func merged(_ live: [ComponentReport], withRecorded status: Value) -> [ComponentReport] {
        let known = Set(live.map(\.name))
        let others = (status["components"].listValue ?? []).compactMap { component -> ComponentReport? in
            guard let name = component["name"].stringValue, !known.contains(name),
                  let phase = component["phase"].stringValue.flatMap(ComponentReport.Phase.init(rawValue:)),
                  phase == .blocked else { return nil }
            return ComponentReport(
                name: name, enabled: component["enabled"].boolValue ?? true, phase: phase,
                ready: component["objectsReady"].intValue ?? 0, total: component["objectsTotal"].intValue ?? 0,
                chartVersion: component["chartVersion"].stringValue, message: component["message"].stringValue)
        }
        return (live + others).sorted { $0.name < $1.name }
    }

    static func text(_ report: (instance: (name: String, namespace: String), components: [ComponentReport])) -> String {
        let rows = [["COMPONENT", "PHASE", "READY", "CHART", "MESSAGE"]] + report.components.map {
            [$0.name, $0.phase.rawValue, $0.total > 0 ? "\($0.ready)/\($0.total)" : "-", $0.chartVersion ?? "-", $0.message ?? ""]
        }
        let ready = report.components.filter { $0.enabled && $0.phase == .ready }.count
        let enabled = report.components.filter(\.enabled).count
        let header = "SeldonOperator \(report.instance.namespace)/\(report.instance.name): \(ready)/\(enabled) components ready"
        return ([header] + TextTable.lines(rows)).joined(separator: "\n") + "\n"
    }

    static func value(_ report: (instance: (name: String, namespace: String), components: [ComponentReport])) -> Value {
        [
            "name": .string(report.instance.name), "namespace": .string(report.instance.namespace),
            "components": .list(report.components.map { component in
                var map: Value.Map = [
                    "name": .string(component.name), "enabled": .bool(component.enabled), "phase": .string(component.phase.rawValue),
                    "ready": .int(component.ready), "total": .int(component.total),
                ]
                if let version = component.chartVersion { map["chartVersion"] = .string(version) }
                if let message = component.message { map["message"] = .string(message) }
                return .map(map)
            }),
        ]
    }
}
