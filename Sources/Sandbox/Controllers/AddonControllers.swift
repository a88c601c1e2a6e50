import Unstructured

/// `--with-istio` / `--with-knative` CRDs, the simulated Knative that makes Brokers and Triggers
/// Ready with addresses, and the simulated operators that hold finalizers on custom resources.
enum AddonControllers {
    static func knative(_ c: ControllerContext) {
        for broker in c.list("eventing.knative.dev", "brokers") where !broker.isDeleting && c.isDue(broker) {
            var status = broker["status"]
            status["observedGeneration"] = broker["metadata"]["generation"]
            let url = "http://broker-ingress.knative-eventing.svc.cluster.local/\(broker.namespace)/\(broker.name)"
            status["address"] = ["name": "http", "url": .string(url)]
            status["addresses"] = [["name": "http", "url": .string(url)]]
            var conditions = status["conditions"].listValue ?? []
            for type in ["Addressable", "FilterReady", "IngressReady", "TriggerChannelReady", "Ready"] {
                conditions = c.setting(conditions, type: type, status: "True", reason: "", message: "")
            }
            status["conditions"] = .list(conditions.map(dropEmpty))
            c.setStatus(broker, status, group: "eventing.knative.dev", resource: "brokers")
        }
        for trigger in c.list("eventing.knative.dev", "triggers") where !trigger.isDeleting && c.isDue(trigger) {
            var status = trigger["status"]
            status["observedGeneration"] = trigger["metadata"]["generation"]
            let subscriber = trigger["spec"]["subscriber"]
            if let uri = subscriber["uri"].stringValue {
                status["subscriberUri"] = .string(uri)
            } else if let name = subscriber["ref"]["name"].stringValue {
                let namespace = subscriber["ref"]["namespace"].stringValue ?? trigger.namespace
                status["subscriberUri"] = .string("http://\(name).\(namespace).svc.cluster.local")
            }
            var conditions = status["conditions"].listValue ?? []
            for type in ["BrokerReady", "DependencyReady", "SubscriberResolved", "SubscriptionReady", "Ready"] {
                conditions = c.setting(conditions, type: type, status: "True", reason: "", message: "")
            }
            status["conditions"] = .list(conditions.map(dropEmpty))
            c.setStatus(trigger, status, group: "eventing.knative.dev", resource: "triggers")
        }
    }

    private static func dropEmpty(_ condition: Value) -> Value {
        var condition = condition
        if condition["reason"] == "" { condition.remove("reason") }
        if condition["message"] == "" { condition.remove("message") }
        return condition
    }

    static func operators(_ c: ControllerContext) {
        for simulated in c.state.options.operators {
            guard let type = c.type(simulated.group, simulated.resource) else { continue }
            let running = c.get("apps", "deployments", namespace: simulated.namespace, name: simulated.deployment)
                .map { !$0.isDeleting } ?? false
            guard running else { continue }
            for object in c.state.store.list(type.storageKey, namespace: nil) {
                let has = object.finalizers.contains(simulated.finalizer)
                var proposed = object
                if object.isDeleting, has {
                    let kept = object.finalizers.filter { $0 != simulated.finalizer }
                    proposed[path: ["metadata", "finalizers"]] = kept.isEmpty ? .null : .list(kept.map(Value.string))
                } else if !object.isDeleting, !has {
                    proposed[path: ["metadata", "finalizers"]] = .list((object.finalizers + [simulated.finalizer]).map(Value.string))
                } else {
                    continue
                }
                _ = try? c.state.updateObject(current: object, proposed: proposed, type: type, subresource: nil,
                                              manager: "\(simulated.deployment)-operator")
            }
        }
    }
}

/// The CRDs `--with-istio` and `--with-knative` install: names, scope and a permissive schema,
/// enough for charts that render these kinds.
enum Addons {
    struct CRD {
        var group: String
        var kind: String
        var plural: String
        var versions: [String]
        var shortNames: [String] = []
        var categories: [String] = []
    }

    static let istioCRDs: [CRD] = [
        CRD(group: "networking.istio.io", kind: "Gateway", plural: "gateways", versions: ["v1", "v1beta1", "v1alpha3"],
            shortNames: ["gw"], categories: ["istio-io", "networking-istio-io"]),
        CRD(group: "networking.istio.io", kind: "VirtualService", plural: "virtualservices",
            versions: ["v1", "v1beta1", "v1alpha3"], shortNames: ["vs"], categories: ["istio-io", "networking-istio-io"]),
        CRD(group: "networking.istio.io", kind: "DestinationRule", plural: "destinationrules",
            versions: ["v1", "v1beta1", "v1alpha3"], shortNames: ["dr"], categories: ["istio-io", "networking-istio-io"]),
        CRD(group: "networking.istio.io", kind: "ServiceEntry", plural: "serviceentries",
            versions: ["v1", "v1beta1", "v1alpha3"], shortNames: ["se"], categories: ["istio-io", "networking-istio-io"]),
        CRD(group: "security.istio.io", kind: "PeerAuthentication", plural: "peerauthentications",
            versions: ["v1", "v1beta1"], shortNames: ["pa"], categories: ["istio-io", "security-istio-io"]),
        CRD(group: "security.istio.io", kind: "AuthorizationPolicy", plural: "authorizationpolicies",
            versions: ["v1", "v1beta1"], shortNames: ["ap"], categories: ["istio-io", "security-istio-io"]),
    ]

    static let knativeCRDs: [CRD] = [
        CRD(group: "eventing.knative.dev", kind: "Broker", plural: "brokers", versions: ["v1"],
            categories: ["all", "knative", "eventing"]),
        CRD(group: "eventing.knative.dev", kind: "Trigger", plural: "triggers", versions: ["v1"],
            categories: ["all", "knative", "eventing"]),
    ]

    static func definition(_ crd: CRD) -> Value {
        let schema: Value = ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]
        let versions: [Value] = crd.versions.enumerated().map { index, version in
            ["name": .string(version), "served": true, "storage": .bool(index == 0), "schema": schema,
             "subresources": ["status": [:]]]
        }
        var names: Value = ["kind": .string(crd.kind), "listKind": .string("\(crd.kind)List"),
                            "plural": .string(crd.plural), "singular": .string(crd.kind.lowercased())]
        if !crd.shortNames.isEmpty { names["shortNames"] = .list(crd.shortNames.map(Value.string)) }
        if !crd.categories.isEmpty { names["categories"] = .list(crd.categories.map(Value.string)) }
        return ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": .string("\(crd.plural).\(crd.group)")],
                "spec": ["group": .string(crd.group), "names": names, "scope": "Namespaced", "versions": .list(versions)]]
    }

    /// Creates the CRDs already Established, as if installed before the Sandbox started.
    static func install(_ crds: [CRD], into state: ClusterState) {
        guard let type = state.type("apiextensions.k8s.io", "customresourcedefinitions") else { return }
        for crd in crds {
            let definition = definition(crd)
            guard let created = try? state.createObject(definition, type: type, manager: "sandbox") else { continue }
            var established = created
            established["status"] = [
                "acceptedNames": definition["spec"]["names"],
                "conditions": [["type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                                "message": "no conflicts found", "lastTransitionTime": .string(state.timestamp)],
                               ["type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                                "message": "the initial names have been accepted",
                                "lastTransitionTime": .string(state.timestamp)]],
                "storedVersions": [.string(crd.versions[0])],
            ]
            _ = try? state.updateObject(current: created, proposed: established, type: type, subresource: "status",
                                        manager: "sandbox")
        }
    }
}
