import Testing

@testable import Controller

@Suite("Backoff")
struct BackoffTests {
    @Test("doubles from 5 ms per consecutive failure and stops at the 30 s cap")
    func doublesToCap() {
        let backoff = Backoff(jitter: 0)
        #expect(backoff.delay(afterFailures: 0, random: 0) == .zero)
        #expect(backoff.delay(afterFailures: 1, random: 0) == .milliseconds(5))
        #expect(backoff.delay(afterFailures: 2, random: 0) == .milliseconds(10))
        #expect(backoff.delay(afterFailures: 5, random: 0) == .milliseconds(80))
        #expect(backoff.delay(afterFailures: 14, random: 0) == .seconds(30))
        #expect(backoff.delay(afterFailures: 10_000, random: 0) == .seconds(30))
    }

    @Test("jitter shortens a delay by at most its fraction and never exceeds the cap")
    func jitterBounds() {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(8), jitter: 0.2)
        #expect(backoff.delay(afterFailures: 3, random: 0) == .seconds(4))
        #expect(backoff.delay(afterFailures: 3, random: 0.5) == .seconds(3.6))
        #expect(backoff.delay(afterFailures: 3, random: 1) == .seconds(3.2))
        for draw in stride(from: 0.0, to: 1.0, by: 0.05) {
            let delay = backoff.delay(afterFailures: 20, random: draw)
            #expect(delay <= .seconds(8) && delay >= .seconds(6.4))
        }
    }
}

@Suite("Work queue")
struct WorkQueueTests {
    let a = ResourceKey(namespace: "seldon-system", name: "a")
    let b = ResourceKey(namespace: "seldon-system", name: "b")

    @Test("a key queued several times is handed out once, in arrival order with the others")
    func deduplicates() async {
        let queue = WorkQueue<ResourceKey>()
        await queue.add(a)
        await queue.add(b)
        await queue.add(a)
        #expect(await queue.pending == [a, b])
        #expect(await queue.next() == a)
        #expect(await queue.next() == b)
        #expect(await queue.pending.isEmpty)
    }

    @Test("a key added while processing is not handed out again until done, then queued once")
    func dirtyWhileProcessing() async {
        let queue = WorkQueue<ResourceKey>()
        await queue.add(a)
        #expect(await queue.next() == a)
        await queue.add(a)
        await queue.add(a)
        #expect(await queue.pending.isEmpty)
        #expect(await queue.inFlight == [a])
        await queue.done(a)
        #expect(await queue.pending == [a])
        #expect(await queue.inFlight.isEmpty)
    }

    @Test("a waiting worker is woken by the next add")
    func wakesWaiter() async {
        let queue = WorkQueue<ResourceKey>()
        async let taken = queue.next()
        await Task.yield()
        await queue.add(b)
        #expect(await taken == b)
    }

    @Test("failures count per key and back off; forgetting resets the count")
    func failureBackoff() async {
        let queue = WorkQueue<ResourceKey>(backoff: Backoff(initial: .seconds(60), maximum: .seconds(600), jitter: 0), random: { 0 })
        #expect(await queue.addAfterFailure(a) == .seconds(60))
        #expect(await queue.addAfterFailure(a) == .seconds(120))
        #expect(await queue.addAfterFailure(b) == .seconds(60))
        #expect(await queue.failureCount(of: a) == 2)
        #expect(await queue.delayedCount == 2)
        #expect(await queue.pending.isEmpty)
        await queue.forget(a)
        #expect(await queue.failureCount(of: a) == 0)
        #expect(await queue.addAfterFailure(a) == .seconds(60))
    }

    @Test("a delayed add keeps the earliest deadline and queues the key when it passes")
    func delayedAdd() async {
        let queue = WorkQueue<ResourceKey>()
        await queue.add(a, after: .seconds(3600))
        await queue.add(a, after: .milliseconds(20))
        await queue.add(a, after: .seconds(7200))
        #expect(await queue.delayedCount == 1)
        #expect(await queue.next() == a)
        #expect(await queue.delayedCount == 0)
    }

