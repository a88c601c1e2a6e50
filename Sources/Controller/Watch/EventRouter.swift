import Lifecycle
import Unstructured

/// Decides which SeldonOperators a watch event concerns. Level-based: it only picks keys;
/// the reconciler reads the objects. It remembers no object contents, only a few fields
/// per object, so memory follows the number of the stack's own objects and nothing else.
///
/// - A SeldonOperator is queued when something a reconcile acts on changes (generation,
///   deletion, finalizers), not for the controller's own status writes.
/// - When a SeldonOperator disappears, every other one is queued: one of them may now be
///   in charge of the stack (`SingleStackRule`).
/// - An owned object's change queues the SeldonOperator named by its instance label;
///   events repeating a resourceVersion already seen (the replay after a watch restarts)
///   queue nothing.
struct EventRouter: Sendable {
    /// What a reconcile of a SeldonOperator depends on.
    private struct Fingerprint: Equatable {
        var generation: Int?
        var deleting: Bool
        var finalizers: Value

        init(_ object: Value) {
            generation = object["metadata"]["generation"].intValue
            deleting = !object["metadata"]["deletionTimestamp"].isNull
            finalizers = object["metadata"]["finalizers"]
        }
    }

    private var operators: [ResourceKey: Fingerprint] = [:]
    private var owned: [ObjectReference: String] = [:]

    /// Every SeldonOperator seen, for resyncs.
    var operatorKeys: [ResourceKey] { operators.keys.sorted() }
    /// How many objects are remembered: the cache-size figures `/metrics` shows.
    var operatorCount: Int { operators.count }
    var ownedCount: Int { owned.count }

    mutating func operatorEvent(_ event: WatchEvent) -> [ResourceKey] {
        let key = SingleStackRule.key(event.object)
        switch event {
        case .added, .modified:
            let fingerprint = Fingerprint(event.object)
            guard operators[key] != fingerprint else { return [] }
            operators[key] = fingerprint
            return [key]
        case .deleted:
            operators[key] = nil
            return operatorKeys
        case .synced:
            return []
        }
    }

    mutating func ownedEvent(_ event: WatchEvent) -> [ResourceKey] {
        guard let reference = ObjectReference(object: event.object) else { return [] }
        let version = event.object["metadata"]["resourceVersion"].stringValue ?? ""
        switch event {
        case .added, .modified:
            guard owned[reference] != version else { return [] }
            owned[reference] = version
        case .deleted:
            guard owned.removeValue(forKey: reference) != nil else { return [] }
        case .synced:
            return []
        }
        guard let instance = event.object["metadata"]["labels"][Ownership.instanceLabel].stringValue else { return [] }
        return operators.keys.filter { $0.name == instance }.sorted()
    }
}
