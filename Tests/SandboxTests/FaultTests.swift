import Foundation
import Testing
@testable import Sandbox
import Unstructured

@Suite struct FaultTests {
    @Test func specificationsParseAndBadOnesNameTheProblem() throws {
        let spec = try FaultSpec.parse("500=0.1,503=0.2,429=0.3,retry-after=4,latency=50ms,drop=0.01,hang=0.02,watch-cut=0.5,watch-410=0.25,crashloop=a/b,image-pull=e/f,unschedulable=c/d,stuck-finalizer=x.io/keep")
        #expect(spec.error500 == 0.1 && spec.error503 == 0.2 && spec.error429 == 0.3)
        #expect(spec.retryAfterSeconds == 4 && spec.latencySeconds == 0.05 && spec.dropRate == 0.01 && spec.hangRate == 0.02)
        #expect(spec.watchCutRate == 0.5 && spec.watchGoneRate == 0.25)
        #expect(spec.crashLooping == ["a/b"] && spec.unschedulable == ["c/d"] && spec.imagePullFailing == ["e/f"] && spec.stuckFinalizers == ["x.io/keep"])
        #expect(throws: FaultSpec.ParseError.self) { try FaultSpec.parse("500=2") }
        #expect(throws: FaultSpec.ParseError.self) { try FaultSpec.parse("explode=1") }
    }

    static func statuses(seed: UInt64) async throws -> [Int] {
        let (sandbox, client) = try await HTTPTests.start {
            $0.seed = seed
            $0.faults.error500 = 0.2
            $0.faults.error503 = 0.2
            $0.faults.error429 = 0.2
            $0.faults.retryAfterSeconds = 3
        }
        var statuses: [Int] = []
        for _ in 0..<30 {
            let reply = try await client.send("GET", "/api/v1/namespaces")
            statuses.append(reply.status)
            let status = try BodyCodec.decode(reply.body)
            switch reply.status {
            case 429:
                #expect(reply.header("Retry-After") == "3")
                #expect(status["reason"] == "TooManyRequests" && status["details"]["retryAfterSeconds"] == 3)
            case 503: #expect(status["kind"] == "Status" && status["reason"] == "ServiceUnavailable")
            case 500: #expect(status["kind"] == "Status" && status["reason"] == "InternalError")
            default: #expect(status["kind"] == "NamespaceList")
            }
        }
        await sandbox.stop()
        return statuses
    }

    @Test func errorRatesAreDeterministicUnderASeed() async throws {
        let first = try await Self.statuses(seed: 7)
        let second = try await Self.statuses(seed: 7)
        #expect(first == second)
        #expect(Set(first).isSuperset(of: [200, 500, 503, 429]))
        #expect(try await Self.statuses(seed: 8) != first)
    }

    @Test func droppedConnectionsCloseWithoutAnAnswer() async throws {
        let (sandbox, client) = try await HTTPTests.start { $0.faults.dropRate = 1 }
        await #expect(throws: (any Error).self) { _ = try await client.send("GET", "/api/v1/namespaces") }
        #expect(try await client.send("GET", "/version").status == 200, "faults apply to the API paths only")
        await sandbox.stop()
    }

