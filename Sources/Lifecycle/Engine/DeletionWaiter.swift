import Unstructured

/// Waits, driven by watches, until a set of objects is gone; at the deadline returns the
/// ones still there with the finalizers that hold them.
struct DeletionWaiter: Sendable {
    let cluster: any Cluster

    func wait(for targets: [ObjectReference], until deadline: ContinuousClock.Instant) async throws -> [StuckObject] {
        guard !targets.isEmpty else { return [] }
        let remaining = Remaining(targets)
        var feeds: [ObjectReference] = []
        for target in targets where !feeds.contains(where: { $0.groupKind == target.groupKind && $0.namespace == target.namespace }) {
            feeds.append(target)
        }
        let unconfirmed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for feed in feeds {
                group.addTask {
                    for try await event in cluster.watch(
                        apiVersion: feed.apiVersion, kind: feed.kind, namespace: feed.namespace, labelSelector: nil)
                    {
                        if await remaining.record(event, feed: feed) { return true }
                    }
                    return false
                }
            }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return false
            }
            while let done = try await group.next() {
                if done || ContinuousClock.now >= deadline { break }
            }
            group.cancelAll()
            return await remaining.stuck
        }
        return await confirmed(unconfirmed)
    }

    /// Reads each object again before calling it stuck: a watch may lag behind the server
    /// (or, on a busy machine, hold events not yet handled when the deadline came), and an
    /// object reported stuck by mistake would fail an uninstall that had succeeded. An
    /// object that cannot be read stays reported as the watch last saw it.
    private func confirmed(_ stuck: [StuckObject]) async -> [StuckObject] {
        var still: [StuckObject] = []
        for object in stuck {
            let live: Value?
            do {
                live = try await cluster.get(object.reference)
            } catch {
                still.append(object)
                continue
            }
            guard let live else { continue }
            still.append(StuckObject(reference: object.reference, finalizers: Remaining.finalizers(of: live)))
        }
        return still
    }
}

/// The targets not yet seen gone, with what they last looked like.
private actor Remaining {
    private var objects: [ObjectKey: (reference: ObjectReference, finalizers: [String])]
    /// Targets each feed reported before its `synced`: the ones that still existed.
    private var listed: [ObjectKey: Bool] = [:]

    init(_ targets: [ObjectReference]) {
        objects = Dictionary(targets.map { (ObjectKey($0), ($0, [])) }, uniquingKeysWith: { first, _ in first })
    }

    /// Returns true once nothing remains.
    func record(_ event: WatchEvent, feed: ObjectReference) -> Bool {
        if case .synced = event {
            // Objects already gone send no event at all: absent from the initial listing means gone.
            let feedKey = ObjectKey(feed)
            for key in objects.keys
            where key.groupKind == feedKey.groupKind && key.namespace == feedKey.namespace && listed[key] == nil {
                objects[key] = nil
            }
            return objects.isEmpty
        }
        guard let reference = ObjectReference(object: event.object) else { return objects.isEmpty }
        if case .added = event { listed[ObjectKey(reference)] = true }
        let key = ObjectKey(reference)
        guard let known = objects[key] else { return objects.isEmpty }
        if case .deleted = event { return remove(key) }
        objects[key] = (known.reference, Self.finalizers(of: event.object))
        return false
    }

    static func finalizers(of object: Value) -> [String] {
        (object["metadata"]["finalizers"].listValue ?? []).compactMap(\.stringValue)
    }

    func remove(_ key: ObjectKey) -> Bool {
        objects[key] = nil
        return objects.isEmpty
    }

    var stuck: [StuckObject] {
        objects.values.map { StuckObject(reference: $0.reference, finalizers: $0.finalizers) }
            .sorted { $0.reference < $1.reference }
    }
}
