import FoundationEssentials
import Unstructured

/// Waits, driven by watches, until a set of objects is healthy: fails at the first object
/// whose health is `failed` or that is deleted, and at the deadline lists every object not
/// ready and why.
///
/// It watches what the rules need besides the objects themselves: Pods in the namespaces
/// of workloads (to fail fast on a crash loop), EndpointSlices where webhook Services
/// live, StorageClasses when claims are waited for.
struct HealthWaiter: Sendable {
    let cluster: any Cluster
    /// Selects the stack's objects of one component, so the watches carry nothing else.
    let labelSelector: String
    let now: @Sendable () -> Date

    /// Returns when every object in `targets` is current. `report` hears each distinct
    /// state on the way, for progress.
    func wait(
        for targets: [DesiredObject], component: String, deadline: ContinuousClock.Instant,
        report: @escaping @Sendable (_ ready: Int, _ total: Int, _ first: NotReady?) -> Void
    ) async throws {
        guard !targets.isEmpty else { return }
        let observations = Observations()
        let feeds = Self.feeds(for: targets.map(\.object), labelSelector: labelSelector)
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for feed in feeds {
                    group.addTask {
                        for try await event in cluster.watch(
                            apiVersion: feed.apiVersion, kind: feed.kind, namespace: feed.namespace,
                            labelSelector: feed.labelSelector)
                        {
                            await observations.record(event, as: feed.role)
                        }
                        return false
                    }
                }
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    throw WaitTimedOut()
                }
                group.addTask {
                    var last: (Int, String?)?
                    for await _ in observations.changes {
                        let verdict = await observations.assess(targets, now: now())
                        try verdict.checkNotFailed(component: component)
                        let state = (verdict.ready, verdict.waiting.first?.description)
                        if last.map({ $0 != state }) ?? true {
                            last = state
                            report(verdict.ready, targets.count, verdict.waiting.first)
                        }
                        if verdict.waiting.isEmpty { return true }
                    }
                    return false
                }
                while let done = try await group.next() {
                    if done {
                        group.cancelAll()
                        return
                    }
                }
            }
        } catch is WaitTimedOut {
            try await settleAtDeadline(targets, feeds: feeds, observations: observations, component: component, report: report)
        }
    }

    /// The verdict at the deadline rests on a fresh read, not on the last event heard: a
    /// watch may lag behind the server, and on a busy machine (every thread taken for longer
    /// than the timeout) the events that made everything ready may be queued unhandled when
    /// the timer fires. Returns when everything is ready after all. A read that fails leaves
    /// what the watch said: the timeout, not the failed read, is what the caller must hear.
    private func settleAtDeadline(
        _ targets: [DesiredObject], feeds: [Feed], observations: Observations, component: String,
        report: @Sendable (_ ready: Int, _ total: Int, _ first: NotReady?) -> Void
    ) async throws {
        for feed in feeds {
            guard let current = try? await cluster.list(
                apiVersion: feed.apiVersion, kind: feed.kind, namespace: feed.namespace, labelSelector: feed.labelSelector)
            else { continue }
            await observations.replace(feed, with: current)
        }
        let verdict = await observations.assess(targets, now: now())
        try verdict.checkNotFailed(component: component)
        guard verdict.waiting.isEmpty else {
            throw InstallError.timeout(scope: "component \(component)", waiting: verdict.waiting)
        }
        report(verdict.ready, targets.count, nil)
    }

    private struct WaitTimedOut: Error {}

    /// One watch: which objects, and what the waiter uses them for.
    struct Feed: Hashable {
        enum Role: Hashable { case target, pod, endpoints, storageClass }
        var apiVersion: String
        var kind: String
        var namespace: String?
        var labelSelector: String?
        var role: Role
    }

    static let workloadKinds: Set<GroupKind> = [
        GroupKind(group: "apps", kind: "Deployment"), GroupKind(group: "apps", kind: "StatefulSet"),
        GroupKind(group: "apps", kind: "DaemonSet"), GroupKind(group: "apps", kind: "ReplicaSet"),
    ]

    /// The watches that waiting for `objects` needs: each object's kind where it lives,
    /// and what its health rule reads besides the object.
    static func feeds(for objects: [Value], labelSelector: String?) -> [Feed] {
        var feeds: [Feed] = []
        func add(_ feed: Feed) { if !feeds.contains(feed) { feeds.append(feed) } }
        for object in objects {
            guard let reference = ObjectReference(object: object) else { continue }
            add(Feed(apiVersion: reference.apiVersion, kind: reference.kind, namespace: reference.namespace,
                     labelSelector: labelSelector, role: .target))
            if workloadKinds.contains(reference.groupKind) {
                add(Feed(apiVersion: "v1", kind: "Pod", namespace: reference.namespace, labelSelector: nil, role: .pod))
            }
            if reference.kind == "PersistentVolumeClaim" {
                add(Feed(apiVersion: "storage.k8s.io/v1", kind: "StorageClass", namespace: nil, labelSelector: nil,
                         role: .storageClass))
            }
            for webhook in object["webhooks"].listValue ?? [] {
                guard let namespace = webhook["clientConfig"]["service"]["namespace"].stringValue else { continue }
                add(Feed(apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", namespace: namespace,
                         labelSelector: nil, role: .endpoints))
            }
        }
        return feeds
    }
}

