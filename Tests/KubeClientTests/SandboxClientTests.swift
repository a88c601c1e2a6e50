import Foundation
import Sandbox
import Synchronization
import Testing
import Unstructured
@testable import KubeClient

private let configMap = GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")

private func configMapObject(_ name: String, data: Value = ["a": "1"]) -> Value {
    ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"], "data": data]
}

/// The client against the project's Sandbox over HTTPS: each auth path, TLS failures, and
/// the faults the Sandbox injects.
@Suite("KubeClient against the Sandbox")
struct SandboxClientTests {
    @Test func clientCertificateAuth() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.clientCertificateUser)
        let created = try await client.create(configMapObject("by-certificate"))
        #expect(created["metadata"]["uid"].stringValue?.isEmpty == false)
        let read = try await client.get(configMap, name: "by-certificate")
        #expect(read["data"]["a"] == "1")
    }

    @Test func tokenAuthAndAWrongToken() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser)
        let namespaces = try await client.list(GroupVersionKind(apiVersion: "v1", kind: "Namespace"), namespace: nil)
        #expect(namespaces.items.contains { $0["metadata"]["name"] == "default" })

        let wrong = try harness.client(user: "token: not-the-token")
        let error = await #expect(throws: APIError.self) { try await wrong.get(configMap, name: "x") }
        #expect(error?.reason == .unauthorized)
    }

    @Test func execPluginCredentialIsCachedUntilExpiry() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let plugin = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/exec-plugin.sh")
        try FileManager.default.copyItem(at: plugin, to: harness.folder.appending(path: "exec-plugin.sh"))
        let runs = harness.folder.appending(path: "runs").path
        let user = """
            exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./exec-plugin.sh
                  interactiveMode: Never
                  env:
                  - {name: PLUGIN_RUNS, value: \(runs)}
                  - {name: PLUGIN_TOKEN, value: \(harness.credentials.bearerToken)}
                  - {name: PLUGIN_API_VERSION, value: client.authentication.k8s.io/v1}
                  - {name: PLUGIN_EXPIRES, value: "2999-01-01T00:00:00Z"}
            """
        let client = try harness.client(user: user)
        _ = try await client.create(configMapObject("by-plugin"))
        _ = try await client.get(configMap, name: "by-plugin")
        _ = try await client.list(configMap, namespace: "default")
        let count = try String(contentsOfFile: runs, encoding: .utf8).split(separator: "\n").count
        #expect(count == 1)
    }

    @Test func anUnknownCAIsAClearTLSError() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let other = try await TestPKI(commonName: "not-the-sandbox-ca")
        let caData = Data(try other.bytes(other.caCertificate)).base64EncodedString()
        let client = try harness.client(user: harness.tokenUser, cluster: "certificate-authority-data: \(caData)")
        let error = await #expect(throws: TransportError.self) { try await client.get(configMap, name: "x") }
        #expect(error?.kind == .untrustedServerCertificate)
        #expect(error?.description.contains("certificate-authority-data") == true)
    }

    @Test func insecureSkipTLSVerifyWhenTheKubeconfigSaysSo() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser, cluster: "insecure-skip-tls-verify: true")
        let version = try await client.list(configMap, namespace: "default")
        #expect(version.resourceVersion.isEmpty == false)
    }

    @Test func theRequestLogShowsOneConnectionCarryingEveryRequest() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser)
        for index in 0..<10 { _ = try await client.create(configMapObject("reuse-\(index)")) }
        _ = try await client.get(configMap, name: "reuse-3")
        _ = try await client.list(configMap, namespace: "default")
        let records = harness.sandbox.cluster.requestLog.all
        // Discovery, ten creates, a get and a list, one after another: one kept-alive connection.
        #expect(records.count >= 13)
        #expect(Set(records.map(\.connection)).count == 1)
        #expect(records.allSatisfy { $0.connection > 0 })
    }

    @Test func aKindIsFoundOnceItsCRDIsEstablishedThroughAggregatedDiscovery() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser)
        let gadget = GroupVersionKind(apiVersion: "kubeclient.example.com/v1", kind: "Gadget")
        await #expect(throws: NoMappingError.self) { try await client.list(gadget, namespace: "default") }

        let crdKind = GroupVersionKind(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition")
        let crdName = "gadgets.kubeclient.example.com"
        _ = try await client.create([
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": .string(crdName)],
            "spec": ["group": "kubeclient.example.com", "scope": "Namespaced",
                     "names": ["plural": "gadgets", "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList"],
                     "versions": [["name": "v1", "served": true, "storage": true,
                                   "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]]],
        ])
        try await withDeadline(waitingFor: "the CRD to become Established") {
            while true {
                let conditions = try await client.get(crdKind, name: crdName)["status"]["conditions"].listValue ?? []
                if conditions.contains(where: { $0["type"] == "Established" && $0["status"] == "True" }) { return }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        // No invalidateDiscovery(): the kind not found earlier is looked up again.
        let created = try await client.create(["apiVersion": "kubeclient.example.com/v1", "kind": "Gadget",
                                               "metadata": ["name": "g1", "namespace": "default"], "spec": ["size": 1]])
        #expect(created["metadata"]["uid"].stringValue?.isEmpty == false)

        let discovery = harness.sandbox.cluster.requestLog.all.filter {
            $0.method == "GET" && $0.path.hasPrefix("/api") && !$0.path.contains("/namespaces/")
                && !$0.path.contains("/customresourcedefinitions/")
        }
        #expect(Set(discovery.map(\.path)) == ["/apis"], "aggregated discovery: no per-group-version requests")
    }

    @Test func everyVerb() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser)
        for index in 0..<5 { _ = try await client.create(configMapObject("page-\(index)")) }
        let all = try await client.list(configMap, namespace: "default", options: ListOptions(limit: 2))
        #expect(all.items.filter { $0["metadata"]["name"].stringValue?.hasPrefix("page-") == true }.count == 5)

        let duplicate = await #expect(throws: APIError.self) { try await client.create(configMapObject("page-0")) }
        #expect(duplicate?.reason == .alreadyExists)

        var stale = try await client.get(configMap, name: "page-1")
        _ = try await client.patch(configMap, name: "page-1", .merge(["data": ["b": "2"]]))
        stale["data"]["a"] = "changed"
        let conflict = await #expect(throws: APIError.self) { try await client.update(stale) }
        #expect(conflict?.reason == .conflict)

        let patched = try await client.patch(configMap, name: "page-2",
                                             .json([["op": "add", "path": "/data/c", "value": "3"]]))
        #expect(patched["data"]["c"] == "3")

        let applied = try await client.apply(configMapObject("applied", data: ["k": "v"]))
        #expect(applied["data"]["k"] == "v")
        let fight = await #expect(throws: APIError.self) {
            try await client.apply(configMapObject("applied", data: ["k": "other"]), options: WriteOptions(fieldManager: "rival"))
        }
        #expect(fight?.reason == .conflict)
        #expect(fight?.causes.isEmpty == false)
        let forced = try await client.apply(configMapObject("applied", data: ["k": "other"]), force: true,
                                            options: WriteOptions(fieldManager: "rival"))
        #expect(forced["data"]["k"] == "other")

        _ = try await client.create(configMapObject("dry"), options: WriteOptions(dryRun: true))
        let missing = await #expect(throws: APIError.self) { try await client.get(configMap, name: "dry") }
        #expect(missing?.reason == .notFound)

        let precondition = await #expect(throws: APIError.self) {
            try await client.delete(configMap, name: "page-3", options: DeleteOptions(preconditionUID: "not-the-uid"))
        }
        #expect(precondition?.reason == .conflict)
        let deleted = try await client.delete(configMap, name: "page-3", options: DeleteOptions(propagationPolicy: .background))
        guard case .deleted = deleted else { Issue.record("expected the ConfigMap to be gone"); return }

        try await client.deleteCollection(configMap, namespace: "default", list: ListOptions(fieldSelector: "metadata.name=page-4"))
        await #expect(throws: APIError.self) { try await client.get(configMap, name: "page-4") }

        let invalid = await #expect(throws: APIError.self) { try await client.create(configMapObject("Not_A_Name")) }
        #expect(invalid?.reason == .invalid)

        await #expect(throws: NoMappingError.self) {
            try await client.get(GroupVersionKind(apiVersion: "example.com/v1", kind: "Nothing"), name: "x")
        }
    }
}

