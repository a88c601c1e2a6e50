import Foundation
import LifecycleTesting
import Testing
import Unstructured

@testable import Lifecycle

@Suite("Installing, upgrading and pruning a stack")
struct EngineTests {
    func engine(_ cluster: MemoryCluster, events: EventLog = EventLog(), identity: String = "test install",
                componentTimeout: Duration = .seconds(30)) -> Engine {
        Engine(cluster: cluster, identity: identity, timeout: .seconds(60), componentTimeout: componentTimeout,
               progress: events.sink)
    }

    func reference(_ kind: String, _ name: String, apiVersion: String = "v1", namespace: String? = "seldon-system") -> ObjectReference {
        ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    }

    @Test func freshInstallEndsHealthyWithRecordsAndCustomResourcesAfterTheirWebhook() async throws {
        let cluster = await ToyStack.cluster()
        let events = EventLog()
        let summary = try await engine(cluster, events: events).install(ToyStack.plan())
        #expect(summary.revision == 1)
        #expect(summary.components.map(\.phase) == [.ready, .ready, .ready])
        #expect(await cluster.object(reference("SeldonDeployment", "canary", apiVersion: "machinelearning.seldon.io/v1")) != nil)
        let records = try await History(cluster: cluster, instance: "seldon", namespace: "seldon-system").records()
        #expect(records.map(\.component).sorted() == ["core", "deploy", "routing"])
        #expect(records.allSatisfy { $0.outcome == .deployed && $0.revision == 1 })
        let core = try #require(records.first { $0.component == "core" })
        #expect(core.objects.count == 7 && core.objects.allSatisfy { $0.uid != nil })
        // deploy starts applying only after core is ready.
        let log = events.all
        let coreReady = try #require(log.firstIndex { $0.component == "core" && { if case .ready = $0.change { true } else { false } }($0) })
        let deployApplies = log.indices.filter { log[$0].component == "deploy" && { if case .applied = $0.change { true } else { false } }(log[$0]) }
        #expect(!deployApplies.isEmpty && deployApplies.allSatisfy { $0 > coreReady })
        // Lock released.
        let lease = await cluster.object(ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "seldon-system", name: "seldon-operator-seldon"))
        #expect(lease?["spec"]["holderIdentity"] == .null)
    }

    @Test func secondIdenticalInstallWritesNothingAndRecordsNoRevision() async throws {
        let cluster = await ToyStack.cluster()
        _ = try await engine(cluster).install(ToyStack.plan())
        await cluster.clearWrites()
        let summary = try await engine(cluster).install(ToyStack.plan())
        let writes = await cluster.writes
        #expect(writes.isEmpty, "writes, the lock's included: \(writes)")
        #expect(summary.revision == nil && summary.writes == 0)
    }

    @Test func valuesChangeWritesOnlyTheChangedObjectsAndOneRecord() async throws {
        let cluster = await ToyStack.cluster()
        _ = try await engine(cluster).install(ToyStack.plan())
        await cluster.clearWrites()
        let changed = ToyStack.plan(
            deployValues: ["replicas": 2],
            deployObjects: [ToyStack.configMap("deploy-config", ["a": "2"]), ToyStack.deployment("seldon-deploy")])
        let summary = try await engine(cluster).install(changed)
        #expect(summary.revision == 2)
        let writes = await cluster.writes.filter { $0.reference.kind != "Lease" }
        #expect(writes.map { "\($0.verb) \($0.reference.kind) \($0.reference.name)" } == [
            "apply Secret seldon-operator.seldon.deploy.v2",
            "apply ConfigMap deploy-config",
            "apply Secret seldon-operator.seldon.deploy.v2",
        ])
        let config = await cluster.object(reference("ConfigMap", "deploy-config"))
        #expect(config?["data"]["a"] == "2")
    }

    @Test func rollbackInstallsTheRecordedSpecAsANewRevisionThatSaysSo() async throws {
        let cluster = await ToyStack.cluster()
        var first = ToyStack.plan()
        first.specText = "spec of revision 1\n"
        _ = try await engine(cluster).install(first)
        _ = try await engine(cluster).install(ToyStack.plan(deployValues: ["replicas": 2]))
        let history = History(cluster: cluster, instance: "seldon", namespace: "seldon-system")
        // What `rollback --to 1` does: the plan rendered again from revision 1's spec.
        var rollback = first
        rollback.specText = try #require(try await history.spec(ofRevision: 1))
        rollback.reason = "rollback to revision 1"
        let summary = try await engine(cluster).install(rollback)
        #expect(summary.revision == 3)
        let deploy = try await history.records().filter { $0.component == "deploy" }
        #expect(deploy.map(\.revision) == [3, 2, 1])
        #expect(deploy.first?.message == "rollback to revision 1" && deploy.first?.spec == "spec of revision 1\n")
        #expect(deploy.first?.valuesHash == deploy.last?.valuesHash)
    }

    @Test func objectDroppedFromTheRenderIsPrunedButKeptObjectsStay() async throws {
        let cluster = await ToyStack.cluster()
        var kept = ToyStack.configMap("kept-config")
        kept["metadata"]["annotations"] = ["helm.sh/resource-policy": "keep"]
        _ = try await engine(cluster).install(ToyStack.plan(
            deployObjects: [ToyStack.configMap("deploy-config"), kept, ToyStack.deployment("seldon-deploy")]))
        _ = try await engine(cluster).install(ToyStack.plan(deployObjects: [ToyStack.deployment("seldon-deploy")]))
        #expect(await cluster.object(reference("ConfigMap", "deploy-config")) == nil)
        #expect(await cluster.object(reference("ConfigMap", "kept-config")) != nil)
        #expect(await cluster.object(reference("Deployment", "seldon-deploy", apiVersion: "apps/v1")) != nil)
    }

    @Test func switchingAComponentOffRemovesExactlyItsObjects() async throws {
        let cluster = await ToyStack.cluster()
        _ = try await engine(cluster).install(ToyStack.plan())
        let before = await cluster.objects.count
        let summary = try await engine(cluster).install(ToyStack.plan(routing: false))
        #expect(summary.revision == 2)
        #expect(await cluster.object(reference("Gateway", "seldon-gateway", apiVersion: "networking.istio.io/v1beta1")) == nil)
        let records = try await History(cluster: cluster, instance: "seldon", namespace: "seldon-system").records()
        #expect(records.first { $0.component == "routing" }?.outcome == .removed)
        // The Gateway went; one removal record and core's new record (its values changed) came.
        #expect(await cluster.objects.count == before - 1 + 2)
    }

    @Test func crashLoopingDeploymentFailsFastNamingPodAndReason() async throws {
        let cluster = await ToyStack.cluster()
        await cluster.setController { object in
            guard object["metadata"]["name"] == "seldon-deploy" else { return ToyStack.healthyController(object) }
            let pod: Value = [
                "apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": "seldon-deploy-7d9f-x2x", "namespace": "seldon-system", "labels": ["app": "seldon-deploy"]],
                "status": ["phase": "Running", "containerStatuses": [[
                    "name": "main", "state": ["waiting": ["reason": "CrashLoopBackOff", "message": "back-off 10s restarting failed container"]],
                ]]],
            ]
            var deployment = object
            deployment["status"] = ["observedGeneration": object["metadata"]["generation"], "replicas": 1, "updatedReplicas": 1]
            return [deployment, pod]
        }
        await #expect {
            _ = try await engine(cluster).install(ToyStack.plan())
        } throws: { error in
            guard case let .unhealthy(component, object, reason) = error as? InstallError else { return false }
            return component == "deploy" && object.name == "seldon-deploy" && reason.code == "CrashLoopBackOff"
                && reason.message.contains("seldon-deploy-7d9f-x2x")
        }
        let records = try await History(cluster: cluster, instance: "seldon", namespace: "seldon-system").records()
        #expect(records.first { $0.component == "deploy" }?.outcome == .failed)
        #expect(records.first { $0.component == "core" }?.outcome == .deployed)
    }

    @Test func missingIstioBlocksRoutingAndInstallsTheRest() async throws {
        let cluster = await ToyStack.cluster(istio: false)
        let events = EventLog()
        let summary = try await engine(cluster, events: events).install(ToyStack.plan(
            routingBlocked: "the cluster does not serve networking.istio.io/v1beta1 Gateway"))
        #expect(summary.components.map { "\($0.name)=\($0.phase.rawValue)" } == ["core=Ready", "deploy=Ready", "routing=Blocked"])
        #expect(events.all.contains { $0.component == "routing" && { if case .blocked = $0.change { true } else { false } }($0) })
    }

    @Test func timeoutListsEveryObjectNotReadyAndWhy() async throws {
        let cluster = await ToyStack.cluster()
        await cluster.setController { object in
            object["metadata"]["name"] == "seldon-deploy" ? [] : ToyStack.healthyController(object)
        }
        await #expect {
            _ = try await engine(cluster, componentTimeout: .milliseconds(300)).install(ToyStack.plan())
        } throws: { error in
            guard case let .timeout(scope, waiting) = error as? InstallError else { return false }
            return scope == "component deploy" && waiting.map(\.reference.name) == ["seldon-deploy"]
                && waiting.first?.status.reason?.code == "NoStatus"
        }
    }

    /// Progress events as a stream, and the engine's sink feeding it: a test acts on the
    /// event it waits for instead of on a timer.
    func progressStream() -> (AsyncStream<ProgressEvent>, ProgressSink) {
        let (events, continuation) = AsyncStream<ProgressEvent>.makeStream()
        return (events, { continuation.yield($0) })
    }

    /// Whether `event` says the wait for `deploy` has seen `object` and finds it without status:
    /// the moment the wait is under way with the object in hand.
    func waitHasSeen(_ object: ObjectReference, in event: ProgressEvent) -> Bool {
        guard event.component == "deploy", case let .progress(_, _, waitingOn) = event.change else { return false }
        return waitingOn?.reference == object && waitingOn?.status.reason?.code == "NoStatus"
    }

    @Test func deletingAnObjectTheInstallWaitsForEndsTheWaitAtOnceNamingIt() async throws {
        let cluster = await ToyStack.cluster()
        await cluster.setController { object in
            object["metadata"]["name"] == "seldon-deploy" ? [] : ToyStack.healthyController(object)
        }
        let target = reference("Deployment", "seldon-deploy", apiVersion: "apps/v1")
        let (events, sink) = progressStream()
        let someone = Task {
            for await event in events where waitHasSeen(target, in: event) {
                return try await cluster.delete(target)
            }
            return false
        }
        let started = ContinuousClock.now
        let timeout = Duration.seconds(120)
        await #expect {
            _ = try await Engine(cluster: cluster, identity: "test", timeout: timeout, componentTimeout: timeout,
                                 progress: sink).install(ToyStack.plan())
        } throws: { error in
            guard case let .deletedWhileWaiting(component, object) = error as? InstallError else { return false }
            return component == "deploy" && object == target
                && "\(error)" == "component deploy failed: Deployment seldon-system/seldon-deploy was deleted while the install waited for it to become healthy"
        }
        // At the deadline a fresh read would find it gone too; the point is not to get there.
        #expect(ContinuousClock.now - started < timeout / 2)
        someone.cancel()
        #expect(try await someone.value)
    }

    @Test func deletedPodsOfAWorkloadDoNotEndTheWaitForIt() async throws {
        let cluster = await ToyStack.cluster()
        let pod = reference("Pod", "seldon-deploy-7d9f-x2x")
        await cluster.setController { object in
            guard object["metadata"]["name"] == "seldon-deploy" else { return ToyStack.healthyController(object) }
            return [[
                "apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": .string(pod.name), "namespace": "seldon-system", "labels": ["app": "seldon-deploy"]],
                "status": ["phase": "Pending"],
            ]]
        }
        let target = reference("Deployment", "seldon-deploy", apiVersion: "apps/v1")
        let (events, sink) = progressStream()
        // A rollout replaces Pods: the old one goes, then the Deployment reports ready.
        let rollout = Task {
            for await event in events where waitHasSeen(target, in: event) {
                guard try await cluster.delete(pod), let deployment = await cluster.object(target) else { return false }
                _ = try await cluster.replaceStatus(
                    ["observedGeneration": deployment["metadata"]["generation"], "replicas": 1, "updatedReplicas": 1,
                     "readyReplicas": 1, "availableReplicas": 1],
                    of: deployment)
                return true
            }
            return false
        }
        let summary = try await Engine(cluster: cluster, identity: "test", timeout: .seconds(120), componentTimeout: .seconds(120),
                                       progress: sink).install(ToyStack.plan())
        #expect(summary.components.map(\.phase) == [.ready, .ready, .ready])
        rollout.cancel()
        #expect(try await rollout.value)
    }

    @Test func customResourcesOfAComponentWithoutWebhooksDoNotWaitForItsWorkloads() async throws {
        let cluster = await ToyStack.cluster()
        // routing's Deployment never becomes ready; nothing guards its Gateway.
        await cluster.setController { object in
            object["metadata"]["name"] == "istio-router" ? [] : ToyStack.healthyController(object)
        }
        var plan = ToyStack.plan()
        plan.components[2].objects = [ToyStack.deployment("istio-router"), ToyStack.gateway]
        await #expect {
            _ = try await engine(cluster, componentTimeout: .milliseconds(300)).install(plan)
        } throws: { error in
            guard case let .timeout(scope, waiting) = error as? InstallError else { return false }
            return scope == "component routing" && waiting.map(\.reference.name) == ["istio-router"]
        }
        #expect(await cluster.object(ToyStack.gatewayReference) != nil, "applied while the Deployment was still starting")
    }

    @Test func customResourcesWaitForTheirWebhooksEndpoints() async throws {
        let cluster = await ToyStack.cluster()
        // The webhook's Deployment never becomes ready, so its Service never gets an endpoint.
        await cluster.setController { object in
            object["metadata"]["name"] == "seldon-controller-manager" ? [] : ToyStack.healthyController(object)
        }
        await #expect {
            _ = try await engine(cluster, componentTimeout: .milliseconds(300)).install(ToyStack.plan())
        } throws: { error in
            guard case let .timeout(scope, waiting) = error as? InstallError else { return false }
            return scope == "component core"
                && waiting.map(\.reference.name) == ["seldon-controller-manager", "seldon-validating-webhook"]
                && waiting.last?.status.reason?.code == "NoReadyEndpoints"
        }
        #expect(await cluster.object(reference("SeldonDeployment", "canary", apiVersion: "machinelearning.seldon.io/v1")) == nil)
    }

    @Test func webhookBackendsAreTheWebhooksTheirServicesAndTheWorkloadsTheySelect() throws {
        var plan = ToyStack.plan()
        plan.components[0].objects.append(ToyStack.deployment("unrelated"))
        let components = try plan.prepared()
        #expect(components[0].webhookBackends.map(\.reference.name)
            == ["seldon-webhook-service", "seldon-controller-manager", "seldon-validating-webhook"])
        #expect(components[1].webhookBackends.isEmpty)
    }

    @Test func unheardEventsAreMadeUpForByAFreshReadAtTheDeadline() async throws {
        let cluster = await ToyStack.cluster()
        // No watch hears anything, as when every thread was busy until the deadline passed:
        // the verdict must rest on what the cluster holds, which is a healthy stack.
        let summary = try await Engine(cluster: DeafWatches(cluster), identity: "test", timeout: .seconds(60),
                                       componentTimeout: .milliseconds(500)).install(ToyStack.plan())
        #expect(summary.components.map(\.phase) == [.ready, .ready, .ready])
    }

    @Test func apiErrorNamesTheObjectAndTheServersMessage() async throws {
        let cluster = await ToyStack.cluster()
        await cluster.fail(name: "deploy-config", with: ClusterError(.invalid, nil, "ConfigMap \"deploy-config\" is invalid: data: Too long"))
        await #expect {
            _ = try await engine(cluster).install(ToyStack.plan())
        } throws: { error in
            String(describing: error) == "applying ConfigMap seldon-system/deploy-config failed: ConfigMap \"deploy-config\" is invalid: data: Too long"
        }
    }

    @Test func concurrentInstallIsRefusedNamingTheHolder() async throws {
        let cluster = await ToyStack.cluster()
        // An hour-long lease: a starved test process must not see it expire and take it over.
        try await LeaseLock(cluster: cluster, namespace: "seldon-system", name: "seldon-operator-seldon",
                            identity: "install by alice (pid 7)", duration: .seconds(3600)).acquire()
        await #expect {
            _ = try await engine(cluster).install(ToyStack.plan())
        } throws: { error in
            guard case let .lock(.held(holder, _)) = error as? InstallError else { return false }
            return holder == "install by alice (pid 7)"
        }
        let written = await cluster.writes.filter { $0.reference.kind != "Lease" && $0.reference.kind != "Namespace" }
        #expect(written.isEmpty)
    }

    @Test func invalidPlanIsRefusedBeforeAnythingIsApplied() async throws {
        let cluster = await ToyStack.cluster()
        var plan = ToyStack.plan()
        plan.components[1].dependencies = ["nonexistent"]
        await #expect(throws: InstallError.self) { _ = try await engine(cluster).install(plan) }
        var cyclic = ToyStack.plan()
        cyclic.components[0].dependencies = ["deploy"]
        await #expect(throws: InstallError.self) { _ = try await engine(cluster).install(cyclic) }
        #expect(await cluster.writes.isEmpty)
    }

    @Test func killedRunsLockIsTakenOverOnceExpiredAndItsWorkFinishedFromItsRecords() async throws {
        let cluster = await ToyStack.cluster()
        // A first run gets as far as deploy's objects of a render with an extra ConfigMap...
        await cluster.setController { object in
            object["metadata"]["name"] == "seldon-deploy" ? [] : ToyStack.healthyController(object)
        }
        _ = try? await engine(cluster, componentTimeout: .milliseconds(200)).install(ToyStack.plan(
            deployObjects: [ToyStack.configMap("deploy-config"), ToyStack.configMap("extra"), ToyStack.deployment("seldon-deploy")]))
        #expect(await cluster.object(reference("ConfigMap", "extra")) != nil)
        // ...and is killed there: its record stays pending and its lease held, last renewed a minute ago.
        let history = History(cluster: cluster, instance: "seldon", namespace: "seldon-system")
        var pending = try #require(try await history.records().first { $0.component == "deploy" })
        pending.outcome = .pending
        try await history.write(pending)
        let killedAt = Date().addingTimeInterval(-60)
        try await LeaseLock(cluster: cluster, namespace: "seldon-system", name: "seldon-operator-seldon",
                            identity: "killed install", now: { killedAt }).acquire()
        // Its controller catches up with the Deployment the first run left behind.
        await cluster.setController(ToyStack.healthyController)
        let stalled = try #require(await cluster.object(reference("Deployment", "seldon-deploy", apiVersion: "apps/v1")))
        for object in ToyStack.healthyController(stalled) { try await cluster.put(object) }

        // Refused while the lease ran (`concurrentInstallIsRefusedNamingTheHolder`); expired, it is taken over.
        _ = try await engine(cluster, identity: "successor").install(ToyStack.plan())
        #expect(await cluster.object(reference("ConfigMap", "extra")) == nil, "the killed run's object is pruned from its record")
        #expect(try await history.records().first { $0.component == "deploy" }?.outcome == .deployed)
        let lease = await cluster.object(ObjectReference(
            apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "seldon-system", name: "seldon-operator-seldon"))
        #expect(lease?["spec"]["holderIdentity"] == .null, "the successor released what it took over")
    }
}

