import NIOConcurrencyHelpers

/// What `/healthz` and `/readyz` answer, set by the parts of the controller that know.
///
/// Liveness says the process is not wedged: it turns false only when a loop that must run
/// (the reconcile loop, the lease renewer) has died, so the kubelet restarts the Pod.
/// Readiness says this replica can do its job: its watches have listed once (a leader), or
/// it is waiting for the lease (a standby is healthy too, as with controller-runtime).
public final class ProbeState: Sendable {
    private struct State {
        var failedLiveness: String?
        var notReadyReason: String? = "starting"
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public func markReady() { state.withLockedValue { $0.notReadyReason = nil } }
    public func markNotReady(_ reason: String) { state.withLockedValue { $0.notReadyReason = reason } }
    public func markDead(_ reason: String) { state.withLockedValue { $0.failedLiveness = reason } }

    /// nil when live, otherwise why not.
    public var livenessFailure: String? { state.withLockedValue { $0.failedLiveness } }
    /// nil when ready, otherwise why not.
    public var readinessFailure: String? {
        state.withLockedValue { $0.failedLiveness ?? $0.notReadyReason }
    }
}
