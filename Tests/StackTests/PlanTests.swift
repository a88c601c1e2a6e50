import Foundation
import ProcessTesting
import Testing
import Unstructured
@testable import Stack

@Suite("Plan, prerequisites and wiring")
struct PlanTests {
    static let full = SeldonOperatorSpec(enabled: Set(Feature.allCases))
    static let istioAndKnative = InMemoryDiscovery(serving: Catalog.components.flatMap(\.prerequisites))

    static func plan(_ spec: SeldonOperatorSpec, discovery: (any APIDiscovery)? = nil) async throws -> StackPlan {
        try await StackPlanner.plan(SeldonOperatorResource(name: "seldon", namespace: "seldon-system", spec: spec), discovery: discovery)
    }

    @Test func missingIstioBlocksRoutingAndDetectorsOnly() async throws {
        let knativeOnly = InMemoryDiscovery(["eventing.knative.dev/v1": ["Broker", "Trigger"]])
        let plan = try await Self.plan(Self.full, discovery: knativeOnly)
        #expect(plan.entry(.routing)?.state == .blocked(missing: [Catalog.istioGateway, Catalog.istioVirtualService], blockedDependencies: []))
        #expect(plan.entry(.detectors)?.state == .blocked(missing: [], blockedDependencies: [.routing]))
        #expect(plan.installing == [.core, .analytics, .catalogue, .payloadstore, .deploy])
        let condition = try #require(plan.prerequisitesMet)
        #expect(condition.status == .false)
        #expect(condition.message.contains("networking.istio.io/v1beta1 Gateway"))
        #expect(condition.message.contains("blocked: routing, detectors"))
        // Blocked components are not wired into the others.
        #expect(plan.values[.core]?[path: ["istio", "enabled"]] == .null)
        #expect(plan.values[.deploy]?[path: ["virtualService", "create"]] == .null)
        #expect(plan.values[.deploy]?[path: ["requestLogger", "create"]] == false)
    }

    @Test func everythingServedMeetsPrerequisites() async throws {
        let plan = try await Self.plan(Self.full, discovery: Self.istioAndKnative)
        #expect(plan.prerequisitesMet?.status == .true)
        #expect(plan.missingPrerequisites == [])
        #expect(plan.installing.count == 7)
    }

    @Test func withoutAClusterPrerequisitesAreUnknown() async throws {
        let plan = try await Self.plan(Self.full)
        #expect(plan.prerequisitesMet == nil)
        #expect(plan.missingPrerequisites == nil)
    }

    @Test func discoveryAsksOncePerGroupVersion() async throws {
        actor Counter { var asked: [String] = []; func add(_ gv: String) { asked.append(gv) } }
        struct Counting: APIDiscovery {
            let counter: Counter
            func servedKinds(in groupVersion: String) async throws -> Set<String> {
                await counter.add(groupVersion)
                return []
            }
        }
        let counter = Counter()
        _ = try await Self.plan(Self.full, discovery: Counting(counter: counter))
        #expect(await counter.asked == ["eventing.knative.dev/v1", "networking.istio.io/v1beta1"])
    }

