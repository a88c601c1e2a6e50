import Unstructured

/// Health as a pure function of an object and what its caller knows about the cluster.
///
/// Rules come in layers, as kstatus arranges them:
/// 1. generic: an object being deleted is in progress; a controller that has not
///    observed the latest generation (`status.observedGeneration < metadata.generation`)
///    has not acted on the spec yet;
/// 2. the per-kind table below (docs/health.md gives it in prose);
/// 3. the generic condition rules for every other kind (`Stalled`, `Reconciling`,
///    `Ready`), where no conditions at all means current.
///
/// Where we differ from kstatus on purpose: custom resources we know (SeldonDeployment,
/// Knative Broker and Trigger) with no status yet are in progress, not current, because
/// their controllers have simply not got to them (helm/helm #32066); and owners fail fast
/// with the failing Pod's name and reason instead of waiting out their deadline.
public enum Health {
    /// The health of `object`. Never throws and never crashes: an object that lacks what a
    /// rule needs is `unknown` or `inProgress`, with a reason saying what was missing.
    public static func assess(_ object: Value, context: HealthContext) -> HealthStatus {
        guard let kind = object["kind"].stringValue, let apiVersion = object["apiVersion"].stringValue else {
            return .unknown("NoKind", "the object has no apiVersion or kind")
        }
        if object.isTerminating {
            let finalizers = (object["metadata"]["finalizers"].listValue ?? []).compactMap(\.stringValue)
            let held = finalizers.isEmpty ? "" : "; held by finalizers \(finalizers.joined(separator: ", "))"
            return .inProgress("Terminating", "being deleted\(held)")
        }
        if let lag = observedGenerationLag(object) { return lag }
        let rule = rules[GroupKind(apiVersion: apiVersion, kind: kind)] ?? GenericRules.assess
        return rule(object, context)
    }

    typealias Rule = @Sendable (Value, HealthContext) -> HealthStatus

    /// The per-kind table. A kind absent here follows the generic condition rules.
    static let rules: [GroupKind: Rule] = [
        GroupKind(group: "apps", kind: "Deployment"): WorkloadRules.deployment,
        GroupKind(group: "apps", kind: "StatefulSet"): WorkloadRules.statefulSet,
        GroupKind(group: "apps", kind: "DaemonSet"): WorkloadRules.daemonSet,
        GroupKind(group: "apps", kind: "ReplicaSet"): WorkloadRules.replicaSet,
        GroupKind(group: "", kind: "Pod"): { pod, context in PodRules.pod(pod, now: context.now) },
        GroupKind(group: "batch", kind: "Job"): { job, _ in ResourceRules.job(job) },
        GroupKind(group: "", kind: "PersistentVolumeClaim"): ResourceRules.persistentVolumeClaim,
        GroupKind(group: "", kind: "Service"): { service, _ in ResourceRules.service(service) },
        GroupKind(group: "", kind: "Namespace"): { namespace, _ in ResourceRules.namespace(namespace) },
        GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition"): { crd, _ in
            ResourceRules.customResourceDefinition(crd)
        },
        GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration"):
            ResourceRules.webhookConfiguration,
        GroupKind(group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration"):
            ResourceRules.webhookConfiguration,
        GroupKind(group: "machinelearning.seldon.io", kind: "SeldonDeployment"): { object, _ in
            CustomResourceRules.seldonDeployment(object)
        },
        GroupKind(group: "eventing.knative.dev", kind: "Broker"): { object, _ in CustomResourceRules.knative(object) },
        GroupKind(group: "eventing.knative.dev", kind: "Trigger"): { object, _ in CustomResourceRules.knative(object) },
        GroupKind(group: "networking.istio.io", kind: "Gateway"): { _, _ in .current },
        GroupKind(group: "networking.istio.io", kind: "VirtualService"): { _, _ in .current },
    ]

    /// kstatus's first generic check. Objects without `status.observedGeneration` are left
    /// to their kind's rule, which knows whether the field is expected.
    static func observedGenerationLag(_ object: Value) -> HealthStatus? {
        guard let generation = object["metadata"]["generation"].count,
            let observed = object["status"]["observedGeneration"].count, observed < generation
        else { return nil }
        return .inProgress(
            "LatestGenerationNotObserved",
            "the controller has observed generation \(observed), the latest is \(generation)")
    }
}

/// kstatus's rules for kinds without a rule of their own.
enum GenericRules {
    static func assess(_ object: Value, _ context: HealthContext) -> HealthStatus {
        conditions(of: object) ?? .current
    }

    /// The verdict of the standard conditions, or nil when the object reports none of them.
    /// `Stalled=True` is kstatus's way of saying a controller gave up; `Reconciling=True`
    /// that it is still at work; `Ready` is what most operators (Knative, Flux) report.
    static func conditions(of object: Value) -> HealthStatus? {
        if let stalled = object.condition("Stalled"), stalled.isTrue {
            return .failed(stalled.reason.isEmpty ? "Stalled" : stalled.reason, stalled.message)
        }
        if let reconciling = object.condition("Reconciling"), reconciling.isTrue {
            return .inProgress(reconciling.reason.isEmpty ? "Reconciling" : reconciling.reason, reconciling.message)
        }
        if let ready = object.condition("Ready") {
            if ready.isTrue { return .current }
            let message = ready.message.isEmpty ? "Ready is \(ready.status)" : ready.message
            return .inProgress(ready.reason.isEmpty ? "NotReady" : ready.reason, message)
        }
        return nil
    }
}