    @Test func hungRequestsAreNeverAnsweredUntilTheClientGivesUp() async throws {
        let (sandbox, client) = try await HTTPTests.start { $0.faults.hangRate = 1 }
        await #expect(throws: (any Error).self, "the client's 1 s timeout is what ends the request") {
            _ = try await client.send("GET", "/api/v1/namespaces", timeoutSeconds: 1)
        }
        #expect(try await client.send("GET", "/version").status == 200, "faults apply to the API paths only")
        #expect(sandbox.cluster.requestLog.all.first { $0.path == "/api/v1/namespaces" }?.status == 499,
                "logged as nginx's 499 client closed request")
        await sandbox.stop()
    }

    @Test func hangsAndDropsAreDeterministicUnderASeed() {
        func outcomes(seed: UInt64) -> [InjectedFault] {
            let harness = Harness {
                $0.seed = seed
                $0.faults.hangRate = 0.3
                $0.faults.dropRate = 0.2
            }
            return (0..<40).map { _ in harness.cluster.decideFault(for: APIRequest(method: "GET", path: "/api/v1/pods")) }
        }
        let first = outcomes(seed: 3)
        #expect(first == outcomes(seed: 3))
        #expect(first.contains(.hang) && first.contains(.drop) && first.contains(.none))
        #expect(outcomes(seed: 4) != first)
    }

    @Test func latencyDelaysButStillAnswers() async throws {
        let (sandbox, client) = try await HTTPTests.start { $0.faults.latencySeconds = 0.3 }
        let started = Date()
        #expect(try await client.send("GET", "/api/v1/namespaces").status == 200)
        #expect(Date().timeIntervalSince(started) >= 0.3, "the answer waits at least the configured latency")
        await sandbox.stop()
    }

    @Test func watchesCanBeCutOrAnsweredGone() async throws {
        let (gone, goneClient) = try await HTTPTests.start { $0.faults.watchGoneRate = 1 }
        let expired = try await goneClient.send("GET", "/api/v1/namespaces?watch=1&resourceVersion=150")
        #expect(HTTPTests.events(expired).first?["object"]["code"] == 410)
        await gone.stop()
        let (cut, cutClient) = try await HTTPTests.start { $0.faults.watchCutRate = 1 }
        let stream = try await cutClient.send("GET", "/api/v1/namespaces?watch=1")
        let events = HTTPTests.events(stream)
        #expect((1...3).contains(events.count), "the stream ends after a few events instead of running on")
        await cut.stop()
    }

    func deployment(_ name: String) -> Value {
        ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
         "spec": ["replicas": 1, "selector": ["matchLabels": ["app": .string(name)]], "template": ControllerTests.podTemplate(name)]]
    }

    @Test func namedDeploymentsCrashLoopOrStayUnschedulable() {
        let harness = Harness {
            $0.faults.crashLooping = ["app/broken"]
            $0.faults.unschedulable = ["app/huge"]
            $0.faults.imagePullFailing = ["app/missing"]
        }
        harness.createNamespace("app")
        for name in ["broken", "huge", "missing", "fine"] {
            harness.call("POST", "/apis/apps/v1/namespaces/app/deployments", deployment(name))
        }
        harness.settle(8)
        let pods = harness.call("GET", "/api/v1/namespaces/app/pods").body["items"].listValue ?? []
        func pod(_ prefix: String) -> Value { pods.first { $0["metadata"]["name"].stringValue?.hasPrefix(prefix + "-") == true } ?? .null }
        #expect(pod("broken")["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "CrashLoopBackOff")
        #expect((pod("broken")["status"]["containerStatuses"][0]["restartCount"].intValue ?? 0) > 0)
        let scheduled = pod("huge")["status"]["conditions"].listValue?.first { $0["type"] == "PodScheduled" }
        #expect(scheduled?["status"] == "False" && scheduled?["reason"] == "Unschedulable")
        #expect(pod("missing")["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "ImagePullBackOff")
        #expect(pod("fine")["status"]["phase"] == "Running")
        let broken = harness.call("GET", "/apis/apps/v1/namespaces/app/deployments/broken").body["status"]
        #expect(broken["conditions"].listValue?.contains { $0["type"] == "Available" && $0["status"] == "False" } == true)
    }

    @Test func stalledRolloutsExceedTheirProgressDeadline() {
        let harness = Harness { $0.faults.crashLooping = ["app/broken"] }
        harness.createNamespace("app")
        var stalled = deployment("broken")
        stalled[path: ["spec", "progressDeadlineSeconds"]] = 5
        harness.call("POST", "/apis/apps/v1/namespaces/app/deployments", stalled)
        harness.settle(3)
        func progressing() -> Value? {
            harness.call("GET", "/apis/apps/v1/namespaces/app/deployments/broken").body["status"]["conditions"].listValue?
                .first { $0["type"] == "Progressing" }
        }
        #expect(progressing()?["status"] == "True")
        harness.settle(6)
        #expect(progressing()?["status"] == "False")
        #expect(progressing()?["reason"] == "ProgressDeadlineExceeded")
    }

    @Test func stuckFinalizersKeepCustomResourcesTerminating() throws {
        let harness = Harness { $0.faults.stuckFinalizers = ["chaos.example.com/never"] }
        harness.createNamespace("ref")
        try harness.installWidgets()
        let widgets = "/apis/ref.example.com/v1/namespaces/ref/widgets"
        let created = harness.call("POST", widgets, ["apiVersion": "ref.example.com/v1", "kind": "Widget", "metadata": ["name": "w"], "spec": ["size": 1]])
        #expect(created.body["metadata"]["finalizers"] == ["chaos.example.com/never"])
        harness.call("DELETE", widgets + "/w")
        harness.settle(5)
        #expect(!harness.call("GET", widgets + "/w").body["metadata"]["deletionTimestamp"].isNull)
    }
}
