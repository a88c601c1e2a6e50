import Foundation
import Sandbox
import Testing
import Unstructured
@testable import Stack

/// What the issue asks of every object the charts render, checked on what they render rather
/// than on the templates: labels, resources, probes, security contexts, and acceptance by an
/// API server.
@Suite("Chart standards")
struct ChartStandardsTests {
    static let charts = ["seldon-core", "seldon-deploy", "seldon-core-analytics", "seldon-catalogue", "seldon-payloadstore",
                         "seldon-routing", "seldon-detectors", "seldon-operator"]

    /// Containers whose image writes under its own install folder at start, so a read-only
    /// root filesystem would stop it (the reason is in the chart beside the setting).
    static let writableRoot: Set<String> = ["StatefulSet/seldon-internal-opensearch-cluster-master/opensearch"]

    /// The full stack with the trial stores, and the one with an external Elasticsearch and an
    /// existing Gateway: between them every workload any combination renders.
    static func workloads() async throws -> [Value] {
        let external = SeldonOperatorSpec(
            enabled: Set(Feature.allCases), createGateway: false, useInternalElastic: false,
            coreValues: ["istio": ["gateway": "istio-system/seldon-gateway"]],
            enterpriseValues: ["elasticsearch": ["url": "https://es.logs.svc.cluster.local:9200"]])
        var objects: [Value] = []
        for spec in [SeldonOperatorSpec(enabled: Set(Feature.allCases)), external] {
            objects += try Rendering.renderer().render(try await RenderTests.plan(spec)).flatMap(\.objects)
        }
        let (_, manifests) = try Rendering.renderer().renderChart(named: "seldon-operator", release: "seldon-operator",
                                                                  values: [:], namespace: "seldon-system")
        objects += try manifests.map { try YAML.parse($0.content) }
        return objects.filter { ["Deployment", "StatefulSet", "DaemonSet"].contains($0["kind"].stringValue ?? "") }
    }

    @Test func everyContainerHasResourcesProbesAndARestrictedSecurityContext() async throws {
        let workloads = try await Self.workloads()
        #expect(Set(workloads.compactMap { $0["kind"].stringValue }) == ["Deployment", "StatefulSet", "DaemonSet"])
        for workload in workloads {
            let owner = "\(workload["kind"].stringValue ?? "")/\(workload["metadata"]["name"].stringValue ?? "")"
            let pod = workload[path: ["spec", "template", "spec"]]
            let containers = pod["containers"].listValue ?? []
            #expect(!containers.isEmpty, "\(owner) has no containers")
            for (container, isInit) in containers.map({ ($0, false) }) + (pod["initContainers"].listValue ?? []).map({ ($0, true) }) {
                let place = "\(owner)/\(container["name"].stringValue ?? "")"
                for path in [["requests", "cpu"], ["requests", "memory"], ["limits", "cpu"], ["limits", "memory"]] {
                    #expect(!container["resources"][path: path].isNull, "\(place): no resources.\(path.joined(separator: "."))")
                }
                if !isInit {
                    #expect(!container["readinessProbe"].isNull, "\(place): no readinessProbe")
                    #expect(!container["livenessProbe"].isNull, "\(place): no livenessProbe")
                }
                let security = container["securityContext"]
                let nonRoot = security["runAsNonRoot"].boolValue ?? pod["securityContext"]["runAsNonRoot"].boolValue
                #expect(nonRoot == true, "\(place): may run as root")
                #expect(security["allowPrivilegeEscalation"] == false, "\(place): privilege escalation allowed")
                let seccomp = security["seccompProfile"]["type"].stringValue ?? pod["securityContext"]["seccompProfile"]["type"].stringValue
                #expect(seccomp == "RuntimeDefault", "\(place): seccomp profile \(seccomp ?? "unset")")
                #expect(security["capabilities"]["drop"] == ["ALL"], "\(place): capabilities not dropped")
                #expect(security["readOnlyRootFilesystem"].boolValue == !Self.writableRoot.contains(place),
                        "\(place): readOnlyRootFilesystem is \(security["readOnlyRootFilesystem"])")
            }
        }
    }

    /// Every distinct rendering of every component over all combinations, and every chart
    /// with its defaults, goes to an API server in a server-side dry run, which must accept
    /// every object: the kinds exist, the fields have the types the schemas say.
    @Test func sandboxAcceptsEveryRenderingInADryRun() async throws {
        var renderings: [String: String] = [:]  // text → which combination first produced it
        for combination in Combination.all.filter(\.isValid) {
            for component in try Rendering.renderer().render(try await RenderTests.plan(combination.spec)) where !component.objects.isEmpty {
                if renderings[component.text] == nil { renderings[component.text] = "\(component.id) of \(combination)" }
            }
        }
        for chart in Self.charts {
            let (_, manifests) = try Rendering.renderer().renderChart(named: chart, release: chart, values: [:], namespace: "seldon-system")
            let text = manifests.map { "---\n\($0.content)\n" }.joined()
            if renderings[text] == nil { renderings[text] = "\(chart) with its defaults" }
        }
        #expect(renderings.count > Self.charts.count, "the combinations render more than one variant")
        var options = SandboxOptions()
        options.withIstio = true
        options.withKnative = true
        options.readyDelay = 0
        try await Kubectl.withSandbox(options) { kubectl in
            _ = try await kubectl.run(["create", "-f", "-"], input: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: seldon-system\n")
            for (text, label) in renderings.sorted(by: { $0.value < $1.value }) {
                let result = try await kubectl.run(["apply", "--server-side", "--dry-run=server", "-f", "-"], input: text)
                #expect(result.status == 0, "\(label): \(result.output)")
                let documents = text.components(separatedBy: "\n---\n").count
                #expect(result.output.components(separatedBy: "(server dry run)").count - 1 == documents, "\(label): \(result.output)")
            }
        }
    }
}
