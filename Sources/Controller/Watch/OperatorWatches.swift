import Lifecycle
import Unstructured

/// Feeds the work queue from the API server: one watch of SeldonOperators, one
/// label-selected watch per kind the stack owns, and a periodic resync.
///
/// A watch that fails or ends is started again after `Backoff.watch`; meanwhile the
/// controller keeps reconciling what it has. An API server that goes away therefore
/// makes the controller wait and retry, never exit.
public actor OperatorWatches {
    public let cluster: any Cluster
    public let queue: WorkQueue<ResourceKey>
    /// nil watches every namespace.
    public let namespace: String?
    public let ownedKinds: [WatchedKind]
    /// Owned kinds watched only once discovery says they are served (`WatchedKind.addonKinds`).
    public let addonKinds: [WatchedKind]
    /// How often discovery is asked again while an add-on kind is not served: how long a
    /// CRD installed after the controller started goes unwatched, at most.
    public let discoveryPeriod: Duration
    /// How often every SeldonOperator is queued regardless of events: the safety net
    /// for a missed event (`Action.awaitChange`'s caveat). Zero turns it off.
    public let resyncPeriod: Duration
    public let backoff: Backoff
    public let log: JSONLog
    public let metrics: ControllerMetrics
    private var router = EventRouter()
    private var synced: Set<WatchedKind> = []
    private let onAllSynced: @Sendable () -> Void

    public init(
        cluster: any Cluster, queue: WorkQueue<ResourceKey>, namespace: String?, ownedKinds: [WatchedKind] = WatchedKind.stackKinds,
        addonKinds: [WatchedKind] = WatchedKind.addonKinds, discoveryPeriod: Duration = .seconds(30), resyncPeriod: Duration = .seconds(600), backoff: Backoff = .watch, log: JSONLog, metrics: ControllerMetrics = ControllerMetrics(),
        onAllSynced: @escaping @Sendable () -> Void = {}
    ) {
        self.cluster = cluster
        self.queue = queue
        self.namespace = namespace
        self.ownedKinds = ownedKinds
        self.addonKinds = addonKinds
        self.discoveryPeriod = discoveryPeriod
        self.resyncPeriod = resyncPeriod
        self.backoff = backoff
        self.log = log
        self.metrics = metrics
        self.onAllSynced = onAllSynced
    }

    /// Runs every watch until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watch(.seldonOperator, selector: nil) }
            for kind in ownedKinds {
                group.addTask { await self.watch(kind, selector: OwnedObjects.selector) }
            }
            if !addonKinds.isEmpty {
                group.addTask { await self.watchWhenServed(self.addonKinds) }
            }
            if resyncPeriod > .zero {
                group.addTask { await self.resync() }
            }
        }
    }

    private nonisolated func watch(_ kind: WatchedKind, selector: String?) async {
        var failures = 0
        while !Task.isCancelled {
            let scope = kind.clusterScoped ? nil : namespace
            let stream = cluster.watch(apiVersion: kind.apiVersion, kind: kind.kind, namespace: scope, labelSelector: selector)
            do {
                for try await event in stream {
                    failures = 0
                    if case .synced = event {
                        await markSynced(kind)
                    } else {
                        await route(event, of: kind)
                    }
                }
                if Task.isCancelled { return }
                log.info("watch ended; restarting", ["kind": .string(kind.description)])
            } catch {
                if Task.isCancelled { return }
                failures += 1
                log.warning("watch failed; retrying", [
                    "kind": .string(kind.description), "failures": .int(failures), "error": .string(String(describing: error)),
                ])
            }
            do { try await Task.sleep(for: backoff.delay(afterFailures: max(failures, 1), random: Double.random(in: 0..<1))) } catch { return }
        }
    }

    /// Starts a watch for each of `kinds` once discovery lists it, asking again every
    /// `discoveryPeriod` until all are watched. A started watch outlives its CRD's removal by
    /// retrying with backoff, like any other watch. These watches do not gate readiness: a
    /// kind that is not served never reports its listing.
    private nonisolated func watchWhenServed(_ kinds: [WatchedKind]) async {
        await withTaskGroup(of: Void.self) { group in
            var pending = kinds
            while !pending.isEmpty {
                do {
                    let served = try await cluster.servedKinds()
                    for kind in pending where served.contains(kind.groupKind) {
                        log.info("watching a kind now served", ["kind": .string(kind.description)])
                        group.addTask { await self.watch(kind, selector: OwnedObjects.selector) }
                    }
                    pending.removeAll { served.contains($0.groupKind) }
                } catch {
                    log.warning("discovery failed; asking again later", ["error": .string(String(describing: error))])
                }
                if pending.isEmpty { break }
                do { try await Task.sleep(for: discoveryPeriod) } catch { break }
            }
        }
    }

    /// The first time every watch has reported its initial listing, the controller has seen
    /// the cluster as it is and is ready.
    private func markSynced(_ kind: WatchedKind) {
        guard !addonKinds.contains(kind), synced.insert(kind).inserted, synced.count == ownedKinds.count + 1 else { return }
        onAllSynced()
    }

    private func route(_ event: WatchEvent, of kind: WatchedKind) async {
        let keys = kind == .seldonOperator ? router.operatorEvent(event) : router.ownedEvent(event)
        metrics.setCachedObjects(operators: router.operatorCount, owned: router.ownedCount)
        for key in keys { await queue.add(key) }
    }

    private func resync() async {
        while true {
            do { try await Task.sleep(for: resyncPeriod) } catch { return }
            for key in router.operatorKeys { await queue.add(key) }
        }
    }
}

extension Backoff {
    /// kube-rs's `DefaultBackoff` for watches, "inspired by Kubernetes' client-go" and
    /// meant to be "kind to struggling apiservers": 0.8 s doubling to 30 s, with jitter.
    public static let watch = Backoff(initial: .milliseconds(800), maximum: .seconds(30), jitter: 0.5)
}
