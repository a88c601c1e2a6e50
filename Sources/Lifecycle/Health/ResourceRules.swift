import Unstructured

/// Built-in kinds whose readiness is not about replicas.
enum ResourceRules {
    /// A Job is done when `Complete`, failed when `Failed` (its backoff limit or deadline
    /// ran out), in progress otherwise, suspended ones included.
    static func job(_ object: Value) -> HealthStatus {
        if let complete = object.condition("Complete"), complete.isTrue { return .current }
        if let failed = object.condition("Failed"), failed.isTrue {
            return .failed(failed.reason.isEmpty ? "JobFailed" : failed.reason, failed.message)
        }
        let succeeded = object["status"]["succeeded"].count ?? 0
        let completions = object["spec"]["completions"].count ?? 1
        return .inProgress("JobRunning", "Succeeded: \(succeeded)/\(completions)")
    }

    /// Bound is ready. Pending on a `WaitForFirstConsumer` class is ready too: the claim
    /// binds only once a Pod uses it, so waiting for Bound first would deadlock
    /// (helm/helm #10196, #10733). The class is the claim's own, or the cluster's default
    /// when the claim names none.
    static func persistentVolumeClaim(_ object: Value, _ context: HealthContext) -> HealthStatus {
        switch object["status"]["phase"].stringValue {
        case "Bound": return .current
        case "Lost": return .failed("ClaimLost", "the bound volume no longer exists")
        default: break
        }
        let className = object["spec"]["storageClassName"].stringValue
            ?? context.storageClasses.first(where: isDefaultClass)?.name
        guard let className, !className.isEmpty else {
            return .inProgress("Pending", "waiting for a volume to bind (no storage class)")
        }
        guard let storageClass = context.storageClasses.first(where: { $0.name == className }) else {
            return .inProgress("Pending", "waiting for a volume to bind; StorageClass \(className) not found")
        }
        if storageClass["volumeBindingMode"].stringValue == "WaitForFirstConsumer" { return .current }
        return .inProgress("Pending", "waiting for StorageClass \(className) to provision a volume")
    }

    private static func isDefaultClass(_ storageClass: Value) -> Bool {
        storageClass["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"].stringValue == "true"
    }

    /// A LoadBalancer Service is usable once the cloud has given it an address; every
    /// other type is usable as soon as it exists (its ClusterIP is allocated on create).
    static func service(_ object: Value) -> HealthStatus {
        guard object["spec"]["type"].stringValue == "LoadBalancer" else { return .current }
        if let ingress = object["status"]["loadBalancer"]["ingress"].listValue, !ingress.isEmpty { return .current }
        return .inProgress("NoIngress", "waiting for the load balancer to get an address")
    }

    static func namespace(_ object: Value) -> HealthStatus {
        switch object["status"]["phase"].stringValue {
        case "Active": .current
        case "Terminating": .inProgress("Terminating", "the namespace is being deleted")
        default: .inProgress("NoStatus", "the namespace has no phase yet")
        }
    }

    /// Its resources can be served once `Established`; `NamesAccepted=False` means its
    /// names clash with another CRD's and it never will be.
    static func customResourceDefinition(_ object: Value) -> HealthStatus {
        if let names = object.condition("NamesAccepted"), names.isFalse {
            return .failed(names.reason.isEmpty ? "NamesNotAccepted" : names.reason, names.message)
        }
        if let established = object.condition("Established"), established.isTrue { return .current }
        return .inProgress("NotEstablished", "the API server does not serve its resources yet")
    }

    /// A webhook pointing at a Service is callable only once that Service has a ready
    /// endpoint; before that the API server refuses every matching request with "failed
    /// calling webhook … no endpoints available" (SeldonIO/seldon-core #669).
    static func webhookConfiguration(_ object: Value, _ context: HealthContext) -> HealthStatus {
        for webhook in object["webhooks"].listValue ?? [] {
            let service = webhook["clientConfig"]["service"]
            guard let name = service["name"].stringValue, let namespace = service["namespace"].stringValue else {
                continue
            }
            if !Endpoints.ready(service: name, namespace: namespace, in: context.endpoints) {
                return .inProgress("NoReadyEndpoints", "webhook Service \(namespace)/\(name) has no ready endpoints")
            }
        }
        return .current
    }
}

/// Whether a Service has an address that can take traffic, read from either API that
/// reports it: EndpointSlices (`discovery.k8s.io/v1`) or the older Endpoints (`v1`).
enum Endpoints {
    static func ready(service: String, namespace: String, in objects: [Value]) -> Bool {
        objects.contains { object in
            guard object.namespace == namespace else { return false }
            switch object["kind"].stringValue {
            case "EndpointSlice":
                guard object["metadata"]["labels"]["kubernetes.io/service-name"].stringValue == service else {
                    return false
                }
                // An unset `ready` means unknown, which the API asks consumers to read as ready.
                return (object["endpoints"].listValue ?? []).contains {
                    $0["conditions"]["ready"].boolValue ?? true
                }
            case "Endpoints":
                guard object.name == service else { return false }
                return (object["subsets"].listValue ?? []).contains {
                    !($0["addresses"].listValue ?? []).isEmpty
                }
            default:
                return false
            }
        }
    }
}
