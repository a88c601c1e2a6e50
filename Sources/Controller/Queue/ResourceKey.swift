/// What the work queue holds and a reconciler receives: which object, never what happened
/// to it. Reconciling is level-based (controller-runtime's `Request` "does NOT contain
/// information about any specific Event"): the reconciler reads the object's current state,
/// so a burst of changes to one object collapses into one key and one reconcile.
public struct ResourceKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// nil for cluster-scoped objects.
    public var namespace: String?
    public var name: String

    public init(namespace: String?, name: String) {
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
    }

    /// `namespace/name`, or `name` when cluster-scoped: how kubectl and client-go print keys.
    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }

    public static func < (lhs: ResourceKey, rhs: ResourceKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }
}
