import FoundationEssentials
import Unstructured

/// A lock held by one install or uninstall at a time: a `coordination.k8s.io/v1` Lease
/// naming its holder and when it was last renewed.
///
/// Unlike Helm's "pending" release status, which stays forever when the client dies
/// (helm/helm #4558, #8987), a lease expires: a lock whose holder stopped renewing for
/// `duration` is taken over by the next command. Every change is a compare-and-swap on
/// the Lease's resourceVersion, so two commands racing for it cannot both win.
public struct LeaseLock: Sendable {
    public let cluster: any Cluster
    public let reference: ObjectReference
    /// Who holds the lock, shown to whoever is refused: command, user, host and process.
    public let identity: String
    /// How long the lock outlives its holder's last renewal.
    public let duration: Duration
    /// The wall clock; leases are compared across machines, so this is real time.
    public let now: @Sendable () -> Date

    /// How often a holder renews: three chances before the lease runs out, as
    /// client-go's leader election spaces its retries within the lease duration.
    public var renewInterval: Duration { duration / 3 }

    public init(
        cluster: any Cluster, namespace: String, name: String, identity: String, duration: Duration = .seconds(30),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.cluster = cluster
        self.reference = ObjectReference(
            apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: namespace, name: name)
        self.identity = identity
        self.duration = duration
        self.now = now
    }

    /// Attempts at a compare-and-swap before giving up: each failure means another
    /// process changed the Lease in between, or the write's fate is unknown (the connection
    /// broke), so a few suffice.
    static let maxAttempts = 5

    /// Whether a failed write is answered by reading the Lease again and deciding anew: a
    /// conflict, or a write that may or may not have happened. The Lease itself then says
    /// whether this identity holds it, so retrying cannot take a lock twice or from another.
    private static func readAgain(after error: ClusterError) -> Bool {
        [.conflict, .alreadyExists, .unavailable].contains(error.reason)
    }

    /// Takes the lock, or throws `LockError.held` naming the holder while its lease runs.
    @discardableResult
    public func acquire() async throws -> Value {
        for _ in 0..<Self.maxAttempts {
            guard let existing = try await cluster.get(reference) else {
                do {
                    return try await cluster.create(leaseObject(from: nil))
                } catch let error as ClusterError where Self.readAgain(after: error) {
                    continue
                }
            }
            let state = LeaseState(existing)
            if let holder = state.holder, holder != identity, let expiry = state.expiry, expiry > now() {
                throw LockError.held(by: holder, until: expiry)
            }
            do {
                return try await cluster.update(leaseObject(from: existing))
            } catch let error as ClusterError where Self.readAgain(after: error) {
                continue
            }
        }
        throw LockError.contended(reference)
    }

    /// Extends the lease; throws `LockError.lost` if another holder has taken it over.
    @discardableResult
    public func renew() async throws -> Value {
        for _ in 0..<Self.maxAttempts {
            guard let existing = try await cluster.get(reference) else { throw LockError.lost(to: nil) }
            let holder = LeaseState(existing).holder
            guard holder == identity else { throw LockError.lost(to: holder) }
            do {
                return try await cluster.update(leaseObject(from: existing))
            } catch let error as ClusterError where Self.readAgain(after: error) {
                continue
            }
        }
        throw LockError.contended(reference)
    }

    /// Gives the lock up if this identity still holds it, so the next command need not
    /// wait for the lease to expire.
    public func release() async throws {
        for _ in 0..<Self.maxAttempts {
            guard var existing = try await cluster.get(reference), LeaseState(existing).holder == identity else { return }
            existing["spec"]["holderIdentity"] = .null
            do {
                _ = try await cluster.update(existing)
                return
            } catch let error as ClusterError where Self.readAgain(after: error) {
                continue
            }
        }
        throw LockError.contended(reference)
    }

    /// Runs `body` while holding the lock, renewing it in the background.
    ///
    /// The lock is released however `body` ends: returning, throwing or being cancelled
    /// (Ctrl-C). If renewing finds the lock taken over, `body` is cancelled and
    /// `LockError.lost` thrown: two writers must never believe they hold it at once.
    public func withLease<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await runRenewing(body))
        } catch {
            outcome = .failure(error)
        }
        // A fresh task: cleanup must run even when the caller's task is cancelled.
        let lock = self
        try? await Task { try await lock.release() }.value
        return try outcome.get()
    }

    private func runRenewing<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                while true {
                    try await Task.sleep(for: renewInterval)
                    try await renew()
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// The Lease as it should be stored after this identity takes or renews it.
    private func leaseObject(from existing: Value?) -> Value {
        let moment = Timestamp.microTime(now())
        var lease = existing ?? [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": [
                "name": .string(reference.name), "namespace": .string(reference.namespace ?? ""),
                "labels": [Ownership.managedByLabel: .string(Ownership.fieldManager)],
            ],
        ]
        if LeaseState(lease).holder != identity {
            lease["spec"]["acquireTime"] = .string(moment)
            let transitions = lease["spec"]["leaseTransitions"].count
            lease["spec"]["leaseTransitions"] = .int(transitions.map { $0 + 1 } ?? 0)
        }
        lease["spec"]["holderIdentity"] = .string(identity)
        lease["spec"]["leaseDurationSeconds"] = .int(Int(duration.components.seconds))
        lease["spec"]["renewTime"] = .string(moment)
        return lease
    }
}

/// What a stored Lease says about its holder.
struct LeaseState {
    var holder: String?
    var expiry: Date?

    init(_ lease: Value) {
        let spec = lease["spec"]
        holder = spec["holderIdentity"].stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let renewed = (spec["renewTime"].stringValue ?? spec["acquireTime"].stringValue).flatMap(Timestamp.parse)
        let seconds = spec["leaseDurationSeconds"].count
        if let renewed, let seconds { expiry = renewed.addingTimeInterval(TimeInterval(seconds)) }
    }
}

/// Why the lock could not be had or kept.
public enum LockError: Error, CustomStringConvertible, Equatable {
    /// Another command holds it; its lease runs until the given moment.
    case held(by: String, until: Date)
    /// Renewing found the lock gone or held by someone else.
    case lost(to: String?)
    /// The Lease kept changing under every attempt to take it.
    case contended(ObjectReference)

    public var description: String {
        switch self {
        case let .held(holder, until):
            "another operation is in progress: the lock is held by \(holder) until \(Timestamp.time(until)) "
                + "(it is taken over automatically if its holder stops renewing it)"
        case let .lost(holder):
            "the lock was lost\(holder.map { " to \($0)" } ?? ""); stopped so two commands never write at once"
        case let .contended(reference):
            "\(reference) kept changing while taking the lock; try again"
        }
    }
}
