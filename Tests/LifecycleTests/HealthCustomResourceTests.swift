import Testing

@testable import Lifecycle

@Suite("Health of custom resources and unknown kinds")
struct HealthCustomResourceTests {
    static func seldonDeployment(_ status: String?) -> String {
        """
        {"apiVersion": "machinelearning.seldon.io/v1", "kind": "SeldonDeployment",
         "metadata": {"name": "iris", "namespace": "models", "generation": 1},
         "spec": {"predictors": [{"name": "default", "replicas": 1, "graph": {"name": "classifier", "implementation": "SKLEARN_SERVER"}}]}
         \(status.map { #", "status": \#($0)"# } ?? "")}
        """
    }

    static func knative(_ kind: String, _ status: String?) -> String {
        """
        {"apiVersion": "eventing.knative.dev/v1", "kind": "\(kind)", "metadata": {"name": "default", "namespace": "seldon-logs", "generation": 1},
         "spec": {}\(status.map { #", "status": \#($0)"# } ?? "")}
        """
    }

    static let table: [HealthCase] = [
        HealthCase(name: "SeldonDeployment without status", object: seldonDeployment(nil), word: "InProgress", code: "NoStatus"),
        HealthCase(name: "SeldonDeployment creating", object: seldonDeployment(#"{"state": "Creating", "description": ""}"#),
                   word: "InProgress", code: "Creating"),
        HealthCase(name: "SeldonDeployment available", object: seldonDeployment("""
            {"state": "Available", "replicas": 1, "address": {"url": "http://iris-default.models.svc.cluster.local:8000/api/v1.0/predictions"}}
            """), word: "Current"),
        HealthCase(name: "SeldonDeployment failed", object: seldonDeployment(#"{"state": "Failed", "description": "Cannot find field: graph.foo"}"#),
                   word: "Failed", code: "SeldonDeploymentFailed", messageContains: ["graph.foo"]),
        HealthCase(name: "Broker without status", object: knative("Broker", nil), word: "InProgress", code: "NoStatus"),
        HealthCase(name: "Broker with empty status", object: knative("Broker", "{}"), word: "InProgress", code: "NoStatus"),
        HealthCase(name: "Broker ready", object: knative("Broker", """
            {"observedGeneration": 1, "address": {"url": "http://broker-ingress.knative-eventing.svc.cluster.local/seldon-logs/default"},
             "conditions": [{"type": "Addressable", "status": "True"}, {"type": "Ready", "status": "True"}]}
            """), word: "Current"),
        HealthCase(name: "Trigger waiting for its broker", object: knative("Trigger", """
            {"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "False", "reason": "BrokerDoesNotExist",
             "message": "Broker \\"default\\" does not exist"}]}
            """), word: "InProgress", code: "BrokerDoesNotExist", messageContains: ["does not exist"]),
        HealthCase(name: "Trigger of an old generation", object: knative("Trigger", """
            {"observedGeneration": 0, "conditions": [{"type": "Ready", "status": "True"}]}
            """), word: "InProgress", code: "LatestGenerationNotObserved"),
        HealthCase(
            name: "Istio Gateway is ready when applied",
            object: """
                {"apiVersion": "networking.istio.io/v1beta1", "kind": "Gateway", "metadata": {"name": "seldon-gateway", "namespace": "istio-system"},
                 "spec": {"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}}
                """,
            word: "Current"),
        HealthCase(
            name: "Istio VirtualService is ready when applied",
            object: """
                {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "seldon-deploy", "namespace": "seldon-system"},
                 "spec": {"gateways": ["istio-system/seldon-gateway"], "hosts": ["*"], "http": []}}
                """,
            word: "Current"),
        HealthCase(
            name: "ConfigMap has no status: current",
            object: #"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "seldon-config", "namespace": "seldon-system"}, "data": {}}"#,
            word: "Current"),
        HealthCase(
            name: "unknown kind with Ready=True",
            object: """
                {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": {"name": "c", "namespace": "n", "generation": 2},
                 "status": {"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "True"}]}}
                """,
            word: "Current"),
        HealthCase(
            name: "unknown kind stalled",
            object: """
                {"apiVersion": "example.com/v1", "kind": "Thing", "metadata": {"name": "t", "namespace": "n"},
                 "status": {"conditions": [{"type": "Stalled", "status": "True", "reason": "InvalidSpec", "message": "spec.size must be positive"}]}}
                """,
            word: "Failed", code: "InvalidSpec", messageContains: ["spec.size"]),
        HealthCase(
            name: "unknown kind reconciling",
            object: """
                {"apiVersion": "example.com/v1", "kind": "Thing", "metadata": {"name": "t", "namespace": "n"},
                 "status": {"conditions": [{"type": "Reconciling", "status": "True", "reason": "Provisioning", "message": "3 of 5"}]}}
                """,
            word: "InProgress", code: "Provisioning"),
        HealthCase(
            name: "unknown kind with Ready=False and no reason",
            object: """
                {"apiVersion": "example.com/v1", "kind": "Thing", "metadata": {"name": "t", "namespace": "n"},
                 "status": {"conditions": [{"type": "Ready", "status": "False"}]}}
                """,
            word: "InProgress", code: "NotReady"),
        HealthCase(name: "not an object", object: #"{"metadata": {"name": "x"}}"#, word: "Unknown", code: "NoKind"),
    ]

    @Test(arguments: table)
    func assess(_ row: HealthCase) throws { try row.check() }
}
