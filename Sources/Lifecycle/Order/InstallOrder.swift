/// The order in which one component's objects are applied, as data: each kind before
/// the kinds that refer to it (a ServiceAccount before the Deployment that runs as it,
/// a Service before the webhook configuration that calls it). Kinds absent from the
/// list, custom resources among them, come last, after everything that may serve them.
///
/// The sort is stable, so objects of one kind keep the order the chart rendered them in.
public enum InstallOrder {
    public static let kinds: [String] = [
        "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PriorityClass", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service",
        "DaemonSet", "Pod", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
        "IngressClass", "Ingress", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ]

    private static let rank: [String: Int] = Dictionary(
        uniqueKeysWithValues: kinds.enumerated().map { ($0.element, $0.offset) })

    /// The position of `kind` in the order; unknown kinds share the last place.
    public static func rank(of kind: String) -> Int { rank[kind] ?? kinds.count }

    /// `references` in install order, stable within a kind.
    public static func sorted(_ references: [ObjectReference]) -> [ObjectReference] {
        references.enumerated()
            .sorted { (rank(of: $0.element.kind), $0.offset) < (rank(of: $1.element.kind), $1.offset) }
            .map(\.element)
    }
}
