import Unstructured

/// One SeldonOperator manages a cluster's Seldon stack: CRDs, ClusterRoles and webhook
/// configurations are cluster-scoped and cannot belong to two stacks.
///
/// The one in charge is the one carrying the finalizer (it has installed, or is
/// uninstalling, and stays in charge until it is gone); when none carries it, the oldest
/// by `creationTimestamp` (then namespace and name, so every replica and every worker
/// picks the same one). A refused SeldonOperator never gets the finalizer, so deleting
/// it touches nothing, and it takes over once the one in charge has disappeared.
public enum SingleStackRule {
    public static func inCharge(among objects: [Value], finalizer: String) -> ResourceKey? {
        let holders = objects.filter { hasFinalizer($0, finalizer) }
        return (holders.isEmpty ? objects : holders).min(by: isOlder).map(key)
    }

    static func key(_ object: Value) -> ResourceKey {
        ResourceKey(namespace: object["metadata"]["namespace"].stringValue, name: object["metadata"]["name"].stringValue ?? "")
    }

    static func hasFinalizer(_ object: Value, _ finalizer: String) -> Bool {
        (object["metadata"]["finalizers"].listValue ?? []).contains(.string(finalizer))
    }

    /// RFC 3339 timestamps in UTC with whole seconds compare correctly as strings; an
    /// object without one (not yet stored) counts as newest.
    private static func isOlder(_ lhs: Value, _ rhs: Value) -> Bool {
        let left = lhs["metadata"]["creationTimestamp"].stringValue ?? "~"
        let right = rhs["metadata"]["creationTimestamp"].stringValue ?? "~"
        if left != right { return left < right }
        return key(lhs) < key(rhs)
    }
}
