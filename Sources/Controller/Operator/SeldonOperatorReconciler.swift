import FoundationEssentials
import Lifecycle
import Stack
import Unstructured

/// Keeps one SeldonOperator's stack converged: the product's reconcile logic, against
/// protocols only (`Cluster` to read and patch SeldonOperators, `StatusWriter`,
/// `StackDriver`, `EventRecorder`), so it is tested without a network.
///
/// In order, each step returning when it decides:
/// 1. Gone: nothing to do.
/// 2. Being deleted: uninstall in order (if this one installed), then drop the finalizer.
/// 3. Another SeldonOperator is in charge (`SingleStackRule`): Stalled, nothing applied.
/// 4. Invalid spec: Stalled with every field path; no retry until the object changes.
/// 5. Add the finalizer, so deletion waits for the uninstall.
/// 6. Install through the engine; Ready, PrerequisitesMet and Degraded from its report;
///    events for what it did.
///
/// Status is written only when it changes, and the install writes nothing when nothing
/// drifted: a steady-state reconcile makes no write requests (LESSONS.md #7).
public struct SeldonOperatorReconciler: Reconciler {
    public static let finalizer = "operator.seldon.io/finalizer"

    public let cluster: any Cluster
    public let statusWriter: any StatusWriter
    public let stack: any StackDriver
    public let events: any EventRecorder
    public let metrics: ControllerMetrics
    public let log: JSONLog
    /// The namespace the controller watches, or nil for all: the scope of the single-stack
    /// rule as well.
    public let namespace: String?
    /// How soon to look again while components are still becoming ready.
    public let notReadyRequeue: Duration
    public let now: @Sendable () -> Date

    public init(
        cluster: any Cluster, statusWriter: any StatusWriter, stack: any StackDriver, events: any EventRecorder,
        metrics: ControllerMetrics, log: JSONLog, namespace: String? = nil, notReadyRequeue: Duration = .seconds(15),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.cluster = cluster
        self.statusWriter = statusWriter
        self.stack = stack
        self.events = events
        self.metrics = metrics
        self.log = log
        self.namespace = namespace
        self.notReadyRequeue = notReadyRequeue
        self.now = now
    }

    static func reference(_ key: ResourceKey) -> ObjectReference {
        ObjectReference(apiVersion: SeldonOperatorResource.apiVersion, kind: SeldonOperatorResource.kind, namespace: key.namespace, name: key.name)
    }

    public func reconcile(_ key: ResourceKey) async throws -> Action {
        let reference = Self.reference(key)
        guard let object = try await cluster.get(reference) else { return .awaitChange }
        let instance = StackInstance(name: key.name, namespace: key.namespace ?? SeldonOperatorResource.defaultNamespace)
        if !object["metadata"]["deletionTimestamp"].isNull {
            return try await finalize(object, instance: instance, reference: reference)
        }
        let current = StatusCodec.decode(object["status"])
        var update = StatusUpdate(current, generation: object["metadata"]["generation"].intValue, now: Time.string(now()))

        let others = try await cluster.list(
            apiVersion: SeldonOperatorResource.apiVersion, kind: SeldonOperatorResource.kind, namespace: namespace, labelSelector: nil)
        if let leader = SingleStackRule.inCharge(among: others, finalizer: Self.finalizer), leader != key {
            let message = "SeldonOperator \(leader) manages this cluster's Seldon stack; only one SeldonOperator may. "
                + "Nothing of this one is applied; it takes over once \(leader) is deleted"
            return try await stall(object, reference: reference, update: &update, reason: "AnotherStackInCharge", message: message, event: .refused)
        }

        let resource: SeldonOperatorResource
        do {
            resource = try SeldonOperatorResource(decoding: object, source: key.description)
        } catch {
            let message = "invalid spec: " + error.issues.map(\.description).joined(separator: "; ")
            return try await stall(object, reference: reference, update: &update, reason: "InvalidSpec", message: message, event: .invalidSpec)
        }

        var stored = object
        if !SingleStackRule.hasFinalizer(object, Self.finalizer) {
            stored = try await addFinalizer(object, reference: reference)
        }
        if current.observedGeneration != update.generation, !update.isReconcilingCurrentGeneration {
            update.progressing()
            stored = try await write(update.status, over: current, of: stored)
        }
        let written = update.status

        let outcome: InstallOutcome
        do {
            outcome = try await stack.install(resource)
        } catch {
            let message = String(describing: error)
            update.failed(message)
            if !update.repeats(.ready, of: current) {
                await events.record(OperatorEvent(regarding: reference, uid: object["metadata"]["uid"].stringValue, reason: .installFailed, note: message))
            }
            _ = try? await write(update.status, over: written, of: stored)
            throw error
        }
        await announce(outcome, specChanged: current.observedGeneration != update.generation, reference: reference,
                       uid: object["metadata"]["uid"].stringValue)
        update.installed(outcome.components)
        if outcome.writes > 0, let fresh = try await cluster.get(reference) {
            // The engine labels the SeldonOperator as the stack's when it writes: the status
            // write must carry the resourceVersion that left, or it is refused as stale.
            stored = fresh
        }
        _ = try await write(update.status, over: written, of: stored)

        let enabled = outcome.components.filter(\.enabled)
        metrics.setComponentsReady(Dictionary(enabled.map { ($0.name, $0.phase == .ready) }, uniquingKeysWith: { $1 }))
        return enabled.allSatisfy { $0.phase == .ready } ? .awaitChange : .requeue(after: notReadyRequeue)
    }