    @Test func fullStackWiring() async throws {
        let plan = try await Self.plan(Self.full, discovery: Self.istioAndKnative)
        let core = try #require(plan.values[.core])
        #expect(core[path: ["istio", "enabled"]] == true)
        #expect(core[path: ["istio", "gateway"]] == "seldon-system/seldon-gateway")
        #expect(core[path: ["executor", "requestLogger", "defaultEndpoint"]]
            == "http://broker-ingress.knative-eventing.svc.cluster.local/seldon-system/default")
        let deploy = try #require(plan.values[.deploy])
        #expect(deploy[path: ["metadata", "pg", "secret"]] == "metadata-postgres")
        #expect(deploy[path: ["elasticsearch", "url"]] == "https://seldon-internal-opensearch-cluster-master.seldon-system.svc.cluster.local:9200")
        #expect(deploy[path: ["elasticsearch", "secret", "name"]] == "elastic-credentials")
        #expect(deploy[path: ["prometheus", "seldon", "url"]] == "http://seldon-core-analytics-prometheus-seldon.seldon-system.svc.cluster.local/api/v1/")
        #expect(deploy[path: ["virtualService", "gateways"]] == ["seldon-system/seldon-gateway"])
        #expect(deploy[path: ["requestLogger", "create"]] == true)
        let detectors = try #require(plan.values[.detectors])
        #expect(detectors[path: ["requestLogger", "elasticsearch", "host"]] == "seldon-internal-opensearch-cluster-master.seldon-system.svc.cluster.local")
        #expect(plan.warnings.isEmpty)
    }

    @Test func externalElasticsearchAndExistingGatewayAreWiredFromUserValues() async throws {
        let spec = SeldonOperatorSpec(
            enabled: [.routing, .payloadstore, .detectors], createGateway: false, useInternalElastic: false,
            coreValues: ["istio": ["gateway": "istio-system/seldon-gateway"]],
            enterpriseValues: ["elasticsearch": ["url": "https://opensearch-cluster-master.seldon-logs.svc.cluster.local:9200",
                                                 "secret": ["name": "my-es"]],
                               "requestLogger": ["elasticsearch": ["protocol": "http"]]])
        let plan = try await Self.plan(spec)
        #expect(plan.values[.core]?[path: ["istio", "gateway"]] == "istio-system/seldon-gateway")
        #expect(plan.values[.deploy]?[path: ["virtualService", "gateways"]] == ["istio-system/seldon-gateway"])
        #expect(plan.values[.payloadstore]?[path: ["opensearch", "enabled"]] == false)
        #expect(plan.values[.routing]?[path: ["gateway", "create"]] == false)
        let logger = try #require(plan.values[.detectors]?[path: ["requestLogger", "elasticsearch"]])
        #expect(logger["host"] == "opensearch-cluster-master.seldon-logs.svc.cluster.local")
        #expect(logger["port"] == "9200")
        #expect(logger["protocol"] == "http", "the user's requestLogger.elasticsearch wins over the parsed URL")
        #expect(logger[path: ["secret", "name"]] == "my-es")
        #expect(logger[path: ["secret", "userKey"]] == "username")
    }

    @Test func userValuesOverrideComputedOnesWithAWarning() async throws {
        var spec = SeldonOperatorSpec(enabled: [.routing])
        spec.coreValues = ["istio": ["gateway": "other/gw", "enabled": true], "image": ["tag": "1.17"]]
        let plan = try await Self.plan(spec)
        #expect(plan.values[.core]?[path: ["istio", "gateway"]] == "other/gw")
        #expect(plan.values[.deploy]?[path: ["virtualService", "gateways"]] == ["other/gw"],
                "Deploy's VirtualService follows the Gateway Core uses")
        #expect(plan.warnings == ["spec.core.values overrides values the operator computes for core: istio.gateway"])
    }

    @Test func reportsInEveryFormat() async throws {
        let plan = try await Self.plan(SeldonOperatorSpec(enabled: [.routing, .payloadstore, .detectors]),
                                       discovery: InMemoryDiscovery([:]))
        let report = PlanReport(plan: plan, objectCounts: [.core: ["Deployment": 1, "Service": 1]])
        #expect(report.text.contains("  routing       blocked   the cluster does not serve networking.istio.io/v1beta1 Gateway, networking.istio.io/v1beta1 VirtualService"))
        #expect(report.text.contains("  analytics     disabled  spec.enable.analytics is false\n"))
        #expect(report.text.contains("objects: 1 Deployment, 1 Service"))
        #expect(report.text.contains("Critical path: core → routing → detectors"))
        #expect(report.value["levels"] == [["core", "payloadstore"], ["deploy", "routing"], ["detectors"]])
        #expect(report.value["components"][0]["objects"] == ["Deployment": 1, "Service": 1])
        #expect(report.mermaid.contains("core --> routing"))
        #expect(report.mermaid.contains("class analytics,catalogue disabled"))
        #expect(report.dot.contains("\"core\" -> \"deploy\";"))
    }

    @Test func dotIdentifiersEscapeQuotesBackslashesAndLineBreaks() {
        #expect(PlanReport.dotQuoted(#"a"b\c"# + "\nd") == #""a\"b\\c\nd""#)
        #expect(PlanReport.dotQuoted("x\r\ny") == "\"x\r\\ny\"")
    }

    @Test func missingPrerequisitesAreShownWithWhatTheyBlock() async throws {
        let plan = try await Self.plan(Self.full, discovery: InMemoryDiscovery(["eventing.knative.dev/v1": ["Broker", "Trigger"]]))
        #expect(plan.blocked(by: Catalog.istioGateway) == [.routing, .detectors])
        #expect(plan.blocked(by: Catalog.knativeBroker) == [])
        let report = PlanReport(plan: plan, cluster: .checked(server: "https://api.example:6443"))
        #expect(report.text.contains("""
            Prerequisites: checked against https://api.example:6443: 2 missing
              missing networking.istio.io/v1beta1 Gateway: blocks routing, detectors
              missing networking.istio.io/v1beta1 VirtualService: blocks routing, detectors

            """), "\(report.text)")
        #expect(report.value["prerequisites"] == [
            "checked": true, "cluster": "https://api.example:6443",
            "missing": [
                ["api": "networking.istio.io/v1beta1 Gateway", "group": "networking.istio.io", "version": "v1beta1",
                 "kind": "Gateway", "blocks": ["routing", "detectors"]],
                ["api": "networking.istio.io/v1beta1 VirtualService", "group": "networking.istio.io", "version": "v1beta1",
                 "kind": "VirtualService", "blocks": ["routing", "detectors"]],
            ],
        ])
        // The graphs point each missing API at the component needing it itself; detectors is
        // blocked through routing, which the graph's own edge shows.
        #expect(report.dot.contains("\"missing networking.istio.io/v1beta1 Gateway\" -> \"routing\" [style=dashed, color=red3];"))
        #expect(!report.dot.contains("\"missing networking.istio.io/v1beta1 Gateway\" -> \"detectors\""))
        #expect(report.mermaid.contains("missing0 -.-> routing"))
        #expect(report.mermaid.contains("class routing,detectors,missing0,missing1 blocked"))

        let unchecked = PlanReport(plan: try await Self.plan(Self.full), cluster: .notChecked(reason: "no kubeconfig"))
        #expect(unchecked.text.contains("Prerequisites: not checked (no kubeconfig)\n"))
        #expect(unchecked.value["prerequisites"] == ["checked": false, "reason": "no kubeconfig"])
        #expect(unchecked.dot.contains("label=\"prerequisites: not checked (no kubeconfig)\";"))
    }

    @Test(arguments: Combination.all.filter { $0.isValid && !$0.namesGiven })
    func graphvizAcceptsTheDotOutput(_ combination: Combination) async throws {
        let plan = try await Self.plan(combination.spec, discovery: InMemoryDiscovery([:]))
        let result = try await Graphviz.layout(PlanReport(plan: plan, cluster: .checked(server: "https://api.example:6443")).dot)
        #expect(result.status == 0, "dot said: \(result.stderr)")
        #expect(result.stdout.contains("<svg"))
    }
}

/// Runs Graphviz's `dot` (Debian package graphviz) on a graph.
enum Graphviz {
    static func layout(_ source: String) async throws -> ChildProcess.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        process.arguments = ["-Tsvg"]
        return try await ChildProcess.run(process, input: Data(source.utf8))
    }
}
