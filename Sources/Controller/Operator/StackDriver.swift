import Lifecycle
import Stack
import Unstructured

/// Which stack: a SeldonOperator's name and namespace, all that uninstalling needs (the
/// engine removes what its records list, whatever the spec says now).
public struct StackInstance: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var namespace: String

    public init(name: String, namespace: String) {
        self.name = name
        self.namespace = namespace
    }

    public var description: String { "\(namespace)/\(name)" }
}

/// What one install pass did, in the terms the status and events speak.
public struct InstallOutcome: Sendable, Equatable {
    /// The revision recorded; nil when nothing changed in the desired state (the engine
    /// writes no record for a no-op, LESSONS.md #7).
    public var revision: Int?
    /// Objects written. With no new revision, every write put back something another
    /// party had changed or deleted: a drift correction.
    public var writes: Int
    /// Objects removed because the desired state no longer has them.
    public var pruned: [ObjectReference]
    public var components: [ComponentStatus]

    public init(revision: Int?, writes: Int, pruned: [ObjectReference] = [], components: [ComponentStatus]) {
        self.revision = revision
        self.writes = writes
        self.pruned = pruned
        self.components = components
    }
}

/// What the reconciler asks of the lifecycle engine. Both operations are idempotent: the
/// reconciler calls them again after every change, failure and resync (kube-rs's
/// finalizer helper asks the same of its `Apply` and `Cleanup`).
public protocol StackDriver: Sendable {
    /// Installs or upgrades to `resource`'s spec and waits for what it can.
    func install(_ resource: SeldonOperatorResource) async throws -> InstallOutcome
    /// Removes the stack in its uninstall order and returns once it is gone. A driver
    /// whose uninstall ends by deleting the SeldonOperator itself (the lifecycle engine's
    /// does, and waits for it to go) must release the controller's finalizer at that
    /// step; the reconciler then finds the object gone, which it accepts.
    func uninstall(_ instance: StackInstance) async throws
}

/// Writes the status subresource: replaces `status` of `object` (which carries the
/// `resourceVersion` it was read at, so a stale write is refused with a conflict) and
/// returns the object as stored, whose new resourceVersion the next write must carry.
public protocol StatusWriter: Sendable {
    func writeStatus(_ status: Value, of object: Value) async throws -> Value
}
