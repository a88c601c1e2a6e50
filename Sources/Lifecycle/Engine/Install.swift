import FoundationEssentials
import Unstructured

/// What an install did, per component.
public struct InstallSummary: Sendable {
    /// The revision recorded; nil when nothing changed and no record was written.
    public var revision: Int?
    public var components: [ComponentReport]
    /// Objects written (created or changed) by this run.
    public var writes: Int
}

extension Engine {
    /// Installs or upgrades the stack to `plan`, under the lock.
    ///
    /// - The SeldonOperator (and its CRD) first; then the CRDs and Namespaces of every
    ///   component, waited for; then the components, each as soon as the ones it depends
    ///   on are healthy, several at once.
    /// - An object whose desired state is already live is not written; a component whose
    ///   objects and values did not change gets no new record. An identical second install
    ///   writes nothing.
    /// - A failed object stops the install at once; every record says how far it got.
    /// - Components in earlier records but absent from `plan` are removed at the end.
    public func install(_ plan: InstallPlan) async throws -> InstallSummary {
        let components = try plan.prepared()
        let start = ContinuousClock.now
        let run = InstallRun(engine: self, plan: plan, components: components, start: start, deadline: start + timeout)
        // Nothing to write: verify health without taking the lock, whose lease would be
        // the only write of an identical second install. Should anything need writing
        // after all (the cluster changed meanwhile), take the lock and start over.
        do {
            return try await run.readOnly().execute()
        } catch is InstallRun.NeedsLock {}
        try await ensureNamespace(plan.namespace)
        return try await locked(instance: plan.instance, namespace: plan.namespace) {
            try await run.execute()
        }
    }
}

/// One install: the plan, the clock, and the steps.
struct InstallRun: Sendable {
    let engine: Engine
    let plan: InstallPlan
    let components: [PreparedComponent]
    let start: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant
    let writes = WriteCounter()
    /// Set for the lock-free attempt: any write throws `NeedsLock` instead.
    private(set) var isReadOnly = false

    /// Thrown by a read-only run at the first write it would make.
    struct NeedsLock: Error {}

    func readOnly() -> InstallRun {
        var copy = self
        copy.isReadOnly = true
        return copy
    }

    var cluster: any Cluster { engine.cluster }
    var history: History { History(cluster: cluster, instance: plan.instance, namespace: plan.namespace) }

    func emit(_ component: String?, _ change: ProgressEvent.Change) {
        engine.progress(ProgressEvent(component: component, elapsed: ContinuousClock.now - start, change: change))
    }

    func execute() async throws -> InstallSummary {
        do {
            let summary = try await converge()
            let ready = summary.components.filter { $0.phase == .ready }.count
            let blocked = summary.components.filter { $0.phase == .blocked }.map(\.name)
            emit(nil, .finished(
                succeeded: true,
                message: "\(ready) components healthy" + (blocked.isEmpty ? "" : "; blocked: \(blocked.joined(separator: ", "))")))
            return summary
        } catch let error as NeedsLock {
            throw error
        } catch {
            emit(nil, .finished(succeeded: false, message: Self.describe(error)))
            throw error
        }
    }

    private func converge() async throws -> InstallSummary {
        let records = try await history.byComponent()
        let revision = (records.values.joined().map(\.revision).max() ?? 0) + 1
        let active = components.filter { $0.plan.blocked == nil }
        var live = try await read(active.flatMap(\.desired))
        let changed = Set(active.filter { isChanged($0, live: live, history: records[$0.name] ?? []) }.map(\.name))
        let removed = records.keys.filter { name in
            !plan.components.contains { $0.name == name } && records[name]?.first?.outcome != .removed
        }
        if isReadOnly && !(changed.isEmpty && removed.isEmpty) { throw NeedsLock() }
        emit(nil, .started(operation: "install", revision: changed.isEmpty && removed.isEmpty ? nil : revision,
                           components: components.map(\.name)))
        // The SeldonOperator goes in before anything it installs: `status`, `history` and
        // `uninstall` find a stack by it, so a run stopped at any later moment leaves a
        // stack they can see and finish.
        try await applyOperator()
        for component in active where changed.contains(component.name) {
            try await history.write(record(component, revision: revision, outcome: .pending, uids: [:]))
        }

        let foundation = active.flatMap { component in component.foundation.map { (component.name, $0) } }
        do {
            for (component, object) in foundation {
                let key = ObjectKey(object.reference)
                live[key] = try await apply(object, live: live[key], component: component)
            }
            try await waiter.wait(
                for: foundation.map(\.1), component: "CRDs and namespaces",
                deadline: min(deadline, ContinuousClock.now + engine.componentTimeout)
            ) { _, _, _ in }
        } catch {
            // No component started: their pending records say so, and why.
            for component in active where changed.contains(component.name) {
                await writeSurvivingCancellation(
                    record(component, revision: revision, outcome: Self.outcome(of: error), uids: [:],
                           message: "not started: \(Self.describe(error))"),
                    trimming: records[component.name] ?? [])
            }
            throw error
        }

        let context = ComponentRun.Context(run: self, revision: revision, live: live, records: records)
        try await runGraph(context: context, changed: changed)

        for name in removed.sorted() {
            try await remove(component: name, history: records[name] ?? [], revision: revision)
        }
        return InstallSummary(
            revision: changed.isEmpty && removed.isEmpty ? nil : revision,
            components: components.map { report(for: $0) }, writes: await writes.count)
    }

