import Foundation
import LifecycleTesting
import Testing
import Unstructured

@testable import Lifecycle

/// A settable wall clock for lease expiry.
final class TestClock: @unchecked Sendable {
    // Sound because every access holds `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_795_300_000)

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

@Suite("The lease lock")
struct LeaseLockTests {
    let cluster = MemoryCluster()
    let clock = TestClock()

    func lock(_ identity: String) -> LeaseLock {
        let clock = clock
        return LeaseLock(
            cluster: cluster, namespace: "seldon-system", name: "seldon-operator-seldon", identity: identity,
            duration: .seconds(30), now: { clock.now })
    }

    @Test func secondHolderIsRefusedWithTheFirstOnesName() async throws {
        try await lock("install by alice on laptop (pid 1)").acquire()
        await #expect(throws: LockError.held(by: "install by alice on laptop (pid 1)", until: clock.now + 30)) {
            try await lock("install by bob (pid 2)").acquire()
        }
        let lease = try #require(await cluster.object(lock("x").reference))
        #expect(lease["spec"]["holderIdentity"] == "install by alice on laptop (pid 1)")
        #expect(lease["spec"]["leaseDurationSeconds"] == 30)
        #expect(lease["spec"]["renewTime"].stringValue?.hasSuffix(".000000Z") == true)
    }

    @Test func aWriteThatFailedUnseenIsDecidedByReadingTheLeaseAgain() async throws {
        let holder = lock("install by alice (pid 1)")
        await cluster.fail(name: "seldon-operator-seldon", with: ClusterError(.unavailable, holder.reference, "connection broke"))
        try await holder.acquire()
        #expect(try #require(await cluster.object(holder.reference))["spec"]["holderIdentity"] == "install by alice (pid 1)")
        await cluster.fail(name: "seldon-operator-seldon", with: ClusterError(.unavailable, holder.reference, "connection broke"))
        try await holder.renew()
    }

    @Test func expiredLeaseIsTakenOver() async throws {
        try await lock("killed").acquire()
        clock.advance(31)
        try await lock("successor").acquire()
        let lease = try #require(await cluster.object(lock("x").reference))
        #expect(lease["spec"]["holderIdentity"] == "successor")
        #expect(lease["spec"]["leaseTransitions"] == 1)
        await #expect(throws: LockError.lost(to: "successor")) { try await lock("killed").renew() }
    }

    @Test func renewingKeepsOthersOut() async throws {
        try await lock("a").acquire()
        clock.advance(20)
        try await lock("a").renew()
        clock.advance(20)
        await #expect(throws: LockError.self) { try await lock("b").acquire() }
    }

    @Test func releaseLetsTheNextCommandInAtOnce() async throws {
        try await lock("a").acquire()
        try await lock("a").release()
        try await lock("b").acquire()
        try await lock("a").release()  // not a's any more: leaves b's lock alone
        let lease = try #require(await cluster.object(lock("x").reference))
        #expect(lease["spec"]["holderIdentity"] == "b")
    }

    @Test func withLeaseReleasesOnSuccessErrorAndCancellation() async throws {
        struct Boom: Error {}
        let value = try await lock("a").withLease { 42 }
        #expect(value == 42)
        await #expect(throws: Boom.self) { try await lock("a").withLease { throw Boom() } }
        let task = Task { try await lock("a").withLease { try await Task.sleep(for: .seconds(60)) } }
        // Wait until the body runs (the lease is held), then interrupt as Ctrl-C would.
        while await cluster.object(lock("x").reference)?["spec"]["holderIdentity"] != "a" { await Task.yield() }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        let lease = try #require(await cluster.object(lock("x").reference))
        #expect(lease["spec"]["holderIdentity"] == .null)
        try await lock("b").acquire()
    }
}
