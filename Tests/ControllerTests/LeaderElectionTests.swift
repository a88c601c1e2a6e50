import Lifecycle
import Testing
import Unstructured

@testable import Controller

@Suite("Leader election")
struct LeaderElectionTests {
    static let fast = LeaderElectionTimings(leaseDuration: .seconds(15), renewDeadline: .milliseconds(50), retryPeriod: .milliseconds(5))
    static let lease = ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "seldon-system", name: "seldon-operator-leader")

    func elector(_ identity: String, _ cluster: MemoryCluster, _ clock: ManualClock, changes: Locked<[String]>? = nil) -> LeaderElector {
        let lock = LeaseLock(cluster: cluster, namespace: "seldon-system", name: "seldon-operator-leader", identity: identity,
                             duration: .seconds(15), now: clock.reader)
        return LeaderElector(lease: ClusterLease(lock), identity: identity, timings: Self.fast) { leading in
            changes?.mutate { $0.append("\(identity) \(leading ? "leads" : "stops")") }
        }
    }

    @Test("controller-runtime's defaults: 15 s lease, 10 s renew deadline, 2 s retry period")
    func defaults() {
        let timings = LeaderElectionTimings()
        #expect(timings == LeaderElectionTimings(leaseDuration: .seconds(15), renewDeadline: .seconds(10), retryPeriod: .seconds(2)))
        #expect(timings.problem == nil)
        #expect(LeaderElectionTimings(leaseDuration: .seconds(10), renewDeadline: .seconds(10)).problem?.contains("renew deadline") == true)
    }

    @Test("a free lease is taken, held while leading and released when the work returns")
    func acquireAndRelease() async throws {
        let cluster = MemoryCluster()
        let clock = ManualClock()
        let changes = Locked<[String]>([])
        try await elector("replica-a", cluster, clock, changes: changes).run {
            let lease = await cluster.object(Self.lease)
            #expect(lease?["spec"]["holderIdentity"] == "replica-a")
            #expect(lease?["spec"]["leaseDurationSeconds"] == 15)
        }
        #expect(changes.value == ["replica-a leads", "replica-a stops"])
        #expect(await cluster.object(Self.lease)?["spec"]["holderIdentity"] == .null)
    }

    @Test("a standby waits while the leader renews and takes over once the lease expires")
    func takesOverExpiredLease() async throws {
        let cluster = MemoryCluster()
        let clock = ManualClock()
        try await LeaseLock(cluster: cluster, namespace: "seldon-system", name: "seldon-operator-leader", identity: "replica-a",
                            duration: .seconds(15), now: clock.reader).acquire()
        let led = Locked(false)
        let standby = Task { try await elector("replica-b", cluster, clock).run { led.mutate { $0 = true } } }
        // Several retry periods pass while replica-a's lease is valid.
        for _ in 0..<20 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(!led.value)
        #expect(await cluster.object(Self.lease)?["spec"]["holderIdentity"] == "replica-a")
        clock.advance(seconds: 16)
        try await standby.value
        #expect(led.value)
        #expect(await cluster.object(Self.lease)?["spec"]["leaseTransitions"] == 1)
    }

    @Test("a standby tries again when the lease expires, not a whole retry period later")
    func retriesAtExpiry() async throws {
        let lease = ExpiringLease(heldFor: .milliseconds(50))
        let slow = LeaderElectionTimings(leaseDuration: .seconds(600), renewDeadline: .seconds(300), retryPeriod: .seconds(120))
        let waits = Locked<[Duration]>([])
        let waitsBeforeLeading = Locked<[Duration]?>(nil)
        let elector = LeaderElector(
            lease: lease, identity: "replica-b", timings: slow,
            onChange: { leading in if leading { waitsBeforeLeading.mutate { $0 = waits.value } } },
            sleep: { wait in
                waits.mutate { $0.append(wait) }
                lease.pass(wait)
            })
        try await elector.run {}
        // One wait, for the rest of the lease (and a millisecond), not the two-minute retry period.
        #expect(waitsBeforeLeading.value == [.milliseconds(51)])
    }

    @Test("two replicas never lead at once; the second leads after the first releases")
    func exclusive() async throws {
        let cluster = MemoryCluster()
        let clock = ManualClock()
        let leaders = Locked(0)
        let maxLeaders = Locked(0)
        let order = Locked<[String]>([])
        func work(_ name: String) -> @Sendable () async throws -> Void {
            {
                let now = leaders.mutate { $0 += 1; return $0 }
                maxLeaders.mutate { $0 = max($0, now) }
                order.mutate { $0.append(name) }
                try await Task.sleep(for: .milliseconds(30))
                leaders.mutate { $0 -= 1 }
            }
        }
        async let first: Void = elector("replica-a", cluster, clock).run(work("replica-a"))
        async let second: Void = elector("replica-b", cluster, clock).run(work("replica-b"))
        _ = try await (first, second)
        #expect(maxLeaders.value == 1)
        #expect(Set(order.value) == ["replica-a", "replica-b"])
    }

    @Test("a leader whose lease is taken by another replica stops its work and reports the loss")
    func stepsDownWhenLost() async throws {
        let cluster = MemoryCluster()
        let clock = ManualClock()
        let cancelled = Locked(false)
        let leading = Task {
            try await elector("replica-a", cluster, clock).run {
                do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.mutate { $0 = true } }
            }
        }
        while await cluster.object(Self.lease)?["spec"]["holderIdentity"] != "replica-a" { await Task.yield() }
        var stolen = try #require(await cluster.object(Self.lease))
        stolen["spec"]["holderIdentity"] = "replica-b"
        _ = try await cluster.update(stolen)
        await #expect(throws: LeaderElectionError.lost(identity: "replica-a")) { try await leading.value }
        #expect(cancelled.value)
        #expect(await cluster.object(Self.lease)?["spec"]["holderIdentity"] == "replica-b")
    }

    @Test("a leader that cannot reach the API server for the renew deadline steps down")
    func stepsDownWhenUnreachable() async throws {
        let cluster = MemoryCluster()
        let clock = ManualClock()
        let leading = Task {
            try await elector("replica-a", cluster, clock).run { try await Task.sleep(for: .seconds(3600)) }
        }
        while await cluster.object(Self.lease)?["spec"]["holderIdentity"] != "replica-a" { await Task.yield() }
        await cluster.setUnavailable(true)
        await #expect(throws: LeaderElectionError.lost(identity: "replica-a")) { try await leading.value }
    }
}

/// A lease held by someone else until `heldFor` has passed, then free.
/// A lease another replica holds for a while, by a clock that moves only when the elector
/// waits, so the test sees the schedule the elector chose rather than the machine's speed.
final class ExpiringLease: LeaderLease {
    private let remaining: Locked<Duration>

    init(heldFor: Duration) { remaining = Locked(heldFor) }

    func pass(_ duration: Duration) { remaining.mutate { $0 -= duration } }

    func acquire() async throws {
        let left = remaining.value
        if left > .zero { throw LeaseHeld(holder: "replica-a", remaining: left) }
    }

    func renew() async throws {}
    func release() async throws {}
}
