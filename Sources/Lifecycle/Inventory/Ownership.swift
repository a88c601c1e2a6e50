/// The labels and annotations by which the engine marks and finds what it manages.
public enum Ownership {
    /// The one field manager of every server-side apply the engine makes.
    public static let fieldManager = "seldon-operator"

    /// The SeldonOperator's name on every object of its stack, so a stack's objects can
    /// be listed (and cached) by label alone.
    public static let instanceLabel = "operator.seldon.io/instance"
    /// The component (`core`, `deploy`, ...) an object belongs to.
    public static let componentLabel = "operator.seldon.io/component"
    public static let managedByLabel = "app.kubernetes.io/managed-by"

    /// The stable hash of the desired object as last applied. Equal hashes mean the
    /// desired state has not changed, so nothing is written.
    public static let desiredHashAnnotation = "operator.seldon.io/desired-hash"

    /// Annotations that exempt an object from pruning and uninstall: ours, and Helm's,
    /// which chart authors already use for the same purpose.
    public static let keepAnnotations: [(key: String, value: String)] = [
        ("operator.seldon.io/keep", "true"),
        ("helm.sh/resource-policy", "keep"),
    ]
}
