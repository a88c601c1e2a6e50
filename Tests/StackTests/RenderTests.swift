import Foundation
import GoTemplate
import Helm
import Sandbox
import Sprig
import Testing
import Unstructured
@testable import Stack

/// Renders through the real engine with the corpus's deterministic stand-ins for
/// randomness, time and generated keys.
enum Rendering {
    static let charts = CRDTests.packageRoot.appendingPathComponent("charts")
    static let standIns = Sprig.library(entropy: StandInEntropy(), clock: FixedClock())

    static func renderer(_ source: ChartSource = .folder(charts), reader: (any ClusterReader)? = nil,
                         functions: FunctionLibrary = standIns) -> StackRenderer {
        StackRenderer(charts: source, engine: Engine(functions: functions, clusterReader: reader))
    }

    static func text(_ components: [RenderedComponent]) -> String { components.map(\.text).joined() }

    /// Kinds that live outside namespaces, among those the charts render.
    static let clusterScoped: Set<String> = ["CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
                                             "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "Namespace"]

    /// Kinds whose name is itself a DNS label: a Service's is its host name, a Namespace's a
    /// label of every name in it.
    static let labelNamed: Set<String> = ["Service", "Namespace"]

    static let requiredLabels = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
                                 "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"]

    /// What every object the stack creates must have; returns the problems found. The operator
    /// chart is the exception for `managed-by`: Helm installs it, so its objects say `Helm` and
    /// stay out of the controller's drift watches, which select `managed-by=seldon-operator`.
    static func problems(in object: Value, namespace: String, managedBy: String = "seldon-operator") -> [String] {
        let name = object["metadata"]["name"].stringValue ?? ""
        let kind = object["kind"].stringValue ?? ""
        var problems: [String] = []
        if object["apiVersion"].stringValue?.isEmpty ?? true { problems.append("\(kind)/\(name): no apiVersion") }
        if kind.isEmpty { problems.append("\(name): no kind") }
        if !DNSName.isSubdomain(name) { problems.append("\(kind)/\(name): name is not DNS-1123") }
        if labelNamed.contains(kind), !DNSName.isLabel(name) { problems.append("\(kind)/\(name): name is not a DNS-1123 label") }
        let objectNamespace = object["metadata"]["namespace"].stringValue
        if clusterScoped.contains(kind) {
            if objectNamespace != nil { problems.append("\(kind)/\(name): cluster-scoped with a namespace") }
        } else if objectNamespace != namespace {
            problems.append("\(kind)/\(name): namespace \(objectNamespace ?? "missing"), expected \(namespace)")
        }
        for label in requiredLabels where object["metadata"]["labels"][label].isNull {
            problems.append("\(kind)/\(name): no label \(label)")
        }
        if object["metadata"]["labels"]["app.kubernetes.io/managed-by"].stringValue != managedBy {
            problems.append("\(kind)/\(name): not managed-by \(managedBy)")
        }
        return problems
    }
}

/// Answers `lookup` from a fixed set of objects, as a cluster holding them would.
struct FixedCluster: ClusterReader {
    let objects: [Value]

    func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value? {
        objects.first {
            $0["apiVersion"].stringValue == apiVersion && $0["kind"].stringValue == kind
                && ($0["metadata"]["namespace"].stringValue ?? "") == namespace && $0["metadata"]["name"].stringValue == name
        }
    }
}

@Suite("Rendering the stack")
struct RenderTests {
    static func plan(_ spec: SeldonOperatorSpec) async throws -> StackPlan {
        try await StackPlanner.plan(SeldonOperatorResource(name: "seldon", namespace: "seldon-system", spec: spec))
    }

    @Test(arguments: Combination.all.filter(\.isValid))
    func everyValidCombinationRendersWellFormedObjectsTheSameTwice(_ combination: Combination) async throws {
        let plan = try await Self.plan(combination.spec)
        let first = try Rendering.renderer().render(plan)
        #expect(first.map(\.id) == plan.installing)
        let objects = first.flatMap(\.objects)
        #expect(!objects.isEmpty)
        for object in objects {
            let problems = Rendering.problems(in: object, namespace: "seldon-system")
            #expect(problems.isEmpty, "\(problems)")
        }
        let second = try Rendering.renderer().render(plan)
        #expect(Rendering.text(first) == Rendering.text(second))
        let kinds = Set(objects.compactMap { $0["kind"].stringValue })
        #expect(kinds.contains("Gateway") == (combination.enabled.contains(.routing) && combination.createGateway))
        #expect(kinds.contains("VirtualService") == combination.enabled.contains(.routing))
        #expect(kinds.contains("Broker") == combination.enabled.contains(.detectors))
        let opensearch = objects.contains { $0["metadata"]["name"] == "seldon-internal-opensearch-cluster-master" && $0["kind"] == "StatefulSet" }
        #expect(opensearch == (combination.enabled.contains(.payloadstore) && combination.useInternal))
    }

