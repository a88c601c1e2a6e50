import Lifecycle
import Stack

/// A kind to watch, in the version the API server serves it.
public struct WatchedKind: Hashable, Sendable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    /// Cluster-scoped kinds are watched across the cluster even when the controller is
    /// limited to one namespace: a namespaced watch of them is not a valid request.
    public var clusterScoped: Bool

    public init(_ apiVersion: String, _ kind: String, clusterScoped: Bool = false) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.clusterScoped = clusterScoped
    }

    public var description: String { groupKind.description }

    public static let seldonOperator = WatchedKind(SeldonOperatorResource.apiVersion, SeldonOperatorResource.kind)

    /// The kinds the stack's charts create and the engine applies: a change to any of them
    /// by someone else is drift. Each is watched with `OwnedObjects.selector` only, so the
    /// watch never carries another application's objects (LESSONS.md #15: operators that
    /// cache every Secret run out of memory).
    public static let stackKinds: [WatchedKind] = [
        .init("v1", "Namespace", clusterScoped: true), .init("v1", "ServiceAccount"), .init("v1", "ConfigMap"), .init("v1", "Secret"),
        .init("v1", "Service"), .init("v1", "PersistentVolumeClaim"),
        .init("apps/v1", "Deployment"), .init("apps/v1", "StatefulSet"), .init("apps/v1", "DaemonSet"),
        .init("batch/v1", "Job"), .init("policy/v1", "PodDisruptionBudget"),
        .init("rbac.authorization.k8s.io/v1", "Role"), .init("rbac.authorization.k8s.io/v1", "RoleBinding"),
        .init("rbac.authorization.k8s.io/v1", "ClusterRole", clusterScoped: true),
        .init("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", clusterScoped: true),
        .init("apiextensions.k8s.io/v1", "CustomResourceDefinition", clusterScoped: true),
        .init("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", clusterScoped: true),
        .init("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", clusterScoped: true),
    ]

    /// Kinds of Istio and Knative that the stack creates when they are installed (routing,
    /// detectors). Their CRDs belong to those projects and may be missing, or installed after
    /// the controller starts, so each is watched (by the same label selector) from the moment
    /// discovery says it is served.
    public static let addonKinds: [WatchedKind] = [
        .init("networking.istio.io/v1beta1", "Gateway"), .init("networking.istio.io/v1beta1", "VirtualService"),
        .init("eventing.knative.dev/v1", "Broker"), .init("eventing.knative.dev/v1", "Trigger"),
    ]

    var groupKind: GroupKind { GroupKind(apiVersion: apiVersion, kind: kind) }
}

/// How the stack's objects are found and traced back to their SeldonOperator.
public enum OwnedObjects {
    /// The label selector of every owned-object watch.
    public static let selector = "\(Ownership.managedByLabel)=\(Ownership.fieldManager)"
}
