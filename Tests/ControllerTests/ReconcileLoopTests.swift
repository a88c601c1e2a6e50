import Testing

@testable import Controller

private struct Transient: Error {}
private struct Invalid: TerminalError {}

@Suite("Reconcile loop")
struct ReconcileLoopTests {
    let key = ResourceKey(namespace: "seldon-system", name: "seldon")

    @Test("a failing key is retried with backoff until it succeeds, then its failures are forgotten")
    func retriesUntilSuccess() async {
        let queue = WorkQueue<ResourceKey>(backoff: Backoff(initial: .milliseconds(1), maximum: .milliseconds(4)))
        let attempts = Locked(0)
        let outcomes = Locked<[String]>([])
        let loop = ReconcileLoop(
            queue: queue,
            reconciler: ReconcilerFunction { _ in
                let attempt = attempts.mutate { $0 += 1; return $0 }
                if attempt < 4 { throw Transient() }
                return .awaitChange
            },
            observer: ReconcileObserver { _, _, outcome in
                let label: String
                if case .success = outcome { label = "ok" } else { label = "error" }
                outcomes.mutate { $0.append(label) }
            })
        let run = Task { await loop.run() }
        await queue.add(key)
        while outcomes.value.count < 4 { await Task.yield() }
        #expect(await queue.failureCount(of: key) == 0)
        _ = await queue.shutDown(.handBack)
        await run.value
        #expect(outcomes.value == ["error", "error", "error", "ok"])
        #expect(attempts.value == 4)
    }

    @Test("a terminal error is not retried until the key is added again")
    func terminalErrorWaits() async {
        let queue = WorkQueue<ResourceKey>()
        let loop = ReconcileLoop(queue: queue, reconciler: ReconcilerFunction { _ in throw Invalid() })
        await loop.process(key)
        #expect(await queue.delayedCount == 0)
        #expect(await queue.pending.isEmpty)
        #expect(await queue.failureCount(of: key) == 0)
    }

    @Test("the error policy decides: a fixed delay instead of backoff")
    func errorPolicy() async {
        let queue = WorkQueue<ResourceKey>()
        let loop = ReconcileLoop(
            queue: queue, reconciler: ReconcilerFunction { _ in throw Transient() },
            errorPolicy: ErrorPolicy { _, _ in .after(.seconds(3600)) })
        await loop.process(key)
        #expect(await queue.delayedCount == 1)
        #expect(await queue.failureCount(of: key) == 0)
    }

    @Test("requeue(after:) schedules the key again; awaitChange does not")
    func actions() async {
        let queue = WorkQueue<ResourceKey>()
        let requeue = ReconcileLoop(queue: queue, reconciler: ReconcilerFunction { _ in .requeue(after: .seconds(3600)) })
        await requeue.process(key)
        #expect(await queue.delayedCount == 1)
        let other = ResourceKey(namespace: "x", name: "y")
        let wait = ReconcileLoop(queue: queue, reconciler: ReconcilerFunction { _ in .awaitChange })
        await wait.process(other)
        #expect(await queue.delayedCount == 1)
    }

    @Test("no more than the configured number of reconciles run at once, and that many do")
    func boundedWorkers() async {
        let queue = WorkQueue<ResourceKey>()
        let gate = Gate(opensAt: 3)
        let loop = ReconcileLoop(queue: queue, reconciler: ReconcilerFunction { _ in
            await gate.arrive()
            return .awaitChange
        }, workers: 3)
        let run = Task { await loop.run() }
        for index in 0..<12 { await queue.add(ResourceKey(namespace: "n", name: "k\(index)")) }
        _ = await queue.shutDown(.drain)
        await run.value
        #expect(await gate.maxInside == 3)
        #expect(await gate.arrivals == 12)
    }
}

/// Holds reconciles until `opensAt` are inside at once, proving that many run in parallel.
actor Gate {
    private let opensAt: Int
    private var inside = 0
    private(set) var maxInside = 0
    private(set) var arrivals = 0
    private var open = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(opensAt: Int) { self.opensAt = opensAt }

    func arrive() async {
        arrivals += 1
        inside += 1
        maxInside = max(maxInside, inside)
        if !open, inside >= opensAt {
            open = true
            for waiter in waiting { waiter.resume() }
            waiting = []
        }
        if !open { await withCheckedContinuation { waiting.append($0) } }
        inside -= 1
    }
}
