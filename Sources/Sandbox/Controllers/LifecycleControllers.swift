import Unstructured

/// Namespaces (default ServiceAccount and root CA ConfigMap on creation; contents deleted, then the
/// namespace itself, on termination), CRDs (NamesAccepted/Established; their objects removed on
/// deletion) and the garbage collector (background, foreground and orphan propagation).
enum LifecycleControllers {
    static let crdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    static func namespaces(_ c: ControllerContext) {
        let namespacedKeys = c.state.registry.all.filter(\.namespaced).map(\.storageKey)
        var seen = Set<StorageKey>()
        let keys = namespacedKeys.filter { seen.insert($0).inserted }
        for namespace in c.list("", "namespaces") {
            let name = namespace.name
            if !namespace.isDeleting {
                if c.get("", "serviceaccounts", namespace: name, name: "default") == nil {
                    c.create(["apiVersion": "v1", "kind": "ServiceAccount",
                              "metadata": ["name": "default", "namespace": .string(name)]],
                             group: "", resource: "serviceaccounts")
                }
                if let ca = c.state.credentials?.caCertificatePEM,
                   c.get("", "configmaps", namespace: name, name: "kube-root-ca.crt") == nil {
                    c.create(["apiVersion": "v1", "kind": "ConfigMap",
                              "metadata": ["name": "kube-root-ca.crt", "namespace": .string(name),
                                           "annotations": ["kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."]],
                              "data": ["ca.crt": .string(ca)]],
                             group: "", resource: "configmaps")
                }
                continue
            }
            var remaining = 0
            for key in keys {
                guard let type = c.state.registry.preferred(key) else { continue }
                for object in c.state.store.list(key, namespace: name) {
                    remaining += 1
                    if !object.isDeleting { _ = try? c.state.deleteObject(object, type: type, propagation: "Background") }
                }
            }
            if remaining == 0, let type = c.type("", "namespaces") {
                c.state.store.remove(type.storageKey, namespace: "", name: name)
                c.state.didWrite(type)
            }
        }
    }

    static func customResourceDefinitions(_ c: ControllerContext) {
        for crd in c.list("apiextensions.k8s.io", "customresourcedefinitions") {
            if crd.isDeleting {
                removeCustomObjects(c, crd: crd)
                continue
            }
            guard !ResourceRegistry.isEstablished(crd), c.isDue(crd) else { continue }
            var conditions = crd["status"]["conditions"].listValue ?? []
            conditions = c.setting(conditions, type: "NamesAccepted", status: "True", reason: "NoConflicts",
                                   message: "no conflicts found")
            conditions = c.setting(conditions, type: "Established", status: "True", reason: "InitialNamesAccepted",
                                   message: "the initial names have been accepted")
            let storage = (crd["spec"]["versions"].listValue ?? []).first { $0["storage"].boolValue == true }?["name"]
                ?? crd["spec"]["versions"][0]["name"]
            c.setStatus(crd, ["acceptedNames": crd["spec"]["names"], "conditions": .list(conditions),
                              "storedVersions": [storage]],
                        group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
        }
    }

    /// A deleted CRD's objects are deleted (their finalizers still honoured), then the CRD goes.
    private static func removeCustomObjects(_ c: ControllerContext, crd: Value) {
        guard let group = crd["spec"]["group"].stringValue, let plural = crd["spec"]["names"]["plural"].stringValue else { return }
        let key = StorageKey(group: group, resource: plural)
        let type = c.state.registry.preferred(key) ?? ResourceRegistry.resourceTypes(fromCRD: established(crd)).first
        let objects = c.state.store.list(key, namespace: nil)
        if let type {
            for object in objects where !object.isDeleting {
                _ = try? c.state.deleteObject(object, type: type, propagation: "Background")
            }
        }
        guard c.state.store.list(key, namespace: nil).isEmpty else { return }
        var proposed = crd
        proposed[path: ["metadata", "finalizers"]] = .list(crd.finalizers.filter { $0 != crdCleanupFinalizer }.map(Value.string))
        c.update(crd, proposed, group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
        c.state.store.dropAll(key)
    }

    private static func established(_ crd: Value) -> Value {
        var copy = crd
        copy[path: ["metadata", "deletionTimestamp"]] = .null
        copy[path: ["status", "conditions"]] = [["type": "Established", "status": "True"]]
        return copy
    }

    /// Dependents whose owners are gone are deleted; foreground owners wait for their blocking
    /// dependents; orphaning owners release theirs.
    static func garbageCollect(_ c: ControllerContext) {
        var uids = Set<String>()
        var seen = Set<StorageKey>()
        let types = c.state.registry.all.filter { seen.insert($0.storageKey).inserted }
        var dependents: [(ResourceType, Value)] = []
        for type in types {
            for object in c.state.store.unordered(type.storageKey) {
                uids.insert(object.uid)
                if !object.ownerReferences.isEmpty { dependents.append((type, object)) }
            }
        }
        c.controllers.forget(allBut: uids)
        for (type, object) in dependents where !object.isDeleting {
            let alive = object.ownerReferences.contains { uids.contains($0["uid"].stringValue ?? "") }
            if !alive { _ = try? c.state.deleteObject(object, type: type, propagation: "Background") }
        }
        for type in types {
            for owner in c.state.store.unordered(type.storageKey) where owner.isDeleting {
                let children = dependents.filter { $0.1.ownerReferences.contains { $0["uid"].stringValue == owner.uid } }
                if owner.finalizers.contains("orphan") {
                    for (childType, child) in children {
                        guard let current = c.state.store.get(childType.storageKey, namespace: child.namespace, name: child.name) else { continue }
                        var proposed = current
                        let kept = current.ownerReferences.filter { $0["uid"].stringValue != owner.uid }
                        proposed[path: ["metadata", "ownerReferences"]] = kept.isEmpty ? .null : .list(kept)
                        _ = try? c.state.updateObject(current: current, proposed: proposed, type: childType, subresource: nil,
                                                      manager: "kube-controller-manager")
                    }
                    removeFinalizer("orphan", from: owner, type: type, c)
                } else if owner.finalizers.contains("foregroundDeletion") {
                    let live = children.filter { c.state.store.get($0.0.storageKey, namespace: $0.1.namespace, name: $0.1.name) != nil }
                    for (childType, child) in live where !child.isDeleting {
                        _ = try? c.state.deleteObject(child, type: childType, propagation: "Foreground")
                    }
                    if live.isEmpty { removeFinalizer("foregroundDeletion", from: owner, type: type, c) }
                }
            }
        }
    }

    private static func removeFinalizer(_ finalizer: String, from owner: Value, type: ResourceType, _ c: ControllerContext) {
        guard let current = c.state.store.get(type.storageKey, namespace: owner.namespace, name: owner.name) else { return }
        var proposed = current
        let kept = current.finalizers.filter { $0 != finalizer }
        proposed[path: ["metadata", "finalizers"]] = kept.isEmpty ? .null : .list(kept.map(Value.string))
        _ = try? c.state.updateObject(current: current, proposed: proposed, type: type, subresource: nil,
                                      manager: "kube-controller-manager")
    }
}
