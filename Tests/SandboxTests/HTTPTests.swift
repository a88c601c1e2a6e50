import Foundation
import ProcessTesting
import Testing
@testable import Sandbox
import Unstructured

/// The Sandbox over real sockets: TLS and credentials, watches, faults, the request log and the state file.
@Suite struct HTTPTests {
    static func start(_ configure: (inout SandboxOptions) -> Void = { _ in }) async throws -> (Sandbox, SandboxClient) {
        var options = SandboxOptions()
        options.readyDelay = 0
        options.useTLS = false
        options.controllerInterval = 0.05
        configure(&options)
        let sandbox = try await Sandbox.start(options)
        return (sandbox, SandboxClient(sandbox: sandbox))
    }

    static func configMap(_ name: String) -> [UInt8] {
        BodyCodec.encode(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["a": "1"]])
    }

    static let json = [("Content-Type", "application/json")]

    static func events(_ response: SandboxClient.Response) -> [Value] {
        response.text.split(separator: "\n").compactMap { try? BodyCodec.decode(Array($0.utf8)) }
    }

    @Test func tlsWithTheGeneratedCAAndTokenAuthentication() async throws {
        var options = SandboxOptions()
        options.readyDelay = 0
        let sandbox = try await Sandbox.start(options)
        defer { Task { await sandbox.stop() } }
        let credentials = try #require(sandbox.credentials)
        let client = SandboxClient(sandbox: sandbox)
        #expect(try await client.send("GET", "/api/v1/namespaces").status == 200)
        let wrongToken = SandboxClient(port: sandbox.port, caPEM: credentials.caCertificatePEM, token: "wrong")
        let unauthorized = try await wrongToken.send("GET", "/api/v1/namespaces")
        #expect(unauthorized.status == 401)
        let anonymous = SandboxClient(port: sandbox.port, caPEM: credentials.caCertificatePEM, token: nil)
        #expect(try await anonymous.send("GET", "/api/v1/namespaces").status == 403)
        #expect(try await anonymous.send("GET", "/version").status == 200)
        let kubeconfig = try #require(sandbox.kubeconfig)
        let reread = try SandboxKubeconfig.client(from: kubeconfig, path: "kubeconfig")
        #expect(reread.port == sandbox.port)
        #expect(reread.token == credentials.bearerToken)
        #expect(kubeconfig.contains("client-certificate-data:"))
        await sandbox.stop()
    }

    @Test func watchStreamsEventsAndResumesFromAResourceVersion() async throws {
        let (sandbox, client) = try await Self.start()
        let created = try await client.send("POST", "/api/v1/namespaces/default/configmaps", headers: Self.json, body: Self.configMap("w1"))
        let rv = try #require(try BodyCodec.decode(created.body)["metadata"]["resourceVersion"].stringValue)
        _ = try await client.send("PATCH", "/api/v1/namespaces/default/configmaps/w1", headers: [("Content-Type", "application/merge-patch+json")],
                                  body: BodyCodec.encode(["data": ["a": "2"]]))
        _ = try await client.send("DELETE", "/api/v1/namespaces/default/configmaps/w1")
        let watch = try await client.send("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(rv)", stopAfterLines: 2)
        #expect(watch.status == 200)
        #expect(watch.header("Content-Type") == "application/json")
        #expect(Self.events(watch).map { $0["type"] } == ["MODIFIED", "DELETED"])
        let initial = try await client.send("GET", "/api/v1/namespaces?watch=1", stopAfterLines: 4)
        #expect(Self.events(initial).allSatisfy { $0["type"] == "ADDED" })
        await sandbox.stop()
    }

    @Test func objectsMovingAcrossALabelSelectorAreAddedAndDeleted() async throws {
        let (sandbox, client) = try await Self.start()
        let created = try await client.send("POST", "/api/v1/namespaces/default/configmaps", headers: Self.json, body: Self.configMap("moving"))
        let rv = try #require(try BodyCodec.decode(created.body)["metadata"]["resourceVersion"].stringValue)
        let merge = [("Content-Type", "application/merge-patch+json")]
        for value in ["yes", "no"] {
            _ = try await client.send("PATCH", "/api/v1/namespaces/default/configmaps/moving", headers: merge,
                                      body: BodyCodec.encode(["metadata": ["labels": ["watched": .string(value)]]]))
        }
        let watch = try await client.send("GET", "/api/v1/namespaces/default/configmaps?watch=1&labelSelector=watched%3Dyes&resourceVersion=\(rv)",
                                          stopAfterLines: 2)
        #expect(Self.events(watch).map { $0["type"] } == ["ADDED", "DELETED"])
        await sandbox.stop()
    }

    @Test func watchFromACompactedRevisionIsAnExpiredErrorEvent() async throws {
        let (sandbox, client) = try await Self.start()
        let watch = try await client.send("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1")
        #expect(watch.status == 200)
        let events = Self.events(watch)
        #expect(events.count == 1)
        #expect(events.first?["type"] == "ERROR")
        #expect(events.first?["object"]["code"] == 410)
        #expect(events.first?["object"]["reason"] == "Expired")
        #expect(events.first?["object"]["message"].stringValue?.hasPrefix("too old resource version: 1 (") == true)
        await sandbox.stop()
    }

    @Test func tableWatchesSendColumnsOnlyOnce() async throws {
        let (sandbox, client) = try await Self.start()
        _ = try await client.send("POST", "/api/v1/namespaces/default/configmaps", headers: Self.json, body: Self.configMap("t1"))
        _ = try await client.send("POST", "/api/v1/namespaces/default/configmaps", headers: Self.json, body: Self.configMap("t2"))
        let watch = try await client.send("GET", "/api/v1/namespaces/default/configmaps?watch=true&labelSelector=",
                                          headers: [("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")],
                                          stopAfterLines: 2)
        let events = Self.events(watch)
        #expect(events.count == 2)
        #expect(events.first?["object"]["kind"] == "Table")
        #expect(events.first?["object"]["columnDefinitions"].listValue?.isEmpty == false)
        #expect(events.last?["object"]["columnDefinitions"] == .null)
        await sandbox.stop()
    }

    @Test func bookmarksOnlyWhenAsked() async throws {
        let (sandbox, client) = try await Self.start { $0.bookmarkInterval = 0.1 }
        let watch = try await client.send("GET", "/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion=\(100)&timeoutSeconds=30",
                                          stopAfterLines: 1)
        let bookmark = Self.events(watch).first
        #expect(bookmark?["type"] == "BOOKMARK")
        #expect(bookmark?["object"]["metadata"]["resourceVersion"].stringValue != nil)
        let plain = try await client.send("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=100000&timeoutSeconds=1")
        #expect(Self.events(plain).isEmpty, "the stream ends cleanly at timeoutSeconds without bookmarks")
        await sandbox.stop()
    }

    @Test func requestLogRecordsWritesWithTheirFieldManager() async throws {
        let (sandbox, client) = try await Self.start()
        _ = try await client.send("POST", "/api/v1/namespaces/default/configmaps?fieldManager=tester", headers: Self.json,
                                  body: Self.configMap("logged"))
        let log = try BodyCodec.decode(try await client.send("GET", "/sandbox/requests").body)
        let entry = log["items"].listValue?.first { $0["method"] == "POST" }
        #expect(entry?["status"] == 201)
        #expect(entry?["fieldManager"] == "tester")
        #expect(entry?["path"] == "/api/v1/namespaces/default/configmaps")
        #expect(sandbox.cluster.requestLog.all.contains { $0.method == "POST" && $0.status == 201 })
        await sandbox.stop()
    }

    @Test func requestLogFileGetsOneJSONLinePerRequest() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-requests-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (sandbox, client) = try await Self.start { $0.requestLogPath = path }
        _ = try await client.send("POST", "/api/v1/namespaces/default/configmaps?fieldManager=filed", headers: Self.json,
                                  body: Self.configMap("in-file"))
        await sandbox.stop()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let records = lines.compactMap { try? BodyCodec.decode(Array($0.utf8)) }
        #expect(records.count == lines.count)
        #expect(records.contains { $0["method"] == "POST" && $0["fieldManager"] == "filed" && $0["status"] == 201 })
    }

    /// gunzip, as a separate program, so the test does not trust the Sandbox's own zlib use.
    static func gunzip(_ bytes: [UInt8]) async throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory
        let file = directory.appendingPathComponent("sandbox-gzip-\(UUID().uuidString).gz")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(bytes).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = ["-dc", file.path]
        return Array(try await ChildProcess.run(process).standardOutput)
    }

    @Test func answersOver128KiBAreGzippedWhenTheClientAcceptsIt() async throws {
        let (sandbox, client) = try await Self.start()
        for (name, size) in [("big", 150 * 1024), ("mid", 100 * 1024)] {
            let body = BodyCodec.encode(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)],
                                         "data": ["blob": .string(String(repeating: "x", count: size))]])
            #expect(try await client.send("POST", "/api/v1/namespaces/default/configmaps", headers: Self.json, body: body).status == 201)
        }
        let gzip = [("Accept-Encoding", "gzip")]
        let big = try await client.send("GET", "/api/v1/namespaces/default/configmaps/big", headers: gzip)
        #expect(big.header("Content-Encoding") == "gzip")
        #expect(big.headers.contains { $0.0 == "Vary" && $0.1 == "Accept-Encoding" })
        #expect(big.body.count < 10 * 1024)
        let plain = try await client.send("GET", "/api/v1/namespaces/default/configmaps/big")
        #expect(plain.header("Content-Encoding") == nil)
        #expect(try await Self.gunzip(big.body) == plain.body)
        let mid = try await client.send("GET", "/api/v1/namespaces/default/configmaps/mid", headers: gzip)
        #expect(mid.header("Content-Encoding") == nil, "under the threshold the body goes as it is")
        #expect(try BodyCodec.decode(mid.body)["data"]["blob"].stringValue?.count == 100 * 1024)
        await sandbox.stop()
    }

    @Test func expectContinueIsAnswered() async throws {
        let (sandbox, client) = try await Self.start()
        let reply = try await client.send("POST", "/api/v1/namespaces/default/configmaps",
                                          headers: Self.json + [("Expect", "100-continue")], body: Self.configMap("expected"))
        #expect(reply.status == 201)
        await sandbox.stop()
    }

    @Test func stateSurvivesARestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-state-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (first, client) = try await Self.start { $0.statePath = path }
        let created = try await client.send("POST", "/api/v1/namespaces/default/configmaps", headers: Self.json, body: Self.configMap("kept"))
        let uid = try BodyCodec.decode(created.body)["metadata"]["uid"]
        await first.stop()
        let (second, secondClient) = try await Self.start { $0.statePath = path }
        let reread = try BodyCodec.decode(try await secondClient.send("GET", "/api/v1/namespaces/default/configmaps/kept").body)
        #expect(reread["metadata"]["uid"] == uid)
        let next = try BodyCodec.decode(try await secondClient.send("POST", "/api/v1/namespaces/default/configmaps", headers: Self.json,
                                                                     body: Self.configMap("after")).body)
        let rvBefore = Int(reread["metadata"]["resourceVersion"].stringValue ?? "") ?? 0
        #expect((Int(next["metadata"]["resourceVersion"].stringValue ?? "") ?? 0) > rvBefore, "resourceVersions keep increasing")
        await second.stop()
    }

    @Test func aRestartWithTheStateFileAndPortServesTheSameKubeconfig() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-state-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = SandboxOptions()
        options.readyDelay = 0
        options.statePath = path
        let first = try await Sandbox.start(options)
        let kubeconfig = try #require(first.kubeconfig)
        let client = SandboxClient(sandbox: first)
        #expect(try await client.send("GET", "/api/v1/namespaces").status == 200)
        options.port = first.port
        await first.stop()
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the state file holds private keys: only its owner may read it")

        let second = try await Sandbox.start(options)
        #expect(second.kubeconfig == kubeconfig)
        #expect(try await client.send("GET", "/api/v1/namespaces").status == 200,
                "a client of the first run trusts the second's certificate and its token is still accepted")
        await second.stop()
    }
}