@Suite("KubeClient under injected faults")
struct SandboxFaultTests {
    private func fastRetries(attempts: Int = 4) -> ClientOptions {
        ClientOptions(retry: RetryPolicy(maxAttempts: attempts, backoff: ExponentialBackoff(initial: .milliseconds(20), maximum: .milliseconds(100))))
    }

    /// A watcher of the default namespace's ConfigMaps that backs off briefly, so recoveries are quick.
    private func quickWatcher(_ client: KubeClient) -> Watcher {
        var watcher = Watcher(client: client, gvk: configMap, namespace: "default")
        watcher.backoff = ExponentialBackoff(initial: .milliseconds(20), maximum: .milliseconds(100))
        return watcher
    }

    @Test func aCutWatchResumesWithoutLossOrRepeats() async throws {
        let harness = try await SandboxHarness.start(faults: FaultSpec.parse("watch-cut=1"))
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser)
        let watcher = quickWatcher(client)
        let names = (0..<12).map { "cut-\($0)" }
        let listed = AsyncStream<Void>.makeStream()
        let reader = Task {
            try await withDeadline(waitingFor: "the \(names.count) ConfigMaps through cut watches") {
                defer { listed.continuation.finish() }
                var seen: [String] = []
                for try await event in watcher.events() {
                    switch event {
                    case .initDone: listed.continuation.finish()
                    case let .apply(object):
                        if let name = object["metadata"]["name"].stringValue, name.hasPrefix("cut-") { seen.append(name) }
                    default: break
                    }
                    if seen.count == names.count { break }
                }
                return seen
            }
        }
        for await _ in listed.stream {}
        for name in names { _ = try await client.create(configMapObject(name)) }
        let seen = try await reader.value
        #expect(seen == names)
        let watches = harness.sandbox.cluster.requestLog.all.filter { $0.query.contains("watch=true") }
        #expect(watches.count > 1)
    }

    @Test func a410InsideTheWatchLeadsToARelist() async throws {
        let harness = try await SandboxHarness.start(faults: FaultSpec.parse("watch-410=1"))
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser)
        let watcher = quickWatcher(client)
        let starts = try await withDeadline(waitingFor: "the watcher to list again after the 410") {
            var starts = 0
            for try await event in watcher.events() {
                if case .initStarted = event { starts += 1 }
                if starts == 2 { break }
            }
            return starts
        }
        #expect(starts == 2)
        let watches = harness.sandbox.cluster.requestLog.all.filter { $0.query.contains("watch=true") }
        #expect(!watches.isEmpty, "the relist followed a watch, which the server answered with 410")
    }

    @Test func tooManyRequestsIsWaitedOut() async throws {
        let harness = try await SandboxHarness.start(faults: FaultSpec.parse("429=0.5,retry-after=1"))
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser, options: fastRetries(attempts: 12))
        for index in 0..<4 { _ = try await client.create(configMapObject("busy-\(index)")) }
        let list = try await client.list(configMap, namespace: "default")
        #expect(list.items.count >= 4)
        let throttled = harness.sandbox.cluster.requestLog.all.filter { $0.status == 429 }
        #expect(!throttled.isEmpty)
    }

    @Test func serverSideApplyIsRetriedWhenTheConnectionBreaks() async throws {
        let harness = try await SandboxHarness.start(faults: FaultSpec.parse("drop=0.3"))
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser, options: fastRetries(attempts: 10))
        for index in 0..<20 {
            let object: Value = ["apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": ["name": .string("applied-\(index)"), "namespace": "default"], "data": ["k": "v"]]
            _ = try await client.apply(object)
        }
        let log = harness.sandbox.cluster.requestLog.all
        #expect(log.contains { $0.method == "PATCH" && $0.status == 0 }, "no apply was dropped, so the test proved nothing")
        #expect(Set(log.filter { $0.method == "PATCH" && (200..<300).contains($0.status) }.map(\.path)).count == 20)
    }

    @Test func serverErrorsAreRetriedThenSurfaced() async throws {
        let harness = try await SandboxHarness.start(faults: FaultSpec.parse("500=1"))
        defer { Task { await harness.stop() } }
        let client = try harness.client(user: harness.tokenUser, options: fastRetries(attempts: 3))
        let error = await #expect(throws: APIError.self) { try await client.get(configMap, name: "x") }
        #expect(error?.reason == .internalError)
        let failures = harness.sandbox.cluster.requestLog.all.filter { $0.status == 500 }
        #expect(failures.count == 3)
    }

    @Test func theRequestObserverHearsEveryAttemptWithItsStatus() async throws {
        let harness = try await SandboxHarness.start(faults: FaultSpec.parse("500=1"))
        defer { Task { await harness.stop() } }
        let heard = HeardRequests()
        var options = fastRetries(attempts: 3)
        options.requestObserver = heard.observer
        let client = try harness.client(user: harness.tokenUser, options: options)
        _ = await #expect(throws: APIError.self) { try await client.get(configMap, name: "x") }
        // Discovery failed first (every answer is 500): each of its attempts is heard too.
        #expect(heard.all.filter { $0 == ("discovery", 500) }.count == 3, "\(heard.all)")
        #expect(heard.all.allSatisfy { $0.status == 500 })
    }
}