    @Test(arguments: ["seldon-core", "seldon-deploy", "seldon-core-analytics", "seldon-catalogue", "seldon-payloadstore",
                      "seldon-routing", "seldon-detectors", "seldon-operator"])
    func everyChartRendersWithItsDefaults(_ chart: String) throws {
        let (_, manifests) = try Rendering.renderer().renderChart(named: chart, release: chart, values: [:], namespace: "ns")
        #expect(!manifests.isEmpty)
        for manifest in manifests {
            let manager = chart == "seldon-operator" ? "Helm" : "seldon-operator"
            #expect(Rendering.problems(in: try YAML.parse(manifest.content), namespace: "ns", managedBy: manager).isEmpty,
                    "\(manifest.path)")
        }
    }

    @Test func objectNamesFollowSeldonsDocumentation() async throws {
        let plan = try await Self.plan(SeldonOperatorSpec(enabled: Set(Feature.allCases)))
        let names = Set(try Rendering.renderer().render(plan).flatMap(\.objects).compactMap { $0["metadata"]["name"].stringValue })
        for expected in ["seldon-controller-manager", "seldon-deploy", "seldon-core-analytics-prometheus-seldon",
                         "seldon-core-analytics-prometheus-alertmanager", "seldon-core-analytics-kube-state-metrics",
                         "seldon-core-analytics-prometheus-node-exporter", "seldon-core-analytics-prometheus-pushgateway",
                         "seldon-internal-postgres-postgresql", "seldon-internal-opensearch-cluster-master", "metadata-postgres",
                         "elastic-credentials", "seldon-gateway", "default", "seldon-request-logger-trigger", "seldon-request-logger"] {
            #expect(names.contains(expected), "\(expected)")
        }
    }

    @Test func wiredValuesReachTheRenderedObjects() async throws {
        let plan = try await Self.plan(SeldonOperatorSpec(enabled: Set(Feature.allCases)))
        let text = Rendering.text(try Rendering.renderer().render(plan))
        #expect(text.contains("http://broker-ingress.knative-eventing.svc.cluster.local/seldon-system/default"))
        #expect(text.contains("- seldon-system/seldon-gateway"))
        #expect(text.contains("https://seldon-internal-opensearch-cluster-master.seldon-system.svc.cluster.local:9200"))
        #expect(text.contains("METADATA_PG_PASSWORD"))
    }

    /// With the Secrets the first install created in the cluster, a render reproduces it byte
    /// for byte even with real randomness: nothing is regenerated.
    @Test func generatedSecretsAreReusedFromTheCluster() async throws {
        let plan = try await Self.plan(SeldonOperatorSpec(enabled: [.catalogue, .payloadstore]))
        let real = Sprig.library(entropy: SystemEntropy(), clock: SystemClock())
        let first = try Rendering.renderer(functions: real).render(plan)
        let secrets = first.flatMap(\.objects).filter { $0["kind"] == "Secret" }
        #expect(Set(secrets.compactMap { $0["metadata"]["name"].stringValue })
            == ["seldon-webhook-server-cert", "metadata-postgres", "elastic-credentials"])
        let again = try Rendering.renderer(reader: FixedCluster(objects: secrets), functions: real).render(plan)
        #expect(Rendering.text(again) == Rendering.text(first))
        let fresh = try Rendering.renderer(functions: real).render(plan)
        #expect(Rendering.text(fresh) != Rendering.text(first), "without the cluster's Secrets new ones are generated")
    }

    @Test func bundleRendersLikeTheFoldersAndRefusesATamperedArchive() async throws {
        let scratch = try BundleTests.Scratch()
        let bundle = try ChartBundle.build(charts: Rendering.charts, version: "9.9.9", output: scratch.url)
        #expect(try ChartBundle.load(folder: bundle.folder).manifest == bundle.manifest)
        let plan = try await Self.plan(SeldonOperatorSpec(enabled: Set(Feature.allCases)))
        let fromFolders = try Rendering.renderer().render(plan)
        let fromBundle = try Rendering.renderer(.bundle(bundle)).render(plan)
        #expect(Rendering.text(fromBundle) == Rendering.text(fromFolders))

        let archive = bundle.folder.appendingPathComponent("seldon-core-0.1.0.tgz")
        var bytes = try Data(contentsOf: archive)
        bytes[bytes.count - 20] ^= 0x01
        try bytes.write(to: archive)
        do {
            _ = try Rendering.renderer(.bundle(bundle)).render(plan)
            Issue.record("a tampered archive was rendered")
        } catch {
            #expect(error.component == .core)
            #expect(error.message.contains("refusing to load it"), "\(error)")
        }
    }
}