@Suite("Status of an installed stack")
struct StatusTests {
    @Test func nothingInstalledIsAnEmptyReport() async throws {
        let engine = Engine(cluster: MemoryCluster(), identity: "test")
        #expect(try await engine.status(instance: "seldon", namespace: "seldon-system").isEmpty)
    }

    @Test func reportsEachComponentAndWhatItWaitsOn() async throws {
        let cluster = await ToyStack.cluster()
        let engine = Engine(cluster: cluster, identity: "test")
        _ = try await engine.install(ToyStack.plan())
        var reports = try await engine.status(instance: "seldon", namespace: "seldon-system")
        #expect(reports.map { "\($0.name) \($0.phase.rawValue) \($0.ready)/\($0.total)" } == [
            "core Ready 7/7", "deploy Ready 2/2", "routing Ready 1/1",
        ])
        _ = try await engine.install(ToyStack.plan(routing: false))
        // The deploy Deployment loses its replicas: degraded, naming it and why.
        let reference = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "seldon-system", name: "seldon-deploy")
        var deployment = try #require(await cluster.object(reference))
        deployment["status"]["availableReplicas"] = 0
        try await cluster.put(deployment)
        reports = try await engine.status(instance: "seldon", namespace: "seldon-system")
        let deploy = try #require(reports.first { $0.name == "deploy" })
        #expect(deploy.phase == .degraded && deploy.ready == 1)
        #expect(deploy.message == "Deployment seldon-system/seldon-deploy: InProgress: LessAvailable: Available: 0/1")
        #expect(reports.first { $0.name == "routing" }?.phase == .disabled)
    }
}

