/// Runs a reconciler over a work queue with a bounded number of workers.
///
/// Each worker takes a key, reconciles it, and tells the queue what comes next: success
/// forgets the key's failures and follows the returned `Action`; failure follows the
/// `ErrorPolicy`. Two workers never hold the same key (the queue guarantees it), so a
/// reconciler needs no locking of its own per object.
public struct ReconcileLoop<R: Reconciler>: Sendable {
    public let queue: WorkQueue<ResourceKey>
    public let reconciler: R
    public let errorPolicy: ErrorPolicy
    public let workers: Int
    public let observer: ReconcileObserver

    public init(
        queue: WorkQueue<ResourceKey>, reconciler: R, errorPolicy: ErrorPolicy = .standard, workers: Int = 1,
        observer: ReconcileObserver = ReconcileObserver()
    ) {
        self.queue = queue
        self.reconciler = reconciler
        self.errorPolicy = errorPolicy
        self.workers = max(1, workers)
        self.observer = observer
    }

    /// Runs the workers until the queue shuts down.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask { await work() }
            }
        }
    }

    private func work() async {
        while let key = await queue.next() {
            await process(key)
            await queue.done(key)
        }
    }

    /// One reconcile of `key` and its consequence for the queue.
    func process(_ key: ResourceKey) async {
        let start = ContinuousClock.now
        // The queue is told first, so an observer that sees the outcome sees the queue after it.
        do {
            let action = try await reconciler.reconcile(key)
            let duration = ContinuousClock.now - start
            await queue.forget(key)
            if case let .requeue(after) = action {
                await queue.add(key, after: after)
            }
            observer.finished(key, duration, .success(action))
        } catch {
            let duration = ContinuousClock.now - start
            let retry = errorPolicy.decide(key, error)
            switch retry {
            case .backoff: await queue.addAfterFailure(key)
            case let .after(delay): await queue.add(key, after: delay)
            case .awaitChange: await queue.forget(key)
            }
            observer.finished(key, duration, .failure(error, retry))
        }
    }
}

/// Where the loop reports each reconcile: metrics and logs hook in here.
public struct ReconcileObserver: Sendable {
    public enum Outcome: Sendable {
        case success(Action)
        case failure(any Error, Retry)
    }

    public let finished: @Sendable (ResourceKey, Duration, Outcome) -> Void

    public init(_ finished: @escaping @Sendable (ResourceKey, Duration, Outcome) -> Void = { _, _, _ in }) {
        self.finished = finished
    }
}
