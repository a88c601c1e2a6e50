import Unstructured

/// What to remove: the SeldonOperator whose records name the stack's objects.
public struct UninstallRequest: Sendable {
    public var instance: String
    public var namespace: String
    /// Also delete volume claims, namespaces and CRDs (and with them every resource of
    /// those CRDs in the cluster).
    public var purge: Bool
    /// Remove finalizers still holding objects at the deadline, instead of stopping.
    public var forceRemoveFinalizers: Bool
    /// The SeldonOperator CRD, deleted last when purging; it is not in any component's record.
    public var operatorDefinition: ObjectReference?

    public init(
        instance: String, namespace: String, purge: Bool = false, forceRemoveFinalizers: Bool = false,
        operatorDefinition: ObjectReference? = nil
    ) {
        self.instance = instance
        self.namespace = namespace
        self.purge = purge
        self.forceRemoveFinalizers = forceRemoveFinalizers
        self.operatorDefinition = operatorDefinition
    }
}

extension Engine {
    /// Removes the stack wave by wave (`UninstallWave`), waiting for each wave's objects to
    /// be gone before the next starts, so operators are still running while the custom
    /// resources whose finalizers they hold are deleted.
    ///
    /// Custom resources include every object of the kinds the stack's CRDs define, in any
    /// namespace, not only those the stack created: once their operator is gone nothing
    /// could remove their finalizers. The records are deleted last, so an interrupted
    /// uninstall is finished by running it again. An object still held by a finalizer at
    /// the deadline is reported by name and finalizer (`InstallError.stuckFinalizers`),
    /// unless `forceRemoveFinalizers` asks to remove them.
    public func uninstall(_ request: UninstallRequest) async throws {
        let start = ContinuousClock.now
        let run = UninstallRun(engine: self, request: request, start: start, deadline: start + timeout)
        let namespace = ObjectReference(apiVersion: "v1", kind: "Namespace", name: request.namespace)
        guard try await cluster.get(namespace) != nil else {
            run.emit(.finished(succeeded: true, message: "nothing installed: namespace \(request.namespace) does not exist"))
            return
        }
        try await locked(instance: request.instance, namespace: request.namespace) { try await run.execute() }
    }
}

struct UninstallRun: Sendable {
    /// With `forceRemoveFinalizers`, the end of the timeout kept for removing finalizers and
    /// seeing their objects go, so that forcing too ends within the timeout: a quarter of it,
    /// at most ten seconds.
    var forcingReserve: Duration { min(.seconds(10), engine.timeout / 4) }

    let engine: Engine
    let request: UninstallRequest
    let start: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant

    var cluster: any Cluster { engine.cluster }

    func emit(_ change: ProgressEvent.Change) {
        engine.progress(ProgressEvent(component: nil, elapsed: ContinuousClock.now - start, change: change))
    }

    func execute() async throws {
        do {
            try await removeAll()
            emit(.finished(succeeded: true, message: "uninstalled"))
        } catch {
            emit(.finished(succeeded: false, message: String(describing: error)))
            throw error
        }
    }

