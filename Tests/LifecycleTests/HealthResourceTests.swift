import Testing

@testable import Lifecycle

@Suite("Health of other built-in kinds")
struct HealthResourceTests {
    static func job(_ status: String) -> String {
        """
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "db-migrate", "namespace": "seldon-system", "generation": 1},
         "spec": {"completions": 1, "backoffLimit": 2}, "status": \(status)}
        """
    }

    static let jobsTable: [HealthCase] = [
        HealthCase(
            name: "complete",
            object: job("""
                {"succeeded": 1, "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]}
                """),
            word: "Current"),
        HealthCase(
            name: "backoff limit exceeded",
            object: job("""
                {"failed": 3, "conditions": [{"type": "FailureTarget", "status": "True"},
                 {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}]}
                """),
            word: "Failed", code: "BackoffLimitExceeded", messageContains: ["backoff limit"]),
        HealthCase(name: "running", object: job(#"{"active": 1}"#), word: "InProgress", code: "JobRunning", messageContains: ["0/1"]),
    ]

    @Test(arguments: jobsTable)
    func jobs(_ row: HealthCase) throws { try row.check() }

    static func claim(className: String?, phase: String) -> String {
        let classField = className.map { #""storageClassName": "\#($0)", "# } ?? ""
        return """
            {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data-postgres-0", "namespace": "seldon-system"},
             "spec": {\(classField)"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
             "status": {"phase": "\(phase)"}}
            """
    }

    static func storageClass(_ name: String, mode: String, isDefault: Bool = false) -> String {
        """
        {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
         "metadata": {"name": "\(name)", "annotations": {"storageclass.kubernetes.io/is-default-class": "\(isDefault)"}},
         "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "\(mode)"}
        """
    }

    static let claimsTable: [HealthCase] = [
        HealthCase(name: "bound", object: claim(className: "standard", phase: "Bound"), word: "Current"),
        HealthCase(
            name: "pending on a WaitForFirstConsumer class is ready (no deadlock)",
            object: claim(className: "local-path", phase: "Pending"),
            storageClasses: [storageClass("local-path", mode: "WaitForFirstConsumer")], word: "Current"),
        HealthCase(
            name: "pending without a class falls back to the default class",
            object: claim(className: nil, phase: "Pending"),
            storageClasses: [storageClass("fast", mode: "Immediate"), storageClass("local-path", mode: "WaitForFirstConsumer", isDefault: true)],
            word: "Current"),
        HealthCase(
            name: "pending on an Immediate class waits",
            object: claim(className: "fast", phase: "Pending"),
            storageClasses: [storageClass("fast", mode: "Immediate")],
            word: "InProgress", code: "Pending", messageContains: ["fast"]),
        HealthCase(
            name: "pending on a class that does not exist",
            object: claim(className: "missing", phase: "Pending"),
            word: "InProgress", code: "Pending", messageContains: ["missing not found"]),
        HealthCase(
            name: "explicitly classless claim waits for a static volume",
            object: claim(className: "", phase: "Pending"),
            storageClasses: [storageClass("local-path", mode: "WaitForFirstConsumer", isDefault: true)],
            word: "InProgress", code: "Pending"),
        HealthCase(name: "lost", object: claim(className: "fast", phase: "Lost"), word: "Failed", code: "ClaimLost"),
    ]

    @Test(arguments: claimsTable)
    func claims(_ row: HealthCase) throws { try row.check() }

    static func service(type: String, status: String = "{}") -> String {
        """
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "istio-ingressgateway", "namespace": "istio-system"},
         "spec": {"type": "\(type)", "clusterIP": "10.96.12.7", "ports": [{"port": 80}]}, "status": \(status)}
        """
    }

    static let servicesTable: [HealthCase] = [
        HealthCase(name: "ClusterIP", object: service(type: "ClusterIP"), word: "Current"),
        HealthCase(
            name: "LoadBalancer without an address", object: service(type: "LoadBalancer", status: #"{"loadBalancer": {}}"#),
            word: "InProgress", code: "NoIngress"),
        HealthCase(
            name: "LoadBalancer with an address",
            object: service(type: "LoadBalancer", status: #"{"loadBalancer": {"ingress": [{"ip": "172.18.0.10", "ipMode": "VIP"}]}}"#),
            word: "Current"),
    ]

    @Test(arguments: servicesTable)
    func services(_ row: HealthCase) throws { try row.check() }

    static func crd(_ conditions: String) -> String {
        """
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": {"name": "seldondeployments.machinelearning.seldon.io", "generation": 1},
         "spec": {"group": "machinelearning.seldon.io", "names": {"kind": "SeldonDeployment", "plural": "seldondeployments"}, "scope": "Namespaced"},
         "status": {"conditions": \(conditions), "acceptedNames": {"kind": "SeldonDeployment", "plural": "seldondeployments"}}}
        """
    }

    static let definitionsTable: [HealthCase] = [
        HealthCase(
            name: "established",
            object: crd("""
                [{"type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found"},
                 {"type": "Established", "status": "True", "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"}]
                """),
            word: "Current"),
        HealthCase(
            name: "names accepted, not yet established",
            object: crd(#"[{"type": "NamesAccepted", "status": "True", "reason": "NoConflicts"}]"#),
            word: "InProgress", code: "NotEstablished"),
        HealthCase(
            name: "plural clashes with another CRD",
            object: crd("""
                [{"type": "NamesAccepted", "status": "False", "reason": "AllPluralNamesConflict",
                  "message": "\\"seldondeployments\\" is already in use"},
                 {"type": "Established", "status": "False", "reason": "NotAccepted"}]
                """),
            word: "Failed", code: "AllPluralNamesConflict", messageContains: ["already in use"]),
    ]

    @Test(arguments: definitionsTable)
    func definitions(_ row: HealthCase) throws { try row.check() }

    static let namespacesTable: [HealthCase] = [
        HealthCase(
            name: "active",
            object: #"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "seldon-system"}, "status": {"phase": "Active"}}"#,
            word: "Current"),
        HealthCase(
            name: "terminating",
            object: #"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "seldon-system"}, "status": {"phase": "Terminating"}}"#,
            word: "InProgress", code: "Terminating"),
    ]

    @Test(arguments: namespacesTable)
    func namespaces(_ row: HealthCase) throws { try row.check() }

    static let webhook = """
        {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
         "metadata": {"name": "seldon-validating-webhook-configuration"},
         "webhooks": [{"name": "v1.vseldondeployment.kb.io", "admissionReviewVersions": ["v1"], "sideEffects": "None",
                       "failurePolicy": "Fail",
                       "clientConfig": {"caBundle": "LS0t", "service": {"name": "seldon-webhook-service", "namespace": "seldon-system",
                                                                         "path": "/validate-machinelearning-seldon-io-v1-seldondeployment"}},
                       "rules": [{"apiGroups": ["machinelearning.seldon.io"], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"],
                                  "resources": ["seldondeployments"]}]}]}
        """

    static func slice(service: String = "seldon-webhook-service", ready: String) -> String {
        """
        {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
         "metadata": {"name": "\(service)-x7k2p", "namespace": "seldon-system", "labels": {"kubernetes.io/service-name": "\(service)"}},
         "addressType": "IPv4", "ports": [{"port": 9443, "protocol": "TCP"}],
         "endpoints": [{"addresses": ["10.244.0.7"], "conditions": \(ready)}]}
        """
    }

    static let webhooksTable: [HealthCase] = [
        HealthCase(name: "no endpoints at all", object: webhook, word: "InProgress", code: "NoReadyEndpoints",
                   messageContains: ["seldon-system/seldon-webhook-service"]),
        HealthCase(name: "endpoint not ready", object: webhook, endpoints: [slice(ready: #"{"ready": false}"#)],
                   word: "InProgress", code: "NoReadyEndpoints"),
        HealthCase(name: "ready endpoint", object: webhook, endpoints: [slice(ready: #"{"ready": true, "serving": true}"#)],
                   word: "Current"),
        HealthCase(name: "endpoint of another service", object: webhook,
                   endpoints: [slice(service: "seldon-deploy", ready: #"{"ready": true}"#)],
                   word: "InProgress", code: "NoReadyEndpoints"),
        HealthCase(
            name: "legacy Endpoints object with an address", object: webhook,
            endpoints: ["""
                {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "seldon-webhook-service", "namespace": "seldon-system"},
                 "subsets": [{"addresses": [{"ip": "10.244.0.7"}], "ports": [{"port": 9443}]}]}
                """],
            word: "Current"),
        HealthCase(
            name: "legacy Endpoints object with only unready addresses", object: webhook,
            endpoints: ["""
                {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "seldon-webhook-service", "namespace": "seldon-system"},
                 "subsets": [{"notReadyAddresses": [{"ip": "10.244.0.7"}], "ports": [{"port": 9443}]}]}
                """],
            word: "InProgress", code: "NoReadyEndpoints"),
        HealthCase(
            name: "webhook by URL needs no Service",
            object: """
                {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration", "metadata": {"name": "external"},
                 "webhooks": [{"name": "m.example.com", "clientConfig": {"url": "https://hooks.example.com/mutate"}}]}
                """,
            word: "Current"),
    ]

    @Test(arguments: webhooksTable)
    func webhooks(_ row: HealthCase) throws { try row.check() }
}
