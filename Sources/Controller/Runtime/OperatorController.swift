import Lifecycle
import Platform

/// Everything `seldon-operator run` runs, wired together: the watches feed the queue, the
/// reconcile loop drains it, leader election (when on) gates both, and shutdown hands work
/// back and releases the lease.
public struct OperatorController: Sendable {
    public struct Settings: Sendable {
        public var namespace: String?
        public var maxConcurrentReconciles: Int
        public var resyncPeriod: Duration
        /// nil runs without leader election (one replica, or tests).
        public var leaderElection: LeaderElection?

        public init(namespace: String? = nil, maxConcurrentReconciles: Int = 1, resyncPeriod: Duration = .seconds(600),
                    leaderElection: LeaderElection? = nil) {
            self.namespace = namespace
            self.maxConcurrentReconciles = maxConcurrentReconciles
            self.resyncPeriod = resyncPeriod
            self.leaderElection = leaderElection
        }
    }

    /// Where the leader-election Lease lives and who competes for it.
    public struct LeaderElection: Sendable {
        public var namespace: String
        public var leaseName: String
        public var identity: String
        public var timings: LeaderElectionTimings

        public init(namespace: String, leaseName: String = "seldon-operator-leader", identity: String, timings: LeaderElectionTimings = .init()) {
            self.namespace = namespace
            self.leaseName = leaseName
            self.identity = identity
            self.timings = timings
        }
    }

    public let cluster: any Cluster
    public let reconciler: SeldonOperatorReconciler
    public let settings: Settings
    public let metrics: ControllerMetrics
    public let probes: ProbeState
    public let log: JSONLog
    public let ownedKinds: [WatchedKind]

    public init(cluster: any Cluster, reconciler: SeldonOperatorReconciler, settings: Settings, metrics: ControllerMetrics,
                probes: ProbeState, log: JSONLog, ownedKinds: [WatchedKind] = WatchedKind.stackKinds) {
        self.cluster = cluster
        self.reconciler = reconciler
        self.settings = settings
        self.metrics = metrics
        self.probes = probes
        self.log = log
        self.ownedKinds = ownedKinds
    }

    /// Runs until the calling task is cancelled (SIGTERM), then stops taking work, lets
    /// in-flight reconciles finish, hands the rest back and releases the lease. Throws
    /// `LeaderElectionError.lost` if the lease is lost: the process should exit.
    public func run() async throws {
        guard let election = settings.leaderElection else {
            return await reconcileUntilCancelled()
        }
        probes.markReady()
        let lock = LeaseLock(cluster: cluster, namespace: election.namespace, name: election.leaseName,
                             identity: election.identity, duration: election.timings.leaseDuration)
        let elector = LeaderElector(lease: ClusterLease(lock), identity: election.identity, timings: election.timings) { [metrics, log] leading in
            metrics.setLeader(leading)
            log.info(leading ? "became leader" : "stopped leading", ["identity": .string(election.identity)])
        }
        log.info("waiting for the leader-election lease", ["lease": .string("\(election.namespace)/\(election.leaseName)")])
        try await elector.run { await reconcileUntilCancelled() }
    }

    /// The watches and workers, until cancellation; then an orderly stop.
    func reconcileUntilCancelled() async {
        let queue = WorkQueue<ResourceKey>()
        let watches = OperatorWatches(
            cluster: cluster, queue: queue, namespace: settings.namespace, ownedKinds: ownedKinds,
            resyncPeriod: settings.resyncPeriod, log: log, metrics: metrics, onAllSynced: { [probes] in probes.markReady() })
        let loop = ReconcileLoop(
            queue: queue, reconciler: reconciler, workers: settings.maxConcurrentReconciles,
            observer: ReconcileObserver { [metrics, log] key, duration, outcome in
                // A reconcile renders every chart and plans every object, then the controller
                // idles until the next change: give back what that burst freed, or the
                // process stays at its peak (docs/controller.md, "Memory").
                Heap.releaseFreePages()
                switch outcome {
                case .success:
                    metrics.reconciled(succeeded: true, duration: duration)
                    log.debug("reconciled", ["object": .string(key.description), "durationSeconds": .float(duration.seconds)])
                case let .failure(error, retry):
                    metrics.reconciled(succeeded: false, duration: duration)
                    log.error("reconcile failed", [
                        "object": .string(key.description), "durationSeconds": .float(duration.seconds),
                        "error": .string(String(describing: error)), "retry": .string(String(describing: retry)),
                    ])
                }
            })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await loop.run() }
            group.addTask { await watches.run() }
            // Parks until cancellation, then stops the queue: the loop's workers finish
            // their current key and exit, keys not started are handed back.
            group.addTask {
                await Self.waitForCancellation()
                let handedBack = await queue.shutDown(.handBack)
                log.info("stopped", ["handedBack": .int(handedBack.count)])
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Suspends until the task is cancelled.
    static func waitForCancellation() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