    /// How a record ends when `error` stopped the run: cancelled (Ctrl-C, a lost lock) is
    /// `interrupted`, anything else `failed`.
    static func outcome(of error: any Error) -> ReleaseRecord.Outcome {
        error is CancellationError || Task.isCancelled ? .interrupted : .failed
    }

    /// An error as records and progress tell it; a cancellation is "interrupted".
    static func describe(_ error: any Error) -> String {
        error is CancellationError ? "interrupted" : String(describing: error)
    }

    var waiter: HealthWaiter {
        HealthWaiter(cluster: cluster, labelSelector: "\(Ownership.instanceLabel)=\(plan.instance)", now: engine.now)
    }

    /// The SeldonOperator's CRD (waited for until Established), then the SeldonOperator.
    private func applyOperator() async throws {
        if let definition = plan.operatorDefinition {
            let desired = try marked(definition)
            _ = try await apply(desired, live: try await cluster.get(desired.reference), component: nil)
            try await waiter.wait(
                for: [desired], component: "the SeldonOperator CRD",
                deadline: min(deadline, ContinuousClock.now + engine.componentTimeout)
            ) { _, _, _ in }
        }
        let desired = try marked(plan.operatorObject)
        _ = try await apply(desired, live: try await cluster.get(desired.reference), component: nil)
    }

    /// The live state of `objects`, read a few at a time: one request after another, the
    /// reads of a full stack alone took longer than its fastest component.
    private func read(_ objects: [DesiredObject]) async throws -> [ObjectKey: Value] {
        let references = objects.map(\.reference)
        return try await withThrowingTaskGroup(of: (ObjectKey, Value?).self) { group in
            var live: [ObjectKey: Value] = [:]
            var next = references.startIndex
            func startNext() {
                guard next < references.endIndex else { return }
                let reference = references[next]
                next += 1
                group.addTask { (ObjectKey(reference), try await cluster.get(reference)) }
            }
            for _ in 0..<Self.concurrentReads { startNext() }
            while let (key, value) = try await group.next() {
                live[key] = value
                startNext()
            }
            return live
        }
    }

    private static let concurrentReads = 8

    private func marked(_ object: Value) throws(InstallError) -> DesiredObject {
        do {
            return try DesiredObject(rendered: object, index: 0, instance: plan.instance, component: "operator")
        } catch {
            throw .invalidPlan(error.description)
        }
    }

    /// Whether the component needs writing or recording: an object differs from what is
    /// live, or its last record is not a successful one of the same chart, values and objects.
    private func isChanged(_ component: PreparedComponent, live: [ObjectKey: Value], history: [ReleaseRecord]) -> Bool {
        guard let latest = history.first, latest.outcome == .deployed, latest.chartVersion == component.plan.chartVersion,
            latest.valuesHash == component.valuesHash,
            Set(latest.objects.map(\.reference)) == Set(component.desired.map(\.reference))
        else { return true }
        return !component.desired.allSatisfy { $0.isApplied(in: live[ObjectKey($0.reference)]) }
    }

    func record(
        _ component: PreparedComponent, revision: Int, outcome: ReleaseRecord.Outcome, uids: [ObjectKey: String],
        message: String = ""
    ) -> ReleaseRecord {
        ReleaseRecord(
            instance: plan.instance, namespace: plan.namespace, component: component.name, revision: revision,
            chartVersion: component.plan.chartVersion, specHash: plan.specHash, valuesHash: component.valuesHash,
            outcome: outcome, message: message, time: engine.now(),
            objects: component.desired.map { .init($0.reference, uid: uids[ObjectKey($0.reference)]) }, spec: plan.specText)
    }

