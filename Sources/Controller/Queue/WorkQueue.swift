/// The queue between what the watches see and what the reconcilers do, with client-go's
/// workqueue guarantees:
///
/// - **Deduplicating.** A key queued twice is reconciled once: reconciling is level-based,
///   so the second request would read the same state.
/// - **One key, one worker.** A key is never handed out while it is being processed. If it
///   is added meanwhile, it is marked dirty and queued again when its worker calls `done`,
///   so the change is still seen, after the reconcile that might have missed it.
/// - **Per-key backoff.** `addAfterFailure` waits `Backoff.delay(afterFailures:)` for that
///   key's consecutive failures; `forget` clears the count after a success. One failing
///   object never slows the others.
/// - **Delayed adds** (`add(_:after:)`) keep only the earliest pending deadline of a key.
/// - **Shutdown** either drains (workers finish everything queued, including keys that
///   changed while in flight) or hands back what was not started; either way it returns
///   once no key is in flight. Pending delayed adds are handed back in both modes.
///
/// Workers loop on `next()` and call `done(_:)` for every key they received.
public actor WorkQueue<Key: Hashable & Sendable> {
    public enum ShutdownMode: Sendable {
        /// Keys already queued are still handed out; new adds are refused.
        case drain
        /// Nothing more is handed out; keys not started are returned to the caller.
        case handBack
    }

    private let backoff: Backoff
    private let random: @Sendable () -> Double
    /// Ready keys in arrival order; `queuedSet` makes membership checks O(1).
    private var queued: [Key] = []
    private var queuedHead = 0
    private var queuedSet: Set<Key> = []
    private var processing: Set<Key> = []
    private var dirty: Set<Key> = []
    private var failures: [Key: Int] = [:]
    private var timers: [Key: (deadline: ContinuousClock.Instant, task: Task<Void, Never>)] = [:]
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var shutdown: ShutdownMode?

    public init(backoff: Backoff = Backoff(), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.backoff = backoff
        self.random = random
    }

    // MARK: Adding

    /// Queues `key` unless it is already queued; marks it dirty if it is being processed.
    public func add(_ key: Key) {
        guard shutdown == nil else { return }
        cancelTimer(for: key)
        if processing.contains(key) {
            dirty.insert(key)
        } else if !queuedSet.contains(key) {
            enqueue(key)
        }
    }

    /// Queues `key` once `delay` has passed; an earlier pending deadline for it wins.
    public func add(_ key: Key, after delay: Duration) {
        guard shutdown == nil else { return }
        guard delay > .zero else { return add(key) }
        let deadline = ContinuousClock.now + delay
        if let existing = timers[key], existing.deadline <= deadline { return }
        timers[key]?.task.cancel()
        let task = Task { [weak self] in
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
            await self?.fire(key, deadline: deadline)
        }
        timers[key] = (deadline, task)
    }

    /// Records one more consecutive failure of `key` and queues it after its backoff.
    /// Returns the delay chosen, for logs and the status message.
    @discardableResult
    public func addAfterFailure(_ key: Key) -> Duration {
        let count = (failures[key] ?? 0) + 1
        failures[key] = count
        let delay = backoff.delay(afterFailures: count, random: random())
        add(key, after: delay)
        return delay
    }

    /// Clears `key`'s failure count: its next failure starts the backoff from the beginning.
    public func forget(_ key: Key) {
        failures[key] = nil
    }

    public func failureCount(of key: Key) -> Int { failures[key] ?? 0 }

    // MARK: Working

    /// The next key to process, waiting for one; nil once the queue has shut down (and, when
    /// draining, has nothing left). The caller owns the key until it calls `done(_:)`.
    public func next() async -> Key? {
        if let key = takeReady() { return key }
        if shutdown != nil { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Ends the processing of `key`; queues it again if it was added meanwhile.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.remove(key) != nil, shutdown != .handBack {
            enqueue(key)
        }
        if processing.isEmpty, shutdown != nil {
            for waiter in idleWaiters { waiter.resume() }
            idleWaiters = []
        }
    }

    /// Stops the queue: refuses new adds, cancels pending delayed adds, wakes idle workers
    /// and returns once no key is being processed (workers must still be running to
    /// drain). Returns the keys it did not hand out (delayed; with `.handBack` also queued
    /// and dirty ones), which another replica picks up from its own watches.
    public func shutDown(_ mode: ShutdownMode) async -> [Key] {
        shutdown = mode
        var handedBack = Array(timers.keys)
        for timer in timers.values { timer.task.cancel() }
        timers = [:]
        if mode == .handBack {
            handedBack += dirty
            dirty = []
            handedBack += queued[queuedHead...]
            queued = []
            queuedHead = 0
            queuedSet = []
        }
        // Idle workers get nil; in drain mode busy ones keep taking keys until none are left.
        if queuedSet.isEmpty {
            for waiter in waiters { waiter.resume(returning: nil) }
            waiters = []
        }
        while !processing.isEmpty || (mode == .drain && !queuedSet.isEmpty) {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
        return handedBack
    }

    // MARK: Observing

    /// Keys waiting to be handed out, in order.
    public var pending: [Key] { Array(queued[queuedHead...]) }
    public var inFlight: Set<Key> { processing }
    public var delayedCount: Int { timers.count }

    // MARK: Internals

    private func enqueue(_ key: Key) {
        if let waiter = waiters.first {
            waiters.removeFirst()
            processing.insert(key)
            waiter.resume(returning: key)
            return
        }
        queued.append(key)
        queuedSet.insert(key)
    }

    private func takeReady() -> Key? {
        guard queuedHead < queued.count else { return nil }
        let key = queued[queuedHead]
        queuedHead += 1
        if queuedHead > 64, queuedHead * 2 > queued.count {
            queued.removeFirst(queuedHead)
            queuedHead = 0
        }
        queuedSet.remove(key)
        processing.insert(key)
        if queuedSet.isEmpty, shutdown == .drain {
            for waiter in waiters { waiter.resume(returning: nil) }
            waiters = []
        }
        return key
    }

    private func fire(_ key: Key, deadline: ContinuousClock.Instant) {
        guard timers[key]?.deadline == deadline else { return }
        timers[key] = nil
        add(key)
    }

    private func cancelTimer(for key: Key) {
        timers.removeValue(forKey: key)?.task.cancel()
    }
}
