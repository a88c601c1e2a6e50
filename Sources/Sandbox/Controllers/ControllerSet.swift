import FoundationEssentials
import Unstructured

/// The simulated kube-controller-manager, kubelet and add-on controllers. Each pass looks at the
/// current objects and writes what a real controller would, through the same write path as
/// clients (so watches, resourceVersions and managedFields behave the same).
final class ControllerSet {
    let options: SandboxOptions
    /// When each object (by uid) was first seen, to apply `--ready-delay`.
    private var firstSeen: [String: Date] = [:]
    private var lastGarbageCollection = Date.distantPast
    /// The store revision the last garbage collection started from: the collector's outcome
    /// depends only on stored objects, so with no write since, a pass would find nothing to do
    /// (and thousands of unrelated objects are not rescanned twice a second).
    private var lastCollectedRevision = -1
    /// Services (namespace/name) at the end of the last pass: the endpoints controller deletes a
    /// Service's Endpoints when it sees the Service go, which a pass notices as a name missing here.
    var servicesLastSeen: Set<String> = []

    init(options: SandboxOptions) { self.options = options }

    func reconcile(_ state: ClusterState, now: Date) {
        let context = ControllerContext(state: state, now: now, controllers: self)
        LifecycleControllers.namespaces(context)
        LifecycleControllers.customResourceDefinitions(context)
        WorkloadControllers.deployments(context)
        WorkloadControllers.replicaSets(context)
        WorkloadControllers.statefulSets(context)
        WorkloadControllers.daemonSets(context)
        WorkloadControllers.jobs(context)
        WorkloadControllers.kubelet(context)
        NetworkControllers.services(context)
        NetworkControllers.endpoints(context)
        StorageController.persistentVolumeClaims(context)
        AddonControllers.knative(context)
        AddonControllers.operators(context)
        if now.timeIntervalSince(lastGarbageCollection) >= 0.5, state.store.revision != lastCollectedRevision {
            lastGarbageCollection = now
            lastCollectedRevision = state.store.revision
            LifecycleControllers.garbageCollect(context)
        }
    }

    /// Forgets objects that no longer exist.
    func forget(allBut liveUIDs: Set<String>) {
        firstSeen = firstSeen.filter { liveUIDs.contains($0.key) }
    }

    /// Whether `object` has existed at least the ready delay of its kind.
    func isDue(_ object: Value, kind: String, now: Date) -> Bool {
        let uid = object.uid
        let seen = firstSeen[uid] ?? now
        if firstSeen[uid] == nil { firstSeen[uid] = now }
        return now.timeIntervalSince(seen) >= options.readyDelay(forKind: kind)
    }
}

/// What a controller pass needs, with the write helpers every controller shares.
struct ControllerContext {
    let state: ClusterState
    let now: Date
    let controllers: ControllerSet
    static let manager = "kube-controller-manager"

    func type(_ group: String, _ resource: String) -> ResourceType? { state.type(group, resource) }

    func list(_ group: String, _ resource: String, namespace: String? = nil) -> [Value] {
        guard let type = type(group, resource) else { return [] }
        return state.store.list(type.storageKey, namespace: namespace)
    }

    func get(_ group: String, _ resource: String, namespace: String, name: String) -> Value? {
        guard let type = type(group, resource) else { return nil }
        return state.store.get(type.storageKey, namespace: namespace, name: name)
    }

    func isDue(_ object: Value) -> Bool {
        controllers.isDue(object, kind: object["kind"].stringValue ?? "", now: now)
    }

    /// Writes `status` through the status subresource when it differs.
    func setStatus(_ object: Value, _ status: Value, group: String, resource: String) {
        guard let type = type(group, resource), object["status"] != status else { return }
        var proposed = object
        proposed["status"] = status
        _ = try? state.updateObject(current: object, proposed: proposed, type: type,
                                    subresource: type.hasStatus ? "status" : nil, manager: Self.manager)
    }

    /// Writes a changed object through the main resource.
    func update(_ object: Value, _ proposed: Value, group: String, resource: String) {
        guard let type = type(group, resource), object != proposed else { return }
        _ = try? state.updateObject(current: object, proposed: proposed, type: type, subresource: nil,
                                    manager: Self.manager)
    }

    @discardableResult
    func create(_ object: Value, group: String, resource: String) -> Value? {
        guard let type = type(group, resource) else { return nil }
        return try? state.createObject(object, type: type, manager: Self.manager)
    }

    func delete(_ object: Value, group: String, resource: String, propagation: String? = nil) {
        guard let type = type(group, resource) else { return }
        _ = try? state.deleteObject(object, type: type, propagation: propagation)
    }

    func ownerReference(to owner: Value, blockOwnerDeletion: Bool = true) -> Value {
        ["apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": .string(owner.name),
         "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": .bool(blockOwnerDeletion)]
    }

    func owned(by owner: Value, _ group: String, _ resource: String) -> [Value] {
        list(group, resource, namespace: owner.namespace).filter { child in
            child.ownerReferences.contains { $0["uid"].stringValue == owner.uid }
        }
    }

    /// A condition list with `type` set, keeping lastTransitionTime when the status did not change.
    func setting(_ conditions: [Value], type: String, status: String, reason: String, message: String,
                 withUpdateTime: Bool = false) -> [Value] {
        var result = conditions
        let stamp = Value.string(state.timestamp)
        if let index = result.firstIndex(where: { $0["type"].stringValue == type }) {
            var condition = result[index]
            if condition["status"].stringValue != status { condition["lastTransitionTime"] = stamp }
            condition["status"] = .string(status)
            if condition["reason"].stringValue != reason, withUpdateTime { condition["lastUpdateTime"] = stamp }
            condition["reason"] = .string(reason)
            condition["message"] = .string(message)
            result[index] = condition
        } else {
            var condition: Value = ["type": .string(type), "status": .string(status)]
            if withUpdateTime { condition["lastUpdateTime"] = stamp }
            condition["lastTransitionTime"] = stamp
            condition["reason"] = .string(reason)
            condition["message"] = .string(message)
            result.append(condition)
        }
        return result
    }

    /// A stable short hash for pod-template-hash and controller-revision-hash.
    static func hash(_ value: Value, length: Int = 10) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in BodyCodec.encode(value) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var text = ""
        for _ in 0..<length {
            text.append(alphabet[Int(hash % UInt64(alphabet.count))])
            hash /= UInt64(alphabet.count)
            if hash == 0 { hash = 0x9E37_79B9_7F4A_7C15 }
        }
        return text
    }
}
