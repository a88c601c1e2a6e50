/// What a reconcile asks of the controller once it has converged (or done what it can).
public enum Action: Sendable, Equatable {
    /// Reconcile the key again after this long even if nothing changes: for state the
    /// watches do not report, such as a component still becoming healthy.
    case requeue(after: Duration)
    /// Reconcile again only when a watched object changes. As kube-rs warns of its
    /// `await_change`, a watch desync could miss a change; the controller's resync
    /// period is the safety net.
    case awaitChange
}

/// Brings the cluster in line with one object. Level-based: it is given a key, reads the
/// object's current state and acts on that, so it must be idempotent: it runs again after
/// every change, every failure and every resync.
///
/// The retry contract (controller-runtime's, kept): when `reconcile` throws, the returned
/// action is lost and the error policy decides; by default the key is retried with
/// per-key exponential backoff, except for a `TerminalError`, which is not retried until
/// the object changes.
public protocol Reconciler: Sendable {
    func reconcile(_ key: ResourceKey) async throws -> Action
}

/// A reconciler from a closure, for tests and small controllers.
public struct ReconcilerFunction: Reconciler {
    private let body: @Sendable (ResourceKey) async throws -> Action

    public init(_ body: @escaping @Sendable (ResourceKey) async throws -> Action) {
        self.body = body
    }

    public func reconcile(_ key: ResourceKey) async throws -> Action {
        try await body(key)
    }
}

/// An error that retrying cannot fix (an invalid spec): the key waits for the object to
/// change instead of backing off forever against the same input.
public protocol TerminalError: Error {}

/// What to do with a key whose reconcile threw.
public enum Retry: Sendable, Equatable {
    /// Retry after the key's next exponential backoff delay.
    case backoff
    /// Retry after exactly this long.
    case after(Duration)
    /// Do not retry; wait for the object to change.
    case awaitChange
}

/// Decides how a failed reconcile is retried, separately from the reconciler (kube-rs's
/// `error_policy`), so one reconciler can run under different policies.
public struct ErrorPolicy: Sendable {
    public let decide: @Sendable (ResourceKey, any Error) -> Retry

    public init(_ decide: @escaping @Sendable (ResourceKey, any Error) -> Retry) {
        self.decide = decide
    }

    /// Terminal errors wait for a change; everything else backs off per key.
    public static let standard = ErrorPolicy { _, error in
        error is any TerminalError ? .awaitChange : .backoff
    }
}
