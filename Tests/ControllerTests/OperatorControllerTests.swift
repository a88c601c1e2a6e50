import Lifecycle
import Stack
import Testing
import Unstructured

@testable import Controller

/// A stack of one Deployment, applied through the cluster like the engine applies charts:
/// written only when missing or different, labelled so the watches trace it back.
actor OneDeploymentStack: StackDriver {
    let cluster: MemoryCluster
    private(set) var uninstalls: [StackInstance] = []
    private var installed = false

    init(cluster: MemoryCluster) { self.cluster = cluster }

    static func reference(_ namespace: String) -> ObjectReference {
        ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, name: "seldon-controller-manager")
    }

    func install(_ resource: SeldonOperatorResource) async throws -> InstallOutcome {
        let replicas = resource.spec.isEnabled(.analytics) ? 2 : 1
        let desired: Value = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": [
                "name": "seldon-controller-manager", "namespace": .string(resource.namespace),
                "labels": .map([Ownership.managedByLabel: "seldon-operator", Ownership.instanceLabel: .string(resource.name)]),
            ],
            "spec": ["replicas": .int(replicas)],
        ]
        let live = try await cluster.get(Self.reference(resource.namespace))
        var writes = 0
        if live?["spec"] != desired["spec"] {
            _ = try await cluster.apply(desired, fieldManager: Ownership.fieldManager, force: true)
            writes = 1
        }
        let revision: Int? = installed ? nil : 1
        installed = true
        return InstallOutcome(revision: revision, writes: writes, components: ScriptedStack.ready)
    }

    func uninstall(_ instance: StackInstance) async throws {
        uninstalls.append(instance)
        _ = try await cluster.delete(Self.reference(instance.namespace))
    }
}

@Suite("Operator controller, in process")
struct OperatorControllerTests {
    let cluster = MemoryCluster()
    let events = RecordedEvents()
    let key = ResourceKey(namespace: "seldon-system", name: "seldon")

    func controller(stack: any StackDriver, metrics: ControllerMetrics = ControllerMetrics(), probes: ProbeState = ProbeState()) -> OperatorController {
        let log = LogLines().log
        let reconciler = SeldonOperatorReconciler(cluster: cluster, statusWriter: cluster, stack: stack, events: events,
                                                  metrics: metrics, log: log)
        return OperatorController(cluster: cluster, reconciler: reconciler, settings: .init(maxConcurrentReconciles: 2),
                                  metrics: metrics, probes: probes, log: log)
    }

    /// Polls `condition` until it holds; false if it never does within a generous bound.
    func eventually(_ condition: @Sendable () async -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func ready(_ name: String = "seldon") async -> Bool {
        let object = await cluster.object(SeldonOperatorReconciler.reference(ResourceKey(namespace: "seldon-system", name: name)))
        return object?["status"]["conditions"].listValue?.contains { $0["type"] == "Ready" && $0["status"] == "True" } == true
    }

    @Test("applied, converged, drift put back, edits converge, deleted with its stack; only labelled objects are watched")
    func lifecycle() async throws {
        let stack = OneDeploymentStack(cluster: cluster)
        let probes = ProbeState()
        let running = Task { try await controller(stack: stack, probes: probes).run() }
        try await cluster.put(SeldonOperatorReconcilerTests.manifest())
        #expect(await eventually { await ready() })
        #expect(await eventually { probes.readinessFailure == nil })
        let deployment = OneDeploymentStack.reference("seldon-system")
        #expect(await cluster.object(deployment)?["spec"]["replicas"] == 1)

        // Unrelated objects: never delivered to the controller.
        for index in 0..<50 {
            try await cluster.put(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string("unrelated-\(index)"), "namespace": "default"]])
        }
        let requests = await cluster.watchRequests
        #expect(requests.contains("Secret app.kubernetes.io/managed-by=seldon-operator"))
        #expect(!requests.contains { $0.hasPrefix("Secret") && !$0.hasSuffix("managed-by=seldon-operator") })

        // Someone deletes the Deployment: it comes back.
        _ = try await cluster.delete(deployment)
        #expect(await eventually { await cluster.object(deployment) != nil })
        #expect(await eventually { await events.reasons.contains(.driftCorrected) })