/// The latest state of everything the waiter watches, and a signal on every change.
private actor Observations {
    private var seen: [HealthWaiter.Feed.Role: [ObjectKey: Value]] = [:]
    /// Targets a watch reported deleted and nothing has shown since: they will not become
    /// healthy however long the wait goes on.
    private var deletedTargets: Set<ObjectKey> = []
    /// Coalescing: the assessor needs to know *that* something changed, not how often.
    nonisolated let changes: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init() {
        (changes, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func record(_ event: WatchEvent, as role: HealthWaiter.Feed.Role) {
        guard let reference = ObjectReference(object: event.object) else {
            signal.yield()  // `synced`: the initial state is complete, worth assessing
            return
        }
        let key = ObjectKey(reference)
        if case .deleted = event {
            seen[role]?[key] = nil
            if role == .target { deletedTargets.insert(key) }
        } else {
            seen[role, default: [:]][key] = event.object
            if role == .target { deletedTargets.remove(key) }
        }
        signal.yield()
    }

    /// Replaces what `feed` reported with `objects`, a fresh listing of the same selection.
    func replace(_ feed: HealthWaiter.Feed, with objects: [Value]) {
        let kind = GroupKind(apiVersion: feed.apiVersion, kind: feed.kind)
        seen[feed.role, default: [:]] = seen[feed.role, default: [:]].filter { key, _ in
            key.groupKind != kind || (feed.namespace != nil && key.namespace != feed.namespace)
        }
        for object in objects {
            guard let reference = ObjectReference(object: object) else { continue }
            seen[feed.role, default: [:]][ObjectKey(reference)] = object
            if feed.role == .target { deletedTargets.remove(ObjectKey(reference)) }
        }
    }

    private func values(_ role: HealthWaiter.Feed.Role) -> [Value] { Array(seen[role, default: [:]].values) }

    struct Verdict {
        var ready = 0
        var waiting: [NotReady] = []
        var failure: (reference: ObjectReference, reason: HealthReason)?
        var deleted: ObjectReference?

        /// Throws when waiting longer cannot help: an object was deleted, or one failed.
        func checkNotFailed(component: String) throws(InstallError) {
            if let deleted { throw .deletedWhileWaiting(component: component, object: deleted) }
            if let failure { throw .unhealthy(component: component, object: failure.reference, reason: failure.reason) }
        }
    }

    func assess(_ desired: [DesiredObject], now: Date) -> Verdict {
        let context = HealthContext(
            now: now, pods: values(.pod), storageClasses: values(.storageClass), endpoints: values(.endpoints))
        var verdict = Verdict()
        for object in desired {
            let key = ObjectKey(object.reference)
            guard let live = seen[.target]?[key] else {
                if deletedTargets.contains(key), verdict.deleted == nil { verdict.deleted = object.reference }
                verdict.waiting.append(NotReady(
                    reference: object.reference, status: .inProgress("NotObserved", "not seen in the cluster yet")))
                continue
            }
            let status = Health.assess(live, context: context)
            switch status {
            case .current: verdict.ready += 1
            case let .failed(reason):
                if verdict.failure == nil { verdict.failure = (object.reference, reason) }
                verdict.waiting.append(NotReady(reference: object.reference, status: status))
            case .inProgress, .unknown:
                verdict.waiting.append(NotReady(reference: object.reference, status: status))
            }
        }
        return verdict
    }
}
