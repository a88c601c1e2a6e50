import NIOConcurrencyHelpers

/// What `/readyz` answers, set by the part of the controller that knows.
///
/// Readiness says this replica can do its job: its watches have listed once (a leader), or it
/// is waiting for the lease (a standby is healthy too, as with controller-runtime).
/// Liveness (`/healthz`) is a ping, as controller-runtime's `healthz.Ping`: a server that
/// answers is alive; a controller that cannot go on (a lost lease) exits instead.
public final class ProbeState: Sendable {
    private let notReadyReason = NIOLockedValueBox<String?>("starting: the watches have not listed yet")

    public init() {}

    public func markReady() { notReadyReason.withLockedValue { $0 = nil } }

    /// nil when ready, otherwise why not.
    public var readinessFailure: String? { notReadyReason.withLockedValue { $0 } }
}