@Suite("Release history")
struct HistoryTests {
    @Test func keepsTheLastTenRevisionsOfAComponentAndFindsTheirSpec() async throws {
        let cluster = MemoryCluster()
        let history = History(cluster: cluster, instance: "seldon", namespace: "seldon-system")
        for revision in 1...12 {
            let record = ReleaseRecord(
                instance: "seldon", namespace: "seldon-system", component: "core", revision: revision, chartVersion: "1.18.0",
                specHash: "sha256:\(revision)", valuesHash: "sha256:v", outcome: .deployed,
                time: Date(timeIntervalSince1970: 1_795_300_000), objects: [], spec: "revision: \(revision)\n")
            try await history.write(record, trimming: try await history.records())
        }
        let revisions = try await history.records().map(\.revision)
        #expect(revisions == Array((3...12).reversed()))
        #expect(try await history.spec(ofRevision: 7) == "revision: 7\n")
        #expect(try await history.spec(ofRevision: 2) == nil)
    }
}

@Suite("Dry run")
struct PreviewTests {
    @Test func previewListsCreatesUpdatesAndPrunesWithoutWriting() async throws {
        let cluster = await ToyStack.cluster()
        let engine = Engine(cluster: cluster, identity: "test")
        let fresh = try await engine.preview(ToyStack.plan())
        #expect(fresh.count == 10 && fresh.allSatisfy { $0.action == .create })
        #expect(await cluster.writes.isEmpty)
        _ = try await engine.install(ToyStack.plan())
        await cluster.clearWrites()
        let changes = try await engine.preview(ToyStack.plan(routing: false))
        // Core's values changed but render the same objects: nothing of core is written.
        #expect(changes.filter { $0.action != .unchanged }.map(\.description) == [
            "prune Gateway seldon-system/seldon-gateway (routing)"
        ])
        var changedConfig = ToyStack.plan(deployObjects: [ToyStack.configMap("deploy-config", ["a": "2"]), ToyStack.deployment("seldon-deploy")])
        changedConfig.components.removeLast()
        #expect(try await engine.preview(changedConfig).filter { $0.action != .unchanged }.map(\.description) == [
            "update ConfigMap seldon-system/deploy-config (deploy)",
            "prune Gateway seldon-system/seldon-gateway (routing)",
        ])
        #expect(await cluster.writes.isEmpty)
    }
}
