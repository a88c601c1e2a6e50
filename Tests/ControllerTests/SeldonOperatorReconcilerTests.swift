import Lifecycle
import Stack
import Testing
import Unstructured

@testable import Controller

/// The reconcile logic against an in-memory API server and a scripted engine.
@Suite("SeldonOperator reconciler")
struct SeldonOperatorReconcilerTests {
    let cluster = MemoryCluster()
    let stack = ScriptedStack()
    let events = RecordedEvents()
    let metrics = ControllerMetrics()
    let key = ResourceKey(namespace: "seldon-system", name: "seldon")

    var reconciler: SeldonOperatorReconciler {
        SeldonOperatorReconciler(
            cluster: cluster, statusWriter: cluster, stack: stack, events: events, metrics: metrics, log: LogLines().log,
            notReadyRequeue: .seconds(15), now: ManualClock().reader)
    }

    static func manifest(name: String = "seldon", enable: Value = ["analytics": false]) -> Value {
        [
            "apiVersion": "operator.seldon.io/v1alpha1", "kind": "SeldonOperator",
            "metadata": ["name": .string(name), "namespace": "seldon-system"],
            "spec": ["enable": enable],
        ]
    }

    func stored(_ name: String = "seldon") async -> Value? {
        await cluster.object(SeldonOperatorReconciler.reference(ResourceKey(namespace: "seldon-system", name: name)))
    }

    func condition(_ type: String, of object: Value?) -> Value? {
        object?["status"]["conditions"].listValue?.first { $0["type"] == .string(type) }
    }

    @Test("the first reconcile adds the finalizer, installs, reports Ready with observedGeneration and an Installed event")
    func firstInstall() async throws {
        try await cluster.put(Self.manifest())
        await stack.script(.success(InstallOutcome(revision: 1, writes: 20, components: ScriptedStack.ready)))
        let action = try await reconciler.reconcile(key)
        #expect(action == .awaitChange)
        let object = await stored()
        #expect(object?["metadata"]["finalizers"] == ["operator.seldon.io/finalizer"])
        #expect(condition("Ready", of: object)?["status"] == "True")
        #expect(condition("Ready", of: object)?["observedGeneration"] == 1)
        #expect(condition("Ready", of: object)?["message"] == "1/1 components ready")
        #expect(condition("Reconciling", of: object)?["status"] == "False")
        #expect(condition("Stalled", of: object)?["status"] == "False")
        #expect(condition("PrerequisitesMet", of: object)?["status"] == "True")
        #expect(condition("Degraded", of: object)?["status"] == "False")
        #expect(object?["status"]["observedGeneration"] == 1)
        #expect(object?["status"]["readyComponents"] == "1/1")
        #expect(await events.reasons == [.installed])
        #expect(await stack.installs.map(\.name) == ["seldon"])
        #expect(metrics.render().contains("seldon_operator_objects_applied_total 20\n"))
        #expect(metrics.render().contains(#"seldon_operator_components_ready{component="core"} 1"#))
    }

    @Test("a steady-state reconcile writes nothing and records no event")
    func steadyStateWritesNothing() async throws {
        try await cluster.put(Self.manifest())
        _ = try await reconciler.reconcile(key)
        await cluster.clearWrites()
        let eventsBefore = await events.events.count
        #expect(try await reconciler.reconcile(key) == .awaitChange)
        #expect(try await reconciler.reconcile(key) == .awaitChange)
        #expect(await cluster.writes.isEmpty)
        #expect(await events.events.count == eventsBefore)
    }

    @Test("a spec change is applied as an upgrade and observed at the new generation")
    func upgrade() async throws {
        try await cluster.put(Self.manifest())
        _ = try await reconciler.reconcile(key)
        var edited = try #require(await stored())
        edited["spec"]["enable"]["analytics"] = true
        try await cluster.put(edited)
        await stack.script(.success(InstallOutcome(revision: 2, writes: 9, components: ScriptedStack.ready)))
        _ = try await reconciler.reconcile(key)
        let object = await stored()
        #expect(object?["metadata"]["generation"] == 2)
        #expect(object?["status"]["observedGeneration"] == 2)
        #expect(condition("Ready", of: object)?["observedGeneration"] == 2)
        #expect(await events.reasons.last == .upgraded)
        #expect(await stack.installs.last?.spec.isEnabled(.analytics) == true)
    }

