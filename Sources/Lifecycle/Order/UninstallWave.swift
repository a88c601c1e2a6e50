/// The waves of an uninstall, in the order they run. Each wave's objects are deleted
/// together and waited for before the next wave starts.
///
/// The order is what keeps finalizers working (LESSONS.md #11): custom resources go while
/// the operators that hold their finalizers still run; routing before the services it
/// routes to; webhook configurations before the webhook servers, so no request is refused
/// by a webhook that is going away; stateful stores last among workloads; their volume
/// claims, namespaces and CRDs only when the user asked to purge, because deleting a CRD
/// deletes every resource of it in the cluster.
public enum UninstallWave: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case customResources
    case routing
    case webhooks
    case operators
    case statefulStores
    case volumeClaims
    case namespaces
    case customResourceDefinitions

    /// Whether the wave runs only with `--purge`.
    public var requiresPurge: Bool {
        switch self {
        case .volumeClaims, .namespaces, .customResourceDefinitions: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .customResources: "custom resources"
        case .routing: "routing"
        case .webhooks: "webhook configurations"
        case .operators: "operators, services and RBAC"
        case .statefulStores: "stateful stores"
        case .volumeClaims: "volume claims"
        case .namespaces: "namespaces"
        case .customResourceDefinitions: "custom resource definitions"
        }
    }

    public static func < (lhs: UninstallWave, rhs: UninstallWave) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The wave an object of `kind` is deleted in.
    public static func of(_ kind: GroupKind) -> UninstallWave {
        if routingKinds.contains(kind) { return .routing }
        switch (kind.group, kind.kind) {
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): return .customResourceDefinitions
        case ("", "Namespace"): return .namespaces
        case ("", "PersistentVolumeClaim"): return .volumeClaims
        case ("apps", "StatefulSet"): return .statefulStores
        case ("admissionregistration.k8s.io", _), ("apiregistration.k8s.io", "APIService"): return .webhooks
        default: return isBuiltIn(kind.group) ? .operators : .customResources
        }
    }

    /// Kinds that send traffic to Services: removed before the Services go, so nothing
    /// routes to a missing backend in between.
    static let routingKinds: Set<GroupKind> = [
        GroupKind(group: "networking.istio.io", kind: "Gateway"),
        GroupKind(group: "networking.istio.io", kind: "VirtualService"),
        GroupKind(group: "networking.istio.io", kind: "DestinationRule"),
        GroupKind(group: "networking.k8s.io", kind: "Ingress"),
        GroupKind(group: "gateway.networking.k8s.io", kind: "Gateway"),
        GroupKind(group: "gateway.networking.k8s.io", kind: "HTTPRoute"),
    ]

    /// Whether `group` is served by the API server itself rather than by a CRD: the core
    /// group, the unqualified groups (`apps`, `batch`, `policy`, `autoscaling`) and the
    /// `*.k8s.io` groups, except the Gateway API, which ships as CRDs.
    static func isBuiltIn(_ group: String) -> Bool {
        if group == "gateway.networking.k8s.io" { return false }
        return !group.contains(".") || group.hasSuffix(".k8s.io")
    }
}
