import Foundation
import LifecycleTesting
import Testing
import Unstructured

@testable import Lifecycle

@Suite("Uninstalling in order, through finalizers")
struct UninstallTests {
    let operatorDeployment = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "seldon-system", name: "seldon-controller-manager")
    let userModel = ObjectReference(apiVersion: "machinelearning.seldon.io/v1", kind: "SeldonDeployment", namespace: "models", name: "iris")

    func engine(_ cluster: MemoryCluster, timeout: Duration = .seconds(30), events: EventLog = EventLog()) -> Engine {
        Engine(cluster: cluster, identity: "test", timeout: timeout, progress: events.sink)
    }

    /// The stack installed, plus a user's SeldonDeployment carrying the Seldon operator's finalizer.
    func installed() async throws -> MemoryCluster {
        let cluster = await ToyStack.cluster()
        _ = try await engine(cluster).install(ToyStack.plan())
        try await cluster.put([
            "apiVersion": "machinelearning.seldon.io/v1", "kind": "SeldonDeployment",
            "metadata": ["name": "iris", "namespace": "models", "finalizers": ["seldondeployments.machinelearning.seldon.io"]],
            "spec": ["predictors": []],
        ])
        return cluster
    }

    /// Plays the Seldon operator: while its Deployment exists, it clears the finalizer of
    /// every SeldonDeployment being deleted.
    func runOperator(_ cluster: MemoryCluster) -> Task<Void, any Error> {
        let operatorDeployment = operatorDeployment
        return Task {
            let events = cluster.watch(apiVersion: "machinelearning.seldon.io/v1", kind: "SeldonDeployment", namespace: nil, labelSelector: nil)
            for try await event in events {
                // A real operator reconciles whatever it hears, the initial listing included.
                if case .deleted = event { continue }
                let object = event.object
                guard !object["metadata"]["deletionTimestamp"].isNull,
                    await cluster.object(operatorDeployment) != nil, let reference = ObjectReference(object: object)
                else { continue }
                _ = try await cluster.mergePatch(reference, patch: ["metadata": ["finalizers": .null]])
            }
        }
    }

    @Test func customResourcesGoFirstWhileTheirOperatorRuns() async throws {
        let cluster = try await installed()
        let operatorTask = runOperator(cluster)
        defer { operatorTask.cancel() }
        let events = EventLog()
        try await engine(cluster, events: events).uninstall(UninstallRequest(instance: "seldon", namespace: "seldon-system"))
        #expect(await cluster.object(userModel) == nil)
        #expect(await cluster.object(operatorDeployment) == nil)
        let deletes = await cluster.writes.filter { $0.verb == "delete" }.map(\.reference.kind)
        let order = ["SeldonDeployment", "Gateway", "ValidatingWebhookConfiguration", "Deployment"]
        let positions = order.map { kind in deletes.firstIndex(of: kind) ?? -1 }
        #expect(positions.allSatisfy { $0 >= 0 } && positions == positions.sorted(), "delete order: \(deletes)")
        // Without --purge, CRDs and the namespace stay; records are gone.
        #expect(await cluster.object(ObjectReference(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: "seldondeployments.machinelearning.seldon.io")) != nil)
        #expect(try await History(cluster: cluster, instance: "seldon", namespace: "seldon-system").records().isEmpty)
        #expect(await cluster.object(ObjectReference(apiVersion: "operator.seldon.io/v1alpha1", kind: "SeldonOperator", namespace: "seldon-system", name: "seldon")) == nil)
    }

    @Test func stuckFinalizerIsReportedByNameThenForcedOnRequest() async throws {
        let cluster = try await installed()
        // The operator is already gone: nobody will clear the finalizer.
        _ = try await cluster.delete(operatorDeployment)
        let events = EventLog()
        await #expect {
            try await engine(cluster, timeout: .milliseconds(300), events: events)
                .uninstall(UninstallRequest(instance: "seldon", namespace: "seldon-system"))
        } throws: { error in
            guard case let .stuckFinalizers(stuck) = error as? InstallError else { return false }
            return stuck == [StuckObject(reference: userModel, finalizers: ["seldondeployments.machinelearning.seldon.io"])]
        }
        let stuck = StuckObject(reference: userModel, finalizers: ["seldondeployments.machinelearning.seldon.io"])
        #expect(stuck.forceCommand == #"kubectl patch seldondeployment.machinelearning.seldon.io/iris -n models --type=merge -p '{"metadata":{"finalizers":null}}'"#)
        #expect(String(describing: InstallError.stuckFinalizers([stuck])).contains("--force-remove-finalizers"))
        // Records stay, so a rerun knows what is left.
        #expect(try await !History(cluster: cluster, instance: "seldon", namespace: "seldon-system").records().isEmpty)

        try await engine(cluster, timeout: .milliseconds(300))
            .uninstall(UninstallRequest(instance: "seldon", namespace: "seldon-system", forceRemoveFinalizers: true))
        #expect(await cluster.object(userModel) == nil)
        #expect(try await History(cluster: cluster, instance: "seldon", namespace: "seldon-system").records().isEmpty)
    }

    @Test func forcingFinalizersEndsWithinTheTimeout() async throws {
        let cluster = try await installed()
        _ = try await cluster.delete(operatorDeployment)
        // A mutating webhook puts the finalizer back on every write, so forcing cannot win:
        // the uninstall must still give up at its timeout, naming the object.
        await cluster.setController { object in
            guard object["metadata"]["name"] == "iris" else { return [] }
            var held = object
            held["metadata"]["finalizers"] = ["seldondeployments.machinelearning.seldon.io"]
            return [held]
        }
        let started = ContinuousClock.now
        await #expect {
            try await engine(cluster, timeout: .seconds(2))
                .uninstall(UninstallRequest(instance: "seldon", namespace: "seldon-system", forceRemoveFinalizers: true))
        } throws: { error in
            guard case let .stuckFinalizers(stuck) = error as? InstallError else { return false }
            return stuck.map(\.reference) == [userModel]
        }
        // Generous against load; forcing used to wait ten seconds past the timeout per wave.
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func purgeRemovesClaimsNamespacesAndDefinitionsToo() async throws {
        let cluster = try await installed()
        let operatorTask = runOperator(cluster)
        defer { operatorTask.cancel() }
        try await engine(cluster).uninstall(UninstallRequest(
            instance: "seldon", namespace: "seldon-system", purge: true,
            operatorDefinition: ObjectReference(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: "seldonoperators.operator.seldon.io")))
        let left = await cluster.objects.values.compactMap { ObjectReference(object: $0) }
            .filter { $0.kind != "EndpointSlice" && $0.kind != "Lease" }
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func uninstallingNothingSaysSoAndSucceeds() async throws {
        let cluster = MemoryCluster()
        let events = EventLog()
        try await engine(cluster, events: events).uninstall(UninstallRequest(instance: "seldon", namespace: "seldon-system"))
        #expect(await cluster.writes.isEmpty)
    }
}