    private func removeAll() async throws {
        let history = History(cluster: cluster, instance: request.instance, namespace: request.namespace)
        let records = try await history.byComponent()
        emit(.started(operation: "uninstall", revision: nil, components: records.keys.sorted()))
        let inventory = records.values.flatMap { PrunePlan.inventory(history: $0) }
        var waves: [UninstallWave: [ObjectReference]] = [:]
        for entry in inventory {
            if let live = try await cluster.get(entry.reference),
                !PrunePlan.shouldDelete(live, entry: entry, instance: request.instance)
            {
                continue
            }
            waves[UninstallWave.of(entry.reference.groupKind), default: []].append(entry.reference)
        }
        waves[.customResources, default: []] += try await instancesOfStackKinds(inventory.map(\.reference))
        if request.purge {
            waves[.volumeClaims, default: []] += try await statefulSetClaims(waves[.statefulStores] ?? [])
            if let definition = request.operatorDefinition { waves[.customResourceDefinitions, default: []].append(definition) }
        }
        // The namespace holding the records and the lock goes last, after the records.
        let recordsNamespace = waves[.namespaces]?.first { $0.name == request.namespace }
        waves[.namespaces]?.removeAll { $0.name == request.namespace }

        for wave in UninstallWave.allCases where !wave.requiresPurge || request.purge {
            try await delete(Array(Set(waves[wave] ?? [])).sorted(), wave: wave)
        }
        try await history.deleteAll()
        let operatorObject = try await cluster.list(
            apiVersion: "operator.seldon.io/v1alpha1", kind: "SeldonOperator", namespace: request.namespace, labelSelector: nil
        ).first { $0["metadata"]["name"].stringValue == request.instance }
        if let operatorObject, let reference = ObjectReference(object: operatorObject) {
            try await delete([reference], wave: .customResources)
        }
        if let recordsNamespace { try await delete([recordsNamespace], wave: .namespaces) }
    }

    /// Every object, in every namespace, of the kinds the stack's CRDs define (the
    /// SeldonOperator itself excepted: it goes last).
    private func instancesOfStackKinds(_ inventory: [ObjectReference]) async throws -> [ObjectReference] {
        var found: [ObjectReference] = []
        for reference in inventory where reference.groupKind == GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition") {
            guard let definition = try await cluster.get(reference),
                let group = definition["spec"]["group"].stringValue, let kind = definition["spec"]["names"]["kind"].stringValue,
                let version = (definition["spec"]["versions"].listValue ?? []).first(where: { $0["served"].boolValue ?? true })?["name"].stringValue
            else { continue }
            if group == "operator.seldon.io" && kind == "SeldonOperator" { continue }
            let objects = try await cluster.list(apiVersion: "\(group)/\(version)", kind: kind, namespace: nil, labelSelector: nil)
            found += objects.compactMap { ObjectReference(object: $0) }
        }
        return found
    }

    /// The claims a StatefulSet's `volumeClaimTemplates` created: `<template>-<set>-<ordinal>`.
    private func statefulSetClaims(_ statefulSets: [ObjectReference]) async throws -> [ObjectReference] {
        var claims: [ObjectReference] = []
        for reference in statefulSets {
            guard let live = try await cluster.get(reference) else { continue }
            let replicas = live["spec"]["replicas"].count ?? 1
            for template in live["spec"]["volumeClaimTemplates"].listValue ?? [] {
                guard let name = template["metadata"]["name"].stringValue else { continue }
                for ordinal in 0..<max(replicas, 0) {
                    claims.append(ObjectReference(
                        apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: reference.namespace,
                        name: "\(name)-\(reference.name)-\(ordinal)"))
                }
            }
        }
        return claims
    }

    private func delete(_ references: [ObjectReference], wave: UninstallWave) async throws {
        guard !references.isEmpty else { return }
        emit(.deleting(wave: wave, count: references.count))
        for reference in references {
            if try await cluster.delete(reference) { emit(.deleted(reference)) }
        }
        let waiter = DeletionWaiter(cluster: cluster)
        // Every wait ends by the deadline: past it, a wave's objects are read once, and
        // those that did not go at once are reported (or forced).
        let stuck = try await waiter.wait(
            for: references, until: request.forceRemoveFinalizers ? deadline - forcingReserve : deadline)
        guard !stuck.isEmpty else { return }
        guard request.forceRemoveFinalizers else {
            for object in stuck { emit(.stuck(object)) }
            throw InstallError.stuckFinalizers(stuck)
        }
        for object in stuck {
            _ = try await cluster.mergePatch(object.reference, patch: ["metadata": ["finalizers": .null]])
            emit(.finalizersRemoved(object.reference))
        }
        let still = try await waiter.wait(for: stuck.map(\.reference), until: deadline)
        if !still.isEmpty { throw InstallError.stuckFinalizers(still) }
    }
}
