import Testing
import Unstructured
@testable import Stack

@Suite("SeldonOperator decoding")
struct SpecDecodingTests {
    static func document(spec: Value, name: Value = "seldon", namespace: Value? = "seldon-system") -> Value {
        var metadata: Value = ["name": name]
        if let namespace { metadata["namespace"] = namespace }
        return ["apiVersion": "operator.seldon.io/v1alpha1", "kind": "SeldonOperator", "metadata": metadata, "spec": spec]
    }

    static func issues(_ document: Value) -> [String] {
        do {
            _ = try SeldonOperatorResource(decoding: document, source: "test.yaml")
            return []
        } catch {
            return error.description.split(separator: "\n").map(String.init)
        }
    }

    @Test func emptySpecIsTheMinimalInstallWithDefaults() throws {
        let resource = try SeldonOperatorResource(decoding: Self.document(spec: [:]))
        #expect(resource.spec == SeldonOperatorSpec())
        #expect(resource.spec.enabled.isEmpty)
        #expect(resource.spec.createGateway)
        #expect(resource.spec.useInternalElastic)
        #expect(resource.namespace == "seldon-system")
    }

    @Test func missingSpecAndNamespaceDefault() throws {
        let resource = try SeldonOperatorResource(decoding: ["apiVersion": "operator.seldon.io/v1alpha1", "kind": "SeldonOperator",
                                                             "metadata": ["name": "s"]])
        #expect(resource.spec == SeldonOperatorSpec())
        #expect(resource.namespace == SeldonOperatorResource.defaultNamespace)
    }

    @Test func readsEveryField() throws {
        let resource = try SeldonOperatorResource(decoding: Self.document(spec: [
            "enable": ["analytics": true, "catalogue": true, "payloadstore": true, "routing": true, "detectors": true],
            "routing": ["create_gateway": false],
            "payloadstore": ["internal_elastic": ["use_internal": false]],
            "core": ["values": ["istio": ["gateway": "istio-system/seldon-gateway"]]],
            "enterprise": ["values": ["elasticsearch": ["url": "https://es.logs.svc:9200"]]],
        ], namespace: "ml"))
        #expect(resource.spec.enabled == Set(Feature.allCases))
        #expect(!resource.spec.createGateway)
        #expect(!resource.spec.useInternalElastic)
        #expect(resource.spec.coreValues[path: ["istio", "gateway"]] == "istio-system/seldon-gateway")
        #expect(resource.namespace == "ml")
    }

    @Test func wrongTypeNamesThePathAndTheExpectation() {
        #expect(Self.issues(Self.document(spec: ["enable": ["routing": "yes"]]))
            == ["test.yaml: spec.enable.routing: expected a boolean, got string"])
        #expect(Self.issues(Self.document(spec: ["core": ["values": ["a", "b"]]]))
            == ["test.yaml: spec.core.values: expected a map, got list"])
        #expect(Self.issues(Self.document(spec: "all")) == ["test.yaml: spec: expected a map, got string"])
    }

    @Test func unknownFieldIsAnErrorListingTheKnownOnes() {
        let issues = Self.issues(Self.document(spec: ["enable": ["foo": true]]))
        #expect(issues == ["test.yaml: spec.enable.foo: unknown field; fix: remove it; known fields here: analytics, catalogue, payloadstore, routing, detectors"])
        #expect(Self.issues(Self.document(spec: ["routing": ["createGateway": false]])).first?.contains("spec.routing.createGateway: unknown field") == true)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let issues = Self.issues(Self.document(spec: ["enable": ["foo": true, "routing": 1], "extra": [:]], name: "Bad_Name"))
        #expect(issues.count == 4)
        #expect(issues.contains { $0.contains("metadata.name") })
        #expect(issues.contains { $0.contains("spec.extra: unknown field") })
    }

    @Test func nullMeansAbsent() throws {
        let resource = try SeldonOperatorResource(decoding: Self.document(spec: ["enable": .null, "routing": ["create_gateway": .null]]))
        #expect(resource.spec == SeldonOperatorSpec())
    }

    @Test func wrongApiVersionOrKind() {
        var document = Self.document(spec: [:])
        document["apiVersion"] = "v1"
        document["kind"] = "ConfigMap"
        #expect(Self.issues(document) == [
            "test.yaml: apiVersion: expected \"operator.seldon.io/v1alpha1\", got \"v1\"",
            "test.yaml: kind: expected \"SeldonOperator\", got \"ConfigMap\"",
        ])
    }

    @Test func specRoundTripsThroughItsValue() throws {
        let spec = SeldonOperatorSpec(enabled: [.routing, .analytics], createGateway: false, useInternalElastic: true,
                                      coreValues: ["istio": ["gateway": "gw"]], enterpriseValues: ["x": 1])
        var issues: [SpecIssue] = []
        let decoded = SeldonOperatorSpec.schema.decode(spec.value, at: FieldPath("spec"), issues: &issues)
        #expect(issues.isEmpty)
        #expect(SeldonOperatorSpec(decoded: decoded) == spec)
    }

    @Test func statusEncodesConditionsAndComponents() {
        var status = SeldonOperatorStatus(observedGeneration: 3)
        status.conditions.set(Condition(type: .ready, status: .false, reason: "Installing", message: "core installing",
                                        lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 3))
        status.conditions.set(Condition(type: .ready, status: .false, reason: "Installing", message: "deploy installing",
                                        lastTransitionTime: "2026-01-01T00:05:00Z", observedGeneration: 3))
        #expect(status.conditions.count == 1)
        #expect(status.conditions[0].lastTransitionTime == "2026-01-01T00:00:00Z", "unchanged status keeps its transition time")
        status.conditions.set(Condition(type: .ready, status: .true, reason: "Ready", message: "all ready",
                                        lastTransitionTime: "2026-01-01T00:09:00Z"))
        #expect(status.conditions[0].lastTransitionTime == "2026-01-01T00:09:00Z")
        status.components = [ComponentStatus(name: "core", enabled: true, phase: .ready, objectsReady: 9, objectsTotal: 9, chartVersion: "0.1.0"),
                             ComponentStatus(name: "routing", enabled: true, phase: .blocked, message: "no Istio"),
                             ComponentStatus(name: "analytics", enabled: false, phase: .disabled)]
        #expect(status.readyComponents == "1/2")
        var issues: [SpecIssue] = []
        _ = SeldonOperatorStatus.schema.decode(status.value, at: FieldPath("status"), issues: &issues)
        #expect(issues.isEmpty, "the status the operator writes satisfies the schema it publishes")
    }
}
