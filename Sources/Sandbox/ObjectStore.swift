import Unstructured

/// One change as watchers see it.
public struct WatchEvent: Sendable {
    public var type: String
    public var object: Value
    public var storageKey: StorageKey
    public var namespace: String
    public var revision: Int
    /// The object before a MODIFIED change, so selector watches can turn it into ADDED or DELETED.
    public var previous: Value?
}

/// Receives the events of one storage key; the REST layer filters and frames them.
protocol WatchSubscriber: AnyObject, Sendable {
    func deliver(_ event: WatchEvent)
    func bookmark(revision: Int)
}

/// The in-memory etcd: objects by storage key and namespace/name, one global revision counter
/// (resourceVersion is the revision of an object's last write, as in etcd), and a bounded
/// history of events so watches can resume. Not thread-safe: `Cluster` serializes access.
final class ObjectStore {
    private(set) var revision: Int
    private var buckets: [StorageKey: [String: Value]] = [:]
    private var history: [WatchEvent] = []
    private var historyStart = 0
    /// Watches asking for revisions older than this get 410 Expired.
    private(set) var compactedRevision: Int
    private let historyLimit: Int
    private var subscribers: [StorageKey: [ObjectIdentifier: any WatchSubscriber]] = [:]

    init(startRevision: Int = 100, historyLimit: Int = 50_000) {
        revision = startRevision
        compactedRevision = startRevision
        self.historyLimit = historyLimit
    }

    static func slot(_ namespace: String, _ name: String) -> String { namespace + "/" + name }

    func get(_ key: StorageKey, namespace: String, name: String) -> Value? {
        buckets[key]?[Self.slot(namespace, name)]
    }

    /// Objects in etcd key order (namespace, then name), as kube-apiserver lists them. Only the
    /// objects `include` accepts are sorted, so a selector that picks 500 of 10,000 objects
    /// sorts 500.
    func list(_ key: StorageKey, namespace: String?, where include: (Value) -> Bool = { _ in true }) -> [Value] {
        guard let bucket = buckets[key] else { return [] }
        let prefix = namespace.map { $0 + "/" }
        var picked: [(slot: String, object: Value)] = []
        for (slot, object) in bucket where (prefix.map { slot.hasPrefix($0) } ?? true) && include(object) {
            picked.append((slot, object))
        }
        return picked.sorted { $0.slot < $1.slot }.map(\.object)
    }


    /// Objects in no particular order, for controllers that scan everything (no sorting cost).
    func unordered(_ key: StorageKey) -> Dictionary<String, Value>.Values {
        (buckets[key] ?? [:]).values
    }

    /// Stores `object` under a new revision and returns it with `metadata.resourceVersion` set.
    @discardableResult
    func write(_ key: StorageKey, _ object: Value, type: String) -> Value {
        revision += 1
        var stored = object
        stored[path: ["metadata", "resourceVersion"]] = .string(String(revision))
        let namespace = stored["metadata"]["namespace"].stringValue ?? ""
        let name = stored["metadata"]["name"].stringValue ?? ""
        let previous = updateBucket(key) { $0.updateValue(stored, forKey: Self.slot(namespace, name)) }
        record(WatchEvent(type: type, object: stored, storageKey: key, namespace: namespace, revision: revision,
                          previous: previous))
        return stored
    }

    /// Removes the object; the DELETED event carries the final object at the deletion's revision.
    @discardableResult
    func remove(_ key: StorageKey, namespace: String, name: String) -> Value? {
        guard var object = updateBucket(key, { $0.removeValue(forKey: Self.slot(namespace, name)) }) else { return nil }
        revision += 1
        object[path: ["metadata", "resourceVersion"]] = .string(String(revision))
        record(WatchEvent(type: "DELETED", object: object, storageKey: key, namespace: namespace, revision: revision,
                          previous: nil))
        return object
    }

    /// Mutates one bucket after taking it out of `buckets`, so the dictionary is uniquely referenced
    /// and changed in place rather than copied on every write.
    @discardableResult
    private func updateBucket<T>(_ key: StorageKey, _ change: (inout [String: Value]) -> T) -> T {
        var bucket = buckets.removeValue(forKey: key) ?? [:]
        defer { buckets[key] = bucket }
        return change(&bucket)
    }

    /// Drops every object of a storage key without events (a CRD's storage going away after its objects were deleted).
    func dropAll(_ key: StorageKey) { buckets[key] = nil }

    /// Restores objects read from a state file, keeping their resourceVersions.
    func restore(_ key: StorageKey, _ object: Value) {
        let namespace = object["metadata"]["namespace"].stringValue ?? ""
        let name = object["metadata"]["name"].stringValue ?? ""
        updateBucket(key) { $0[Self.slot(namespace, name)] = object }
        if let rv = object["metadata"]["resourceVersion"].stringValue.flatMap(Int.init), rv > revision {
            revision = rv
            compactedRevision = rv
        }
    }

    func setRevisionFloor(_ floor: Int) {
        if floor > revision { revision = floor; compactedRevision = floor }
    }

    private func record(_ event: WatchEvent) {
        history.append(event)
        if history.count - historyStart > historyLimit {
            compactedRevision = history[historyStart].revision
            historyStart += 1
            if historyStart > historyLimit {
                history.removeFirst(historyStart)
                historyStart = 0
            }
        }
        for subscriber in subscribers[event.storageKey]?.values ?? [:].values {
            subscriber.deliver(event)
        }
    }

    /// Events of `key` after `revision`, or nil when that revision has been compacted away.
    func events(after revision: Int, key: StorageKey) -> [WatchEvent]? {
        guard revision >= compactedRevision else { return nil }
        var result: [WatchEvent] = []
        for index in historyStart..<history.count {
            let event = history[index]
            if event.revision > revision, event.storageKey == key { result.append(event) }
        }
        return result
    }

    func subscribe(_ key: StorageKey, _ subscriber: any WatchSubscriber) {
        subscribers[key, default: [:]][ObjectIdentifier(subscriber)] = subscriber
    }

    func unsubscribe(_ key: StorageKey, _ subscriber: any WatchSubscriber) {
        subscribers[key]?[ObjectIdentifier(subscriber)] = nil
    }

    /// Everything, for the state file.
    func snapshot() -> [(StorageKey, Value)] {
        buckets.sorted { $0.key < $1.key }.flatMap { key, bucket in
            bucket.keys.sorted().compactMap { slot in bucket[slot].map { (key, $0) } }
        }
    }
}