        // An edit converges.
        var edited = try #require(await cluster.object(SeldonOperatorReconciler.reference(key)))
        edited["spec"]["enable"]["analytics"] = true
        try await cluster.put(edited)
        #expect(await eventually { await cluster.object(deployment)?["spec"]["replicas"] == 2 })

        // Deleting the SeldonOperator removes the stack, then the object.
        _ = try await cluster.delete(SeldonOperatorReconciler.reference(key))
        #expect(await eventually { await cluster.object(SeldonOperatorReconciler.reference(key)) == nil })
        #expect(await cluster.object(deployment) == nil)
        #expect(await stack.uninstalls == [StackInstance(name: "seldon", namespace: "seldon-system")])
        running.cancel()
        try await running.value
    }

    @Test("steady state makes no write requests")
    func steadyState() async throws {
        let running = Task { try await controller(stack: OneDeploymentStack(cluster: cluster)).run() }
        try await cluster.put(SeldonOperatorReconcilerTests.manifest())
        #expect(await eventually { await ready() })
        // Let the reconciles caused by the controller's own writes settle.
        try await Task.sleep(for: .milliseconds(300))
        await cluster.clearWrites()
        try await Task.sleep(for: .milliseconds(300))
        #expect(await cluster.writes.isEmpty)
        running.cancel()
        try await running.value
    }

    @Test("the second SeldonOperator takes over when the first is deleted, with no manual nudge")
    func takeover() async throws {
        let running = Task { try await controller(stack: OneDeploymentStack(cluster: cluster)).run() }
        try await cluster.put(SeldonOperatorReconcilerTests.manifest())
        #expect(await eventually { await ready() })
        try await cluster.put(SeldonOperatorReconcilerTests.manifest(name: "second"))
        #expect(await eventually { await events.reasons.contains(.refused) })
        _ = try await cluster.delete(SeldonOperatorReconciler.reference(key))
        #expect(await eventually { await ready("second") })
        running.cancel()
        try await running.value
    }

    @Test("an unreachable API server makes the controller retry, and it converges once the server is back")
    func apiServerAway() async throws {
        let metrics = ControllerMetrics()
        try await cluster.put(SeldonOperatorReconcilerTests.manifest())
        await cluster.setUnavailable(true)
        let running = Task { try await controller(stack: OneDeploymentStack(cluster: cluster), metrics: metrics).run() }
        // Watches and reconciles fail for a while; the controller keeps running.
        try await Task.sleep(for: .milliseconds(200))
        #expect(!(await ready()))
        await cluster.setUnavailable(false)
        #expect(await eventually { await ready() })
        running.cancel()
        try await running.value
    }

    @Test("with leader election, the controller takes the Lease, reconciles, and releases it on shutdown")
    func leaderElected() async throws {
        let log = LogLines().log
        let metrics = ControllerMetrics()
        let reconciler = SeldonOperatorReconciler(cluster: cluster, statusWriter: cluster, stack: OneDeploymentStack(cluster: cluster),
                                                  events: events, metrics: metrics, log: log)
        let election = OperatorController.LeaderElection(namespace: "seldon-system", identity: "replica-a",
                                                         timings: LeaderElectionTimings(leaseDuration: .seconds(15), renewDeadline: .seconds(1), retryPeriod: .milliseconds(20)))
        let controller = OperatorController(cluster: cluster, reconciler: reconciler, settings: .init(leaderElection: election),
                                            metrics: metrics, probes: ProbeState(), log: log)
        let running = Task { try await controller.run() }
        try await cluster.put(SeldonOperatorReconcilerTests.manifest())
        #expect(await eventually { await ready() })
        let lease = ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "seldon-system", name: "seldon-operator-leader")
        #expect(await cluster.object(lease)?["spec"]["holderIdentity"] == "replica-a")
        #expect(metrics.render().contains("seldon_operator_leader 1\n"))
        running.cancel()
        try await running.value
        #expect(await cluster.object(lease)?["spec"]["holderIdentity"] == .null)
        #expect(metrics.render().contains("seldon_operator_leader 0\n"))
    }
}
