/// Why an install, upgrade or uninstall stopped. Every case names the object or
/// component concerned and what was expected of it.
public enum InstallError: Error, CustomStringConvertible, Sendable {
    /// The plan is inconsistent; nothing was applied.
    case invalidPlan(String)
    /// The API server refused an object.
    case apply(ObjectReference, message: String)
    /// An object will not become healthy by itself (fail fast).
    case unhealthy(component: String, object: ObjectReference, reason: HealthReason)
    /// An object being waited for was deleted (by a person, another tool): waiting on would
    /// only end at the timeout, so the wait stops at once and the next install or reconcile
    /// applies the object again.
    case deletedWhileWaiting(component: String, object: ObjectReference)
    /// Time ran out; every object still not ready, and why.
    case timeout(scope: String, waiting: [NotReady])
    /// A dependency failed or was blocked, so the component never started.
    case dependencyFailed(component: String, dependency: String)
    case lock(LockError)
    /// Uninstall: objects still there at the deadline, held by finalizers.
    case stuckFinalizers([StuckObject])

    public var description: String {
        switch self {
        case let .invalidPlan(message):
            "invalid plan: \(message)"
        case let .apply(reference, message):
            "applying \(reference) failed: \(message)"
        case let .unhealthy(component, object, reason):
            "component \(component) failed: \(object): \(reason.code): \(reason.message)"
        case let .deletedWhileWaiting(component, object):
            "component \(component) failed: \(object) was deleted while the install waited for it to become healthy"
        case let .timeout(scope, waiting):
            "timed out waiting for \(scope); not ready:\n" + waiting.map { "  \($0)" }.joined(separator: "\n")
        case let .dependencyFailed(component, dependency):
            "component \(component) was not started: \(dependency) did not become healthy"
        case let .lock(error):
            error.description
        case let .stuckFinalizers(objects):
            "objects still held by finalizers:\n" + objects.map { "  \($0)" }.joined(separator: "\n")
        }
    }
}

/// An object that was not ready when time ran out.
public struct NotReady: Sendable, CustomStringConvertible {
    public var reference: ObjectReference
    public var status: HealthStatus

    public var description: String { "\(reference): \(status)" }
}

/// An object an uninstall could not remove: it is held by finalizers nobody cleared.
public struct StuckObject: Sendable, Equatable, CustomStringConvertible {
    public var reference: ObjectReference
    public var finalizers: [String]

    /// The exact command that removes its finalizers by hand.
    public var forceCommand: String {
        let namespace = reference.namespace.map { " -n \($0)" } ?? ""
        return "kubectl patch \(reference.kubectlName)\(namespace) --type=merge -p '{\"metadata\":{\"finalizers\":null}}'"
    }

    public var description: String {
        "\(reference) is held by finalizer \(finalizers.joined(separator: ", ")); "
            + "to force it: \(forceCommand) (or rerun with --force-remove-finalizers)"
    }
}
