import Testing
import Unstructured
@testable import Stack

@Suite("Cross-field validation")
struct ValidationTests {
    @Test func detectorsNeedRoutingAndPayloadstore() {
        let issues = SpecValidation.issues(in: SeldonOperatorSpec(enabled: [.detectors]))
        #expect(issues.map(\.path.description) == ["spec.enable.detectors", "spec.enable.detectors"])
        #expect(issues[0].message.contains("routing"))
        #expect(issues[0].fix == "set spec.enable.routing: true, or spec.enable.detectors: false")
        #expect(issues[1].fix == "set spec.enable.payloadstore: true, or spec.enable.detectors: false")
    }

    @Test func existingGatewayMustBeNamed() {
        let spec = SeldonOperatorSpec(enabled: [.routing], createGateway: false)
        let issues = SpecValidation.issues(in: spec)
        #expect(issues.map(\.path.description) == ["spec.core.values.istio.gateway"])
        #expect(issues[0].fix?.contains("create_gateway: true") == true)
        var named = spec
        named.coreValues = ["istio": ["gateway": "istio-system/seldon-gateway"]]
        #expect(SpecValidation.issues(in: named).isEmpty)
        named.coreValues = ["istio": ["gateway": "Not/A/Gateway"]]
        #expect(SpecValidation.issues(in: named).first?.message.contains("NAMESPACE/NAME") == true)
    }

    @Test func createGatewayFalseIsIgnoredWithoutRouting() {
        #expect(SpecValidation.issues(in: SeldonOperatorSpec(createGateway: false)).isEmpty)
    }

    @Test func externalElasticsearchNeedsAURL() {
        let spec = SeldonOperatorSpec(enabled: [.payloadstore], useInternalElastic: false)
        #expect(SpecValidation.issues(in: spec).map(\.path.description) == ["spec.enterprise.values.elasticsearch.url"])
        var given = spec
        given.enterpriseValues = ["elasticsearch": ["url": "ftp://nope"]]
        #expect(SpecValidation.issues(in: given).first?.message.contains("http or https") == true)
        given.enterpriseValues = ["elasticsearch": ["url": "https://opensearch-cluster-master.seldon-logs.svc.cluster.local:9200"]]
        #expect(SpecValidation.issues(in: given).isEmpty)
    }

    @Test func endpointsParse() {
        #expect(ElasticsearchEndpoint(url: "https://es.logs:9201") == ElasticsearchEndpoint(scheme: "https", host: "es.logs", port: 9201))
        #expect(ElasticsearchEndpoint(url: "http://es")?.port == 9200)
        #expect(ElasticsearchEndpoint(url: "es:9200") == nil)
        #expect(GatewayReference("istio-system/seldon-gateway")?.namespace == "istio-system")
        #expect(GatewayReference("seldon-gateway")?.namespace == nil)
        #expect(GatewayReference("/x") == nil)
    }

    @Test func dnsNames() {
        #expect(DNSName.isLabel("seldon-system"))
        #expect(!DNSName.isLabel("Seldon"))
        #expect(!DNSName.isLabel("-a"))
        #expect(!DNSName.isLabel(String(repeating: "a", count: 64)))
        #expect(DNSName.isSubdomain("seldondeployments.machinelearning.seldon.io"))
        #expect(!DNSName.isSubdomain("a..b"))
    }
}