@Suite("KubeClient request observer")
struct RequestObserverTests {
    @Test func eachVerbIsHeardWithTheExactStatusDiscoveryAndWatchesIncluded() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let heard = HeardRequests()
        let client = try harness.client(user: harness.tokenUser, options: ClientOptions(requestObserver: heard.observer))
        let object: Value = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "observed", "namespace": "default"]]
        _ = try await client.create(object)
        _ = await #expect(throws: APIError.self) { try await client.create(object) }
        _ = try await client.apply(object)
        _ = try await client.get(configMap, name: "observed")
        _ = try await client.list(configMap, namespace: "default")
        _ = try await client.patch(configMap, name: "observed", .merge(["data": ["k": "v"]]))
        var events = try await client.watch(configMap, namespace: "default", resourceVersion: nil, timeoutSeconds: 1).makeAsyncIterator()
        _ = try await events.next()
        _ = try await client.delete(configMap, name: "observed")
        _ = await #expect(throws: APIError.self) { try await client.get(configMap, name: "observed") }
        let all = heard.all
        #expect(all.contains { $0 == ("discovery", 200) }, "\(all)")
        let verbs = all.filter { $0.verb != "discovery" }
        #expect(verbs.map { "\($0.verb) \($0.status.map(String.init) ?? "-")" } == [
            "create 201", "create 409", "apply 200", "get 200", "list 200", "patch 200", "watch 200", "delete 200", "get 404",
        ])
    }

    @Test func noAnswerIsHeardAsNoStatus() async throws {
        let harness = try await SandboxHarness.start()
        let heard = HeardRequests()
        let client = try harness.client(user: harness.tokenUser, options: ClientOptions(
            retry: RetryPolicy(maxAttempts: 2, backoff: ExponentialBackoff(initial: .milliseconds(10), maximum: .milliseconds(10))),
            requestObserver: heard.observer))
        await harness.stop()
        _ = await #expect(throws: TransportError.self) { try await client.get(configMap, name: "x") }
        #expect(heard.all.count == 2 && heard.all.allSatisfy { $0 == ("discovery", nil) }, "\(heard.all)")
    }
}

