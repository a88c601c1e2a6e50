import ArgumentParser
import FoundationEssentials
import Helm
import KubeClient
import Lifecycle
import Sprig
import Stack
import Unstructured

/// From a SeldonOperator manifest to Lifecycle's `InstallPlan`: Stack validates and plans
/// it against what the cluster serves, Helm renders each component that goes in (reading
/// the cluster for `lookup`), and the result is handed to the engine as plain objects.
struct InstallPlanner {
    let client: KubeClient
    let charts: ChartSource

    struct Planned {
        let stack: StackPlan
        var install: InstallPlan
    }

    func plan(file: String) async throws -> Planned {
        let resource = try SeldonOperatorFile.load(path: file)
        let specText = try String(contentsOfFile: file, encoding: .utf8)
        return try await plan(
            resource, specText: specText,
            operatorObject: try Self.operatorObject(specText: specText, file: file, namespace: resource.namespace),
            operatorDefinition: SeldonOperatorCRD.manifest)
    }

    /// `specText` as a release record keeps it, for `rollback`; `source` names it in errors.
    func plan(recorded specText: String, source: String, reason: String) async throws -> Planned {
        let documents = try YAML.parseDocuments(specText, source: source).filter { !$0.isNull }
        guard documents.count == 1, let document = documents.first else {
            throw ValidationError("\(source): expected one SeldonOperator document, found \(documents.count)")
        }
        let resource = try SeldonOperatorResource(decoding: document, source: source)
        var planned = try await plan(
            resource, specText: specText,
            operatorObject: try Self.operatorObject(specText: specText, file: source, namespace: resource.namespace),
            operatorDefinition: SeldonOperatorCRD.manifest)
        planned.install.reason = reason
        return planned
    }

    /// The plan of a SeldonOperator already decoded: `install` reads it from a file, the
    /// controller from the cluster (and applies neither the object nor its CRD, which the
    /// user and the operator chart own).
    func plan(_ resource: SeldonOperatorResource, specText: String, operatorObject: Value, operatorDefinition: Value?) async throws -> Planned {
        let stack = try await StackPlanner.plan(resource, discovery: KubeDiscovery(client: client))
        let rendered = Dictionary(uniqueKeysWithValues: try await ClusterRendering(charts: charts, client: client).render(stack)
            .map { ($0.id, $0) })
        var components: [ComponentPlan] = []
        for entry in stack.entries {
            let dependencies = entry.dependencies.map(\.rawValue)
            switch entry.state {
            case .disabled:
                continue
            case .install:
                guard let component = rendered[entry.id] else { continue }
                components.append(ComponentPlan(
                    name: entry.id.rawValue, dependencies: dependencies, chartVersion: component.chartVersion,
                    values: stack.values[entry.id] ?? [:], objects: component.objects))
            case .blocked:
                let version = try charts.load(entry.component.chart).metadata.version
                components.append(ComponentPlan(
                    name: entry.id.rawValue, dependencies: dependencies, chartVersion: version,
                    values: stack.values[entry.id] ?? [:], objects: [], blocked: entry.reason))
            }
        }
        let install = InstallPlan(
            instance: resource.name, namespace: resource.namespace,
            operatorObject: operatorObject, operatorDefinition: operatorDefinition, specText: specText, components: components)
        return Planned(stack: stack, install: install)
    }

    /// The SeldonOperator as written, placed in the namespace the plan uses.
    private static func operatorObject(specText: String, file: String, namespace: String) throws -> Value {
        guard var object = try YAML.parseDocuments(specText, source: file).first(where: { !$0.isNull }) else {
            throw ValidationError("\(file): no SeldonOperator document")
        }
        object["metadata"]["namespace"] = .string(namespace)
        return object
    }
}