    @Test("writes without a new revision are drift corrections; removed objects are prunes")
    func driftAndPrune() async throws {
        try await cluster.put(Self.manifest())
        _ = try await reconciler.reconcile(key)
        let deployment = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "seldon-system", name: "old")
        await stack.script(.success(InstallOutcome(revision: nil, writes: 1, pruned: [deployment], components: ScriptedStack.ready)))
        _ = try await reconciler.reconcile(key)
        let recorded = await events.events
        #expect(recorded.map(\.reason) == [.driftCorrected, .pruned])
        #expect(recorded.last?.note.contains("Deployment seldon-system/old") == true)
        #expect(metrics.render().contains("seldon_operator_drift_corrections_total 1\n"))
    }

    @Test("writes recorded as a new revision at a generation already installed are drift corrections, not upgrades")
    func driftWithRevision() async throws {
        try await cluster.put(Self.manifest())
        _ = try await reconciler.reconcile(key)
        #expect(await events.reasons.isEmpty)
        // The real engine records a revision whenever it had to write, drift included.
        await stack.script(.success(InstallOutcome(revision: 2, writes: 1, components: ScriptedStack.ready)))
        _ = try await reconciler.reconcile(key)
        #expect(await events.reasons == [.driftCorrected])
        #expect(metrics.render().contains("seldon_operator_drift_corrections_total 1\n"))
    }

    @Test("an invalid spec stalls with the field path, installs nothing and is not retried; fixing it recovers")
    func invalidSpec() async throws {
        try await cluster.put(Self.manifest(enable: ["detectors": true]))
        #expect(try await reconciler.reconcile(key) == .awaitChange)
        let object = await stored()
        let stalled = try #require(condition("Stalled", of: object))
        #expect(stalled["status"] == "True")
        #expect(stalled["reason"] == "InvalidSpec")
        #expect(stalled["message"].stringValue?.contains("spec.enable.detectors") == true)
        #expect(condition("Ready", of: object)?["status"] == "False")
        #expect(object?["metadata"]["finalizers"] == .null)
        #expect(await stack.installs.isEmpty)
        #expect(await events.reasons == [.invalidSpec])

        // A resync of the unchanged object writes nothing and repeats no event.
        await cluster.clearWrites()
        _ = try await reconciler.reconcile(key)
        #expect(await cluster.writes.isEmpty)
        #expect(await events.reasons == [.invalidSpec])

        var fixed = try #require(await stored())
        fixed["spec"]["enable"] = ["detectors": false]
        try await cluster.put(fixed)
        _ = try await reconciler.reconcile(key)
        let recovered = await stored()
        #expect(condition("Stalled", of: recovered)?["status"] == "False")
        #expect(condition("Ready", of: recovered)?["status"] == "True")
        #expect(condition("Ready", of: recovered)?["observedGeneration"] == 2)
    }

    @Test("a failed install reports Ready=False with the error, records one event per new failure and throws for backoff")
    func installFailure() async throws {
        try await cluster.put(Self.manifest())
        let failure = ClusterError(.unavailable, nil, "connection refused")
        await stack.script(.failure(failure))
        await stack.script(.failure(failure))
        await #expect(throws: ClusterError.self) { try await reconciler.reconcile(key) }
        await #expect(throws: ClusterError.self) { try await reconciler.reconcile(key) }
        let object = await stored()
        #expect(condition("Ready", of: object)?["reason"] == "InstallFailed")
        #expect(condition("Ready", of: object)?["message"] == "connection refused")
        #expect(condition("Reconciling", of: object)?["status"] == "True")
        #expect(await events.reasons == [.installFailed])
        _ = try await reconciler.reconcile(key)
        #expect(condition("Ready", of: await stored())?["status"] == "True")
    }

    @Test("components not yet ready or missing prerequisites are reported and looked at again later")
    func notReady() async throws {
        try await cluster.put(Self.manifest())
        await stack.script(.success(InstallOutcome(revision: 1, writes: 3, components: [
            ComponentStatus(name: "core", enabled: true, phase: .ready),
            ComponentStatus(name: "routing", enabled: true, phase: .blocked, message: "needs VirtualService.networking.istio.io"),
        ])))
        #expect(try await reconciler.reconcile(key) == .requeue(after: .seconds(15)))
        let object = await stored()
        #expect(condition("Ready", of: object)?["status"] == "False")
        #expect(condition("Ready", of: object)?["message"] == "1/2 components ready; not ready: routing (Blocked: needs VirtualService.networking.istio.io)")
        #expect(condition("PrerequisitesMet", of: object)?["status"] == "False")
        #expect(condition("Reconciling", of: object)?["status"] == "True")
    }

    @Test("deleting runs the uninstall, then removes the finalizer so the object goes")
    func deletion() async throws {
        try await cluster.put(Self.manifest())
        _ = try await reconciler.reconcile(key)
        _ = try await cluster.delete(SeldonOperatorReconciler.reference(key))
        #expect(await stored()?["metadata"]["deletionTimestamp"].isNull == false)
        #expect(try await reconciler.reconcile(key) == .awaitChange)
        #expect(await stack.uninstalls == [StackInstance(name: "seldon", namespace: "seldon-system")])
        #expect(await stored() == nil)
        #expect(await events.reasons.suffix(1) == [.uninstalled])
        #expect(try await reconciler.reconcile(key) == .awaitChange)
        #expect(await stack.uninstalls.count == 1)
    }

    @Test("a second SeldonOperator is refused naming the one in charge, and takes over once it is gone")
    func singleStack() async throws {
        try await cluster.put(Self.manifest())
        _ = try await reconciler.reconcile(key)
        try await cluster.put(Self.manifest(name: "second"))
        let second = ResourceKey(namespace: "seldon-system", name: "second")
        #expect(try await reconciler.reconcile(second) == .awaitChange)
        let refused = await stored("second")
        #expect(condition("Stalled", of: refused)?["reason"] == "AnotherStackInCharge")
        #expect(condition("Stalled", of: refused)?["message"].stringValue?.hasPrefix("SeldonOperator seldon-system/seldon manages") == true)
        #expect(refused?["metadata"]["finalizers"] == .null)
        #expect(await stack.installs.map(\.name) == ["seldon"])
        #expect(await events.reasons.last == .refused)

        _ = try await cluster.delete(SeldonOperatorReconciler.reference(key))
        _ = try await reconciler.reconcile(key)
        _ = try await reconciler.reconcile(second)
        let inCharge = await stored("second")
        #expect(condition("Stalled", of: inCharge)?["status"] == "False")
        #expect(condition("Ready", of: inCharge)?["status"] == "True")
        #expect(inCharge?["metadata"]["finalizers"] == ["operator.seldon.io/finalizer"])
        #expect(await stack.installs.map(\.name) == ["seldon", "second"])
    }

    @Test("the one in charge: the finalizer holder, else the oldest, ties broken by namespace and name")
    func inChargeRule() {
        func object(_ name: String, created: String?, finalizer: Bool = false) -> Value {
            var metadata: Value = ["name": .string(name), "namespace": "ns"]
            if let created { metadata["creationTimestamp"] = .string(created) }
            if finalizer { metadata["finalizers"] = ["other", "operator.seldon.io/finalizer"] }
            return ["metadata": metadata]
        }
        let finalizer = SeldonOperatorReconciler.finalizer
        #expect(SingleStackRule.inCharge(among: [], finalizer: finalizer) == nil)
        #expect(SingleStackRule.inCharge(among: [object("b", created: "2026-01-02T00:00:00Z"), object("a", created: "2026-01-03T00:00:00Z")],
                                         finalizer: finalizer)?.name == "b")
        #expect(SingleStackRule.inCharge(among: [object("b", created: "2026-01-01T00:00:00Z"), object("a", created: "2026-01-01T00:00:00Z")],
                                         finalizer: finalizer)?.name == "a")
        #expect(SingleStackRule.inCharge(among: [object("a", created: nil), object("b", created: "2026-01-01T00:00:00Z")],
                                         finalizer: finalizer)?.name == "b")
        #expect(SingleStackRule.inCharge(among: [object("old", created: "2026-01-01T00:00:00Z"), object("new", created: "2026-02-01T00:00:00Z", finalizer: true)],
                                         finalizer: finalizer)?.name == "new")
    }

    @Test("a SeldonOperator that no longer exists needs nothing")
    func missing() async throws {
        #expect(try await reconciler.reconcile(key) == .awaitChange)
        #expect(await cluster.writes.isEmpty)
    }
}
