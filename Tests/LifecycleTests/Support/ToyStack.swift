import Foundation
import LifecycleTesting
import Unstructured

@testable import Lifecycle

/// A small stack shaped like Seldon's: `core` (namespace, CRD, operator Deployment,
/// webhook Service and configuration, and a SeldonDeployment the webhook guards),
/// `deploy` after core, `routing` (an Istio Gateway) after core.
enum ToyStack {
    static let operatorCRD: Value = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "seldonoperators.operator.seldon.io"],
        "spec": ["group": "operator.seldon.io", "names": ["kind": "SeldonOperator", "plural": "seldonoperators"], "scope": "Namespaced"],
    ]

    static func operatorObject(_ flag: Bool = true) -> Value {
        [
            "apiVersion": "operator.seldon.io/v1alpha1", "kind": "SeldonOperator",
            "metadata": ["name": "seldon", "namespace": "seldon-system"],
            "spec": ["enable": ["routing": .bool(flag)]],
        ]
    }

    static func deployment(_ name: String, image: String = "seldonio/app:1.0") -> Value {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name), "namespace": "seldon-system"],
            "spec": [
                "replicas": 1, "selector": ["matchLabels": ["app": .string(name)]],
                "template": ["metadata": ["labels": ["app": .string(name)]],
                             "spec": ["containers": [["name": "main", "image": .string(image)]]]],
            ],
        ]
    }

    static func configMap(_ name: String, _ data: Value = ["a": "1"]) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "seldon-system"], "data": data]
    }

    static let core: [Value] = [
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "seldon-system"]],
        [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "seldondeployments.machinelearning.seldon.io"],
            "spec": [
                "group": "machinelearning.seldon.io", "names": ["kind": "SeldonDeployment", "plural": "seldondeployments"],
                "versions": [["name": "v1", "served": true, "storage": true]],
            ],
        ],
        ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "seldon-manager", "namespace": "seldon-system"]],
        deployment("seldon-controller-manager"),
        [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "seldon-webhook-service", "namespace": "seldon-system"],
            "spec": ["selector": ["app": "seldon-controller-manager"], "ports": [["port": 443]]],
        ],
        [
            "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
            "metadata": ["name": "seldon-validating-webhook"],
            "webhooks": [["name": "v.seldon.io", "clientConfig": ["service": ["name": "seldon-webhook-service", "namespace": "seldon-system"]]]],
        ],
        [
            "apiVersion": "machinelearning.seldon.io/v1", "kind": "SeldonDeployment",
            "metadata": ["name": "canary", "namespace": "seldon-system"], "spec": ["predictors": []],
        ],
    ]

    static let gateway: Value = [
        "apiVersion": "networking.istio.io/v1beta1", "kind": "Gateway",
        "metadata": ["name": "seldon-gateway", "namespace": "seldon-system"], "spec": ["servers": []],
    ]

    static let gatewayReference = ObjectReference(
        apiVersion: "networking.istio.io/v1beta1", kind: "Gateway", namespace: "seldon-system", name: "seldon-gateway")

    static func plan(
        deployValues: Value = ["replicas": 1], deployObjects: [Value]? = nil, routing: Bool = true, routingBlocked: String? = nil
    ) -> InstallPlan {
        var components = [
            ComponentPlan(name: "core", dependencies: [], chartVersion: "1.18.0", values: ["istio": ["enabled": .bool(routing)]], objects: core),
            ComponentPlan(
                name: "deploy", dependencies: ["core"], chartVersion: "2.4.0", values: deployValues,
                objects: deployObjects ?? [configMap("deploy-config"), deployment("seldon-deploy")]),
        ]
        if routing {
            components.append(ComponentPlan(
                name: "routing", dependencies: ["core"], chartVersion: "0.1.0", values: [:], objects: [gateway],
                blocked: routingBlocked))
        }
        return InstallPlan(
            instance: "seldon", namespace: "seldon-system", operatorObject: operatorObject(routing),
            operatorDefinition: operatorCRD, specText: "spec: {enable: {routing: \(routing)}}\n", components: components)
    }

    /// Controllers that make everything healthy at once, as a cluster with no delays would.
    static let healthyController: @Sendable (Value) -> [Value] = { object in
        var object = object
        let generation = object["metadata"]["generation"]
        switch object["kind"].stringValue {
        case "Deployment":
            object["status"] = [
                "observedGeneration": generation, "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1,
                "availableReplicas": 1,
            ]
            guard object["metadata"]["name"] == "seldon-controller-manager" else { return [object] }
            let slice: Value = [
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": ["name": "seldon-webhook-service-abcde", "namespace": "seldon-system",
                             "labels": ["kubernetes.io/service-name": "seldon-webhook-service"]],
                "endpoints": [["addresses": ["10.0.0.9"], "conditions": ["ready": true]]],
            ]
            return [object, slice]
        case "CustomResourceDefinition":
            object["status"] = ["conditions": [["type": "Established", "status": "True"]]]
        case "Namespace":
            object["status"] = ["phase": "Active"]
        case "SeldonDeployment":
            object["status"] = ["state": "Available"]
        default:
            return []
        }
        return [object]
    }

    /// The webhook refuses SeldonDeployments until its Service has a ready endpoint.
    static let webhookAdmission: @Sendable (Value, [Value]) -> String? = { object, stored in
        guard object["kind"] == "SeldonDeployment" else { return nil }
        let hasEndpoint = Endpoints.ready(service: "seldon-webhook-service", namespace: "seldon-system", in: stored)
        return hasEndpoint ? nil
            : "Internal error occurred: failed calling webhook \"v.seldon.io\": no endpoints available for service \"seldon-webhook-service\""
    }

    static func cluster(istio: Bool = true) async -> MemoryCluster {
        let cluster = MemoryCluster(served: MemoryCluster.builtIn)
        if istio {
            await cluster.serve(GroupKind(group: "networking.istio.io", kind: "Gateway"))
        }
        await cluster.setController(healthyController)
        await cluster.setAdmission(webhookAdmission)
        return cluster
    }
}

/// Collects progress events from concurrent tasks.
final class EventLog: @unchecked Sendable {
    // Sound because every access holds `lock`.
    private let lock = NSLock()
    private var events: [ProgressEvent] = []

    var sink: ProgressSink { { event in self.lock.withLock { self.events.append(event) } } }
    var all: [ProgressEvent] { lock.withLock { events } }
}
