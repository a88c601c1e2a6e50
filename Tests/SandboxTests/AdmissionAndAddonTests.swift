import Testing
@testable import Sandbox
import Unstructured

@Suite struct AdmissionTests {
    let harness: Harness
    init() {
        harness = Harness()
        harness.createNamespace("ops")
    }

    func webhook(failurePolicy: String) -> Value {
        ["apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
         "metadata": ["name": "guard"],
         "webhooks": [["name": "validate.example.com", "failurePolicy": .string(failurePolicy),
                       "sideEffects": "None", "admissionReviewVersions": ["v1"],
                       "clientConfig": ["service": ["name": "guard", "namespace": "ops", "path": "/validate"]],
                       "rules": [["operations": ["CREATE", "UPDATE"], "apiGroups": [""], "apiVersions": ["v1"],
                                  "resources": ["configmaps"]]]]]]
    }

    let configMap: Value = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"]]

    @Test func webhookWithoutEndpointsFailsUnderFailurePolicyFail() {
        harness.call("POST", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", webhook(failurePolicy: "Fail"))
        let reply = harness.call("POST", "/api/v1/namespaces/ops/configmaps", configMap)
        #expect(reply.status == 500)
        #expect(reply.body["reason"] == "InternalError")
        #expect(reply.body["message"] == "Internal error occurred: failed calling webhook \"validate.example.com\": failed to call webhook: Post \"https://guard.ops.svc:443/validate?timeout=10s\": no endpoints available for service \"guard\"")
        #expect(harness.call("GET", "/api/v1/namespaces/ops/configmaps/c").status == 404)
        let secret = harness.call("POST", "/api/v1/namespaces/ops/secrets", ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"]])
        #expect(secret.status == 201, "rules select the resource")
    }

    @Test func webhookWithoutEndpointsIsSkippedUnderIgnore() {
        harness.call("POST", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", webhook(failurePolicy: "Ignore"))
        #expect(harness.call("POST", "/api/v1/namespaces/ops/configmaps", configMap).status == 201)
    }

    @Test func webhookWithReadyEndpointsAllows() {
        harness.call("POST", "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", webhook(failurePolicy: "Fail"))
        harness.call("POST", "/api/v1/namespaces/ops/pods", [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "guard-0", "labels": ["app": "guard"]],
            "spec": ["containers": [["name": "c", "image": "i"]]],
        ])
        harness.call("POST", "/api/v1/namespaces/ops/services", [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "guard"],
            "spec": ["selector": ["app": "guard"], "ports": [["port": 443, "targetPort": 9443]]],
        ])
        harness.settle(6)
        #expect(harness.call("POST", "/api/v1/namespaces/ops/configmaps", configMap).status == 201)
    }
}

@Suite struct AddonTests {
    @Test func knativeBrokersAndTriggersBecomeReadyWithAddresses() {
        let harness = Harness { $0.withKnative = true }
        harness.createNamespace("ev")
        let broker = harness.call("POST", "/apis/eventing.knative.dev/v1/namespaces/ev/brokers",
                                  ["apiVersion": "eventing.knative.dev/v1", "kind": "Broker", "metadata": ["name": "default"]])
        #expect(broker.status == 201)
        harness.call("POST", "/apis/eventing.knative.dev/v1/namespaces/ev/triggers", [
            "apiVersion": "eventing.knative.dev/v1", "kind": "Trigger", "metadata": ["name": "t"],
            "spec": ["broker": "default", "subscriber": ["ref": ["apiVersion": "v1", "kind": "Service", "name": "sink"]]],
        ])
        harness.settle(3)
        let status = harness.call("GET", "/apis/eventing.knative.dev/v1/namespaces/ev/brokers/default").body["status"]
        #expect(status["address"]["url"] == "http://broker-ingress.knative-eventing.svc.cluster.local/ev/default")
        #expect(status["conditions"].listValue?.contains { $0["type"] == "Ready" && $0["status"] == "True" } == true)
        let trigger = harness.call("GET", "/apis/eventing.knative.dev/v1/namespaces/ev/triggers/t").body["status"]
        #expect(trigger["subscriberUri"] == "http://sink.ev.svc.cluster.local")
    }

    @Test func istioKindsAreServed() {
        let harness = Harness { $0.withIstio = true }
        harness.createNamespace("mesh")
        for (resource, kind) in [("gateways", "Gateway"), ("virtualservices", "VirtualService"), ("destinationrules", "DestinationRule")] {
            let reply = harness.call("POST", "/apis/networking.istio.io/v1beta1/namespaces/mesh/\(resource)", [
                "apiVersion": "networking.istio.io/v1beta1", "kind": .string(kind), "metadata": ["name": "x"],
                "spec": ["hosts": ["*"]],
            ])
            #expect(reply.status == 201, "\(kind): \(reply.text)")
        }
    }

    @Test func simulatedOperatorHoldsFinalizersWhileItsDeploymentExists() throws {
        let harness = Harness {
            $0.operators = [SimulatedOperator(group: "ref.example.com", resource: "widgets", finalizer: "ref.example.com/cleanup",
                                              namespace: "op", deployment: "widget-operator")]
        }
        harness.createNamespace("op")
        try harness.installWidgets()
        harness.call("POST", "/apis/apps/v1/namespaces/op/deployments", [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "widget-operator"],
            "spec": ["selector": ["matchLabels": ["app": "op"]], "template": ControllerTests.podTemplate("op")],
        ])
        let widgets = "/apis/ref.example.com/v1/namespaces/op/widgets"
        harness.call("POST", widgets, ["apiVersion": "ref.example.com/v1", "kind": "Widget", "metadata": ["name": "a"], "spec": ["size": 1]])
        harness.call("POST", widgets, ["apiVersion": "ref.example.com/v1", "kind": "Widget", "metadata": ["name": "b"], "spec": ["size": 1]])
        harness.settle(2)
        #expect(harness.call("GET", widgets + "/a").body["metadata"]["finalizers"] == ["ref.example.com/cleanup"])
        harness.call("DELETE", widgets + "/a")
        harness.settle(2)
        #expect(harness.call("GET", widgets + "/a").status == 404, "the running operator released its finalizer")
        harness.call("DELETE", "/apis/apps/v1/namespaces/op/deployments/widget-operator")
        harness.call("DELETE", widgets + "/b")
        harness.settle(4)
        let stuck = harness.call("GET", widgets + "/b").body
        #expect(stuck["metadata"]["finalizers"] == ["ref.example.com/cleanup"], "operator removed before its resources")
        #expect(!stuck["metadata"]["deletionTimestamp"].isNull)
    }

    @Test func operatorSpecificationsParse() {
        #expect(SimulatedOperator.parse("widgets.ref.example.com=ref.example.com/cleanup@op/widget-operator")
                == SimulatedOperator(group: "ref.example.com", resource: "widgets", finalizer: "ref.example.com/cleanup",
                                     namespace: "op", deployment: "widget-operator"))
        #expect(SimulatedOperator.parse("widgets") == nil)
    }
}