    // MARK: Steps

    /// Uninstalls (when this SeldonOperator was the one in charge) and releases the object.
    private func finalize(_ object: Value, instance: StackInstance, reference: ObjectReference) async throws -> Action {
        guard SingleStackRule.hasFinalizer(object, Self.finalizer) else { return .awaitChange }
        let uid = object["metadata"]["uid"].stringValue
        do {
            try await stack.uninstall(instance)
        } catch {
            await events.record(OperatorEvent(regarding: reference, uid: uid, reason: .uninstallFailed, note: String(describing: error)))
            throw error
        }
        await events.record(OperatorEvent(regarding: reference, uid: uid, reason: .uninstalled, note: "the stack of \(instance) was removed"))
        let remaining = (object["metadata"]["finalizers"].listValue ?? []).filter { $0 != .string(Self.finalizer) }
        do {
            _ = try await cluster.mergePatch(reference, patch: [
                "metadata": ["finalizers": .list(remaining), "resourceVersion": object["metadata"]["resourceVersion"]],
            ])
        } catch let error as ClusterError where error.reason == .notFound {
            // The driver released it as the last step of the uninstall (see `StackDriver`).
        }
        log.info("finalizer removed", ["object": .string(reference.description)])
        return .awaitChange
    }

    /// Records a condition only the user can clear; an event only when it is new, so a
    /// resync does not repeat it.
    private func stall(
        _ object: Value, reference: ObjectReference, update: inout StatusUpdate, reason: String, message: String,
        event: OperatorEvent.Reason
    ) async throws -> Action {
        let before = update.status
        update.stalled(reason: reason, message: message)
        if update.status != before {
            await events.record(OperatorEvent(regarding: reference, uid: object["metadata"]["uid"].stringValue, reason: event, note: message))
            log.warning("stalled", ["object": .string(reference.description), "reason": .string(reason), "message": .string(message)])
        }
        _ = try await write(update.status, over: before, of: object)
        return .awaitChange
    }

    /// Adds the finalizer with a merge patch carrying the resourceVersion read, so a
    /// concurrent change (another finalizer added) makes this fail and retry rather than
    /// overwrite the list.
    private func addFinalizer(_ object: Value, reference: ObjectReference) async throws -> Value {
        let finalizers = (object["metadata"]["finalizers"].listValue ?? []) + [.string(Self.finalizer)]
        return try await cluster.mergePatch(reference, patch: [
            "metadata": ["finalizers": .list(finalizers), "resourceVersion": object["metadata"]["resourceVersion"]],
        ])
    }

    /// Writes `status` when it differs from what is stored; returns the object to use next.
    private func write(_ status: SeldonOperatorStatus, over stored: SeldonOperatorStatus, of object: Value) async throws -> Value {
        guard status != stored else { return object }
        return try await statusWriter.writeStatus(status.value, of: object)
    }

    /// Events and counters for what an install did. Writes for a generation already
    /// installed are drift corrections even when the engine recorded a revision for them
    /// (it records one whenever it had to write), so the event says what happened.
    private func announce(_ outcome: InstallOutcome, specChanged: Bool, reference: ObjectReference, uid: String?) async {
        metrics.objectsApplied(outcome.writes)
        if let revision = outcome.revision, specChanged {
            let reason: OperatorEvent.Reason = revision <= 1 ? .installed : .upgraded
            await events.record(OperatorEvent(regarding: reference, uid: uid, reason: reason,
                note: "revision \(revision): \(outcome.writes) objects written"))
        } else if outcome.writes > 0 {
            metrics.driftCorrected(outcome.writes)
            await events.record(OperatorEvent(regarding: reference, uid: uid, reason: .driftCorrected,
                note: "\(outcome.writes) objects changed or deleted by someone else were put back"))
        }
        if !outcome.pruned.isEmpty {
            await events.record(OperatorEvent(regarding: reference, uid: uid, reason: .pruned,
                note: "removed \(outcome.pruned.count) objects no longer desired: " + outcome.pruned.map(\.description).joined(separator: ", ")))
        }
    }
}
