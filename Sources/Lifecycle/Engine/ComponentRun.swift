import Unstructured

/// One component's part of an install: apply, wait, prune, record.
struct ComponentRun: Sendable {
    /// What every component of the run shares.
    struct Context: Sendable {
        let run: InstallRun
        let revision: Int
        /// The live objects read before anything was applied.
        let live: [ObjectKey: Value]
        let records: [String: [ReleaseRecord]]
    }

    let context: Context
    let component: PreparedComponent
    /// Whether the component's desired state differs from its last record (it then has
    /// a pending record to complete).
    let changed: Bool

    private var run: InstallRun { context.run }
    private var name: String { component.name }

    /// Returns the component's name once it is healthy.
    func execute() async throws -> String {
        let started = ContinuousClock.now
        let deadline = min(run.deadline, started + run.engine.componentTimeout)
        var uids: [ObjectKey: String] = [:]
        do {
            let pending = component.desired.filter { !$0.isApplied(in: context.live[ObjectKey($0.reference)]) }
            run.emit(name, .applying(total: component.desired.count, changed: pending.count))
            for object in component.foundation {
                uids[ObjectKey(object.reference)] = context.live[ObjectKey(object.reference)]?["metadata"]["uid"].stringValue
            }
            try await apply(component.workloads, into: &uids)
            if !component.customResources.isEmpty {
                try await wait(for: component.webhookBackends, until: deadline)
                try await apply(component.customResources, into: &uids)
            }
            try await wait(for: component.desired, until: deadline)
            run.emit(name, .ready(total: component.desired.count))
            if changed {
                let history = context.records[name] ?? []
                let desired = Set(component.desired.map(\.reference))
                for entry in PrunePlan.candidates(history: history, desired: desired) {
                    try await run.prune(entry, component: name)
                }
                try await run.history.write(
                    run.record(component, revision: context.revision, outcome: .deployed, uids: uids, message: run.plan.reason),
                    trimming: history)
            }
            return name
        } catch {
            let outcome = InstallRun.outcome(of: error)
            if changed {
                await run.writeSurvivingCancellation(
                    run.record(component, revision: context.revision, outcome: outcome, uids: uids, message: InstallRun.describe(error)),
                    trimming: context.records[name] ?? [])
            }
            run.emit(name, .failed(message: InstallRun.describe(error)))
            throw error
        }
    }

    private func apply(_ objects: [DesiredObject], into uids: inout [ObjectKey: String]) async throws {
        for object in objects {
            try Task.checkCancellation()
            let stored = try await run.apply(object, live: context.live[ObjectKey(object.reference)], component: name)
            uids[ObjectKey(object.reference)] = stored["metadata"]["uid"].stringValue
        }
    }

    private func wait(for objects: [DesiredObject], until deadline: ContinuousClock.Instant) async throws {
        let run = run, name = name
        try await run.waiter.wait(for: objects, component: name, deadline: deadline) { ready, total, first in
            run.emit(name, .progress(ready: ready, total: total, waitingOn: first))
        }
    }
}
