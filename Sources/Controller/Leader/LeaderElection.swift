import Lifecycle

/// The lease two replicas compete for. `LeaseLock` (a `coordination.k8s.io/v1` Lease,
/// compare-and-swap on its resourceVersion) is the production one; the seam keeps the
/// elector's timing logic testable on its own.
public protocol LeaderLease: Sendable {
    /// Takes the lease; throws while another identity holds an unexpired one, preferably
    /// `LeaseHeld`, which says when to try again.
    func acquire() async throws
    /// Extends the lease; throws `LockError.lost` when another identity has taken it.
    func renew() async throws
    /// Gives the lease up if still held, so a standby need not wait for it to expire.
    func release() async throws
}

/// Another identity holds the lease for `remaining` more, by the lease's own clock.
public struct LeaseHeld: Error, Equatable {
    public var holder: String
    public var remaining: Duration

    public init(holder: String, remaining: Duration) {
        self.holder = holder
        self.remaining = remaining
    }
}

/// The Lease a `LeaseLock` manages, as a `LeaderLease`.
public struct ClusterLease: LeaderLease {
    public let lock: LeaseLock

    public init(_ lock: LeaseLock) { self.lock = lock }

    public func acquire() async throws {
        do {
            _ = try await lock.acquire()
        } catch let LockError.held(holder, until) {
            let milliseconds = max(0, until.timeIntervalSince(lock.now()) * 1000).rounded(.up)
            throw LeaseHeld(holder: holder, remaining: .milliseconds(Int64(milliseconds)))
        }
    }
    public func renew() async throws { _ = try await lock.renew() }
    public func release() async throws { try await lock.release() }
}

/// controller-runtime's leader-election timings (`pkg/manager`: LeaseDuration 15 s,
/// RenewDeadline 10 s, RetryPeriod 2 s). A standby takes over at most `leaseDuration`
/// after the leader stopped renewing; a leader that cannot renew for `renewDeadline`
/// steps down first, so the two never overlap as long as `renewDeadline < leaseDuration`.
public struct LeaderElectionTimings: Sendable, Equatable {
    public var leaseDuration: Duration
    public var renewDeadline: Duration
    public var retryPeriod: Duration

    public init(leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)) {
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
    }

    /// Names the rule the timings break, or nil when they are consistent.
    public var problem: String? {
        if retryPeriod <= .zero { return "the retry period must be positive" }
        if renewDeadline >= leaseDuration { return "the renew deadline (\(renewDeadline)) must be shorter than the lease duration (\(leaseDuration))" }
        if retryPeriod >= renewDeadline { return "the retry period (\(retryPeriod)) must be shorter than the renew deadline (\(renewDeadline))" }
        return nil
    }
}

/// Why leading ended other than by the caller's choice.
public enum LeaderElectionError: Error, CustomStringConvertible, Equatable {
    /// Renewing failed for longer than the renew deadline, or another replica took the lease.
    case lost(identity: String)

    public var description: String {
        switch self {
        case let .lost(identity):
            "leader election lost by \(identity): stopped reconciling so two replicas never write at once"
        }
    }
}

/// Runs work only while this replica holds the lease.
public struct LeaderElector: Sendable {
    public let lease: any LeaderLease
    public let identity: String
    public let timings: LeaderElectionTimings
    /// Told `true` on becoming leader and `false` on stepping down, for readiness and logs.
    public let onChange: @Sendable (Bool) -> Void
    /// How the elector waits between attempts and renewals; tests pass one that records the
    /// waits it is asked for, so the schedule is checked without depending on the machine's speed.
    let sleep: @Sendable (Duration) async throws -> Void

    public init(lease: any LeaderLease, identity: String, timings: LeaderElectionTimings = .init(),
                onChange: @escaping @Sendable (Bool) -> Void = { _ in },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.lease = lease
        self.identity = identity
        self.timings = timings
        self.onChange = onChange
        self.sleep = sleep
    }

    /// Waits for the lease, then runs `lead` while renewing it every retry period.
    ///
    /// - `lead` returning (a graceful shutdown) releases the lease, so a standby takes
    ///   over at once instead of after `leaseDuration`.
    /// - Losing the lease cancels `lead` and throws `LeaderElectionError.lost`; the
    ///   process should exit, as controller-runtime's managers do.
    /// - Cancelling the caller while waiting returns without having led.
    public func run(_ lead: @escaping @Sendable () async throws -> Void) async throws {
        guard await acquire() else { return }
        onChange(true)
        let outcome: Result<Void, any Error>
        do {
            try await leadRenewing(lead)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        onChange(false)
        // A fresh task: releasing must happen even when the caller is being cancelled.
        let lease = self.lease
        try? await Task { try await lease.release() }.value
        try outcome.get()
    }

    /// Tries every retry period until the lease is ours; false when cancelled first. A lease
    /// that expires sooner than that is tried again the moment it expires, so a standby takes
    /// over within the lease duration of the last renewal, not up to a retry period later.
    private func acquire() async -> Bool {
        while !Task.isCancelled {
            var wait = timings.retryPeriod
            do {
                try await lease.acquire()
                return true
            } catch let held as LeaseHeld {
                wait = min(wait, held.remaining + .milliseconds(1))
            } catch {
                // The API server is unreachable, or the lease is contended: wait and try again.
            }
            do { try await sleep(wait) } catch { return false }
        }
        return false
    }

    private func leadRenewing(_ lead: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await lead() }
            group.addTask { try await renewUntilLost() }
            defer { group.cancelAll() }
            // The first to finish decides: `lead` returning ends leadership normally; the
            // renewer throws `.lost`, or returns when cancelled (shutdown), in which case
            // the group still waits for `lead` to stop in order.
            try await group.next()
        }
    }

    private func renewUntilLost() async throws {
        let clock = ContinuousClock()
        var lastRenewal = clock.now
        while !Task.isCancelled {
            do { try await sleep(timings.retryPeriod) } catch { return }
            do {
                try await lease.renew()
                lastRenewal = clock.now
            } catch LockError.lost {
                throw LeaderElectionError.lost(identity: identity)
            } catch {
                if Task.isCancelled { return }
                if clock.now - lastRenewal >= timings.renewDeadline {
                    throw LeaderElectionError.lost(identity: identity)
                }
            }
        }
    }
}