/// What a `RequestObserver` heard, in order.
final class HeardRequests: Sendable {
    private let requests = Mutex<[(verb: String, status: Int?)]>([])
    var all: [(verb: String, status: Int?)] { requests.withLock { $0 } }
    var observer: RequestObserver { RequestObserver { verb, status in self.requests.withLock { $0.append((verb, status)) } } }
}

@Suite("KubeClient debug log")
struct DebugLogTests {
    @Test func showsConnectionReuseAndNoSecret() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let log = CapturedLog()
        let client = try harness.client(user: harness.clientCertificateUser + "\n    " + harness.tokenUser, logger: log.logger())
        let secret: Value = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "default"],
                             "stringData": ["password": "hunter2-plain"], "data": ["key": .string(Data("s3cr3t-bytes".utf8).base64EncodedString())]]
        _ = try await client.create(secret)
        _ = try await client.get(GroupVersionKind(apiVersion: "v1", kind: "Secret"), name: "db")
        _ = try await client.apply(secret)
        let text = log.text
        #expect(text.contains("reused connection"))
        #expect(text.contains("Authorization=<redacted>"))
        for secretText in ["hunter2-plain", Data("s3cr3t-bytes".utf8).base64EncodedString(), harness.credentials.bearerToken,
                           harness.b64(harness.credentials.clientKeyPEM)] {
            #expect(!text.contains(secretText))
        }
    }
}