    /// Writes a record even while the run is being cancelled: a fresh task does not
    /// inherit the cancellation, and the record is what the next run starts from.
    func writeSurvivingCancellation(_ record: ReleaseRecord, trimming existing: [ReleaseRecord]) async {
        let history = history
        try? await Task { try await history.write(record, trimming: existing) }.value
    }

    /// Applies `object` unless its desired state is already live; returns what is stored.
    func apply(_ object: DesiredObject, live: Value?, component: String?) async throws -> Value {
        if let live, object.isApplied(in: live) {
            emit(component, .applied(object.reference, changed: false))
            return live
        }
        if isReadOnly { throw NeedsLock() }
        do {
            let stored = try await cluster.apply(object.object, fieldManager: Ownership.fieldManager, force: true)
            await writes.increment()
            emit(component, .applied(object.reference, changed: true))
            return stored
        } catch let error as ClusterError {
            throw InstallError.apply(object.reference, message: error.message)
        }
    }

    /// Starts each component once its dependencies are healthy; blocked components and
    /// their dependents are skipped. The first failure cancels the rest.
    private func runGraph(context: ComponentRun.Context, changed: Set<String>) async throws {
        try await withThrowingTaskGroup(of: String.self) { group in
            var healthy = Set<String>()
            var started = Set<String>()
            var skipped = Set<String>()
            func launchReady() {
                var progressed = true
                while progressed {
                    progressed = false
                    for component in components where !started.contains(component.name) && !skipped.contains(component.name) {
                        let dependencies = component.plan.dependencies
                        if let reason = component.plan.blocked {
                            skipped.insert(component.name)
                            emit(component.name, .blocked(reason: reason))
                            progressed = true
                        } else if let dependency = dependencies.first(where: skipped.contains) {
                            skipped.insert(component.name)
                            emit(component.name, .blocked(reason: "depends on \(dependency), which is blocked"))
                            progressed = true
                        } else if dependencies.allSatisfy(healthy.contains) {
                            started.insert(component.name)
                            let run = ComponentRun(context: context, component: component, changed: changed.contains(component.name))
                            group.addTask { try await run.execute() }
                        }
                    }
                }
            }
            launchReady()
            for component in components where !started.contains(component.name) && !skipped.contains(component.name) {
                emit(component.name, .waitingForDependencies(component.plan.dependencies.filter { !healthy.contains($0) }))
            }
            do {
                while let name = try await group.next() {
                    healthy.insert(name)
                    launchReady()
                }
            } catch {
                // Components that never started keep a pending record; say why they stopped.
                for component in components where changed.contains(component.name) && !started.contains(component.name) {
                    await writeSurvivingCancellation(
                        record(component, revision: context.revision, outcome: Self.outcome(of: error), uids: [:],
                               message: "not started: \(Self.describe(error))"),
                        trimming: context.records[component.name] ?? [])
                }
                throw error
            }
        }
    }

    /// Prunes every object of a component the plan no longer has, and records it removed.
    private func remove(component: String, history records: [ReleaseRecord], revision: Int) async throws {
        for entry in PrunePlan.candidates(history: records, desired: []) {
            try await prune(entry, component: component)
        }
        let removal = ReleaseRecord(
            instance: plan.instance, namespace: plan.namespace, component: component, revision: revision,
            chartVersion: records.first?.chartVersion ?? "", specHash: plan.specHash, valuesHash: "", outcome: .removed,
            message: "switched off in the spec", time: engine.now(), objects: [], spec: plan.specText)
        try await history.write(removal, trimming: records)
        emit(component, .ready(total: 0))
    }

    /// Deletes one object of an earlier render, if it is still ours and not marked keep.
    func prune(_ entry: ReleaseRecord.Entry, component: String) async throws {
        guard let live = try await cluster.get(entry.reference),
            PrunePlan.shouldDelete(live, entry: entry, instance: plan.instance)
        else { return }
        try await cluster.delete(entry.reference)
        await writes.increment()
        emit(component, .pruned(entry.reference))
    }

    private func report(for component: PreparedComponent) -> ComponentReport {
        ComponentReport(
            name: component.name, enabled: true, phase: component.plan.blocked == nil ? .ready : .blocked,
            ready: component.plan.blocked == nil ? component.desired.count : 0, total: component.desired.count,
            chartVersion: component.plan.chartVersion, message: component.plan.blocked)
    }
}

/// Counts the writes a run makes, from all its tasks.
actor WriteCounter {
    private(set) var count = 0
    func increment() { count += 1 }
}