    @Test("an immediate add cancels the key's pending delayed add")
    func immediateAddCancelsTimer() async {
        let queue = WorkQueue<ResourceKey>()
        await queue.add(a, after: .seconds(3600))
        await queue.add(a)
        #expect(await queue.delayedCount == 0)
        #expect(await queue.pending == [a])
    }

    @Test("handing back returns what was not started, wakes idle workers and refuses new keys")
    func handBack() async {
        let queue = WorkQueue<ResourceKey>()
        let idle = Task { await queue.next() }
        await queue.add(a)
        #expect(await idle.value == a)
        await queue.add(b)
        let c = ResourceKey(namespace: nil, name: "c")
        await queue.add(c, after: .seconds(3600))
        let shutdown = Task { await queue.shutDown(.handBack) }
        // `a` is still in flight: shutting down waits for it.
        await queue.done(a)
        let handedBack = await shutdown.value
        #expect(Set(handedBack) == [b, c])
        #expect(await queue.next() == nil)
        await queue.add(a)
        #expect(await queue.pending.isEmpty)
    }

    @Test("draining hands out every queued key before workers get nil")
    func drains() async {
        let queue = WorkQueue<ResourceKey>()
        let keys = (0..<20).map { ResourceKey(namespace: "n", name: "k\($0)") }
        for key in keys { await queue.add(key) }
        let processed = Locked<[ResourceKey]>([])
        let worker = Task {
            while let key = await queue.next() {
                processed.mutate { $0.append(key) }
                await queue.done(key)
            }
        }
        let handedBack = await queue.shutDown(.drain)
        await worker.value
        #expect(handedBack.isEmpty)
        #expect(processed.value == keys)
    }

    @Test("under concurrent adds and workers, no key is ever processed twice at once and every change is seen")
    func concurrentWorkers() async {
        let queue = WorkQueue<ResourceKey>()
        let keys = (0..<25).map { ResourceKey(namespace: "n", name: "k\($0)") }
        let tracker = ConcurrencyTracker()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    while let key = await queue.next() {
                        await tracker.begin(key)
                        for _ in 0..<(worker + 1) { await Task.yield() }
                        await tracker.end(key)
                        await queue.done(key)
                    }
                }
            }
            await withTaskGroup(of: Void.self) { producers in
                for round in 0..<8 {
                    producers.addTask {
                        for key in keys.shuffled() {
                            await tracker.changed(key, round: round)
                            await queue.add(key)
                        }
                    }
                }
            }
            _ = await queue.shutDown(.drain)
        }
        #expect(await tracker.overlaps == 0)
        // Level-based: each key's last change was followed by at least one reconcile.
        #expect(await tracker.unseenChanges.isEmpty)
        #expect(await tracker.maxParallel <= 4)
    }
}

/// Watches workers: overlapping work on one key, parallelism, and changes not yet seen
/// by a reconcile that began after them.
actor ConcurrencyTracker {
    private var active: Set<ResourceKey> = []
    private(set) var overlaps = 0
    private(set) var maxParallel = 0
    private var changeStamp: [ResourceKey: Int] = [:]
    private var seenStamp: [ResourceKey: Int] = [:]
    private var stamp = 0

    func changed(_ key: ResourceKey, round: Int) {
        stamp += 1
        changeStamp[key] = stamp
    }

    func begin(_ key: ResourceKey) {
        if !active.insert(key).inserted { overlaps += 1 }
        maxParallel = max(maxParallel, active.count)
        stamp += 1
        seenStamp[key] = stamp
    }

    func end(_ key: ResourceKey) { active.remove(key) }

    var unseenChanges: [ResourceKey] {
        changeStamp.filter { key, changed in (seenStamp[key] ?? 0) < changed }.map(\.key)
    }
}
