import Foundation
import Testing
@testable import Sandbox
import Unstructured

/// The controller's situation: its own objects picked by a label selector out of thousands of
/// unrelated ones in many namespaces. Lists and watches by selector must return exactly the
/// selected objects, in etcd key order, with pages, and a watch must see only their changes.
@Suite struct ScaleTests {
    static let unrelated = 2_000
    static let selected = 500

    /// Creates the objects through the API layer, as the bench does.
    static func populate(_ sandbox: Sandbox) throws {
        for index in 0..<(unrelated + selected) {
            let namespace = "ns-\(index % 10)"
            if index < 10 {
                let body = BodyCodec.encode(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
                _ = sandbox.cluster.respondNow(to: APIRequest(method: "POST", path: "/api/v1/namespaces",
                                                              headers: ["content-type": "application/json"], body: body,
                                                              hasClientCertificate: true))
            }
            let mine = index >= unrelated
            let labels: Value = mine ? ["app.kubernetes.io/managed-by": "seldon-operator", "index": .string(String(index))]
                                     : ["app": "unrelated"]
            let body = BodyCodec.encode(["apiVersion": "v1", "kind": "ConfigMap",
                                         "metadata": ["name": .string("cm-\(index)"), "labels": labels],
                                         "data": ["payload": .string(String(repeating: "x", count: 256))]])
            let reply = sandbox.cluster.respondNow(to: APIRequest(method: "POST", path: "/api/v1/namespaces/\(namespace)/configmaps",
                                                                  headers: ["content-type": "application/json"], body: body,
                                                                  hasClientCertificate: true))
            guard case .full(201, _, _) = reply else { throw ScaleFailure(description: "create cm-\(index) failed: \(reply)") }
        }
    }

    struct ScaleFailure: Error, CustomStringConvertible { let description: String }

    static let selector = "labelSelector=app.kubernetes.io%2Fmanaged-by%3Dseldon-operator"

    @Test func selectorListsAndPagesReturnExactlyTheSelectedObjectsInKeyOrder() async throws {
        let (sandbox, client) = try await HTTPTests.start()
        try Self.populate(sandbox)
        let all = try BodyCodec.decode(try await client.send("GET", "/api/v1/configmaps?\(Self.selector)").body)
        let names = all["items"].listValue?.compactMap { item -> String? in
            guard let namespace = item["metadata"]["namespace"].stringValue, let name = item["metadata"]["name"].stringValue else { return nil }
            return namespace + "/" + name
        } ?? []
        #expect(names.count == Self.selected)
        #expect(names == names.sorted(), "etcd key order: namespace, then name")
        var paged: [String] = []
        var token = ""
        repeat {
            let page = try BodyCodec.decode(try await client.send("GET", "/api/v1/configmaps?\(Self.selector)&limit=120&continue=\(token)").body)
            paged += page["items"].listValue?.compactMap { "\($0["metadata"]["namespace"].stringValue ?? "")/\($0["metadata"]["name"].stringValue ?? "")" } ?? []
            token = page["metadata"]["continue"].stringValue ?? ""
        } while !token.isEmpty
        #expect(paged == names)
        let oneNamespace = try BodyCodec.decode(try await client.send("GET", "/api/v1/namespaces/ns-3/configmaps?\(Self.selector)").body)
        #expect(oneNamespace["items"].listValue?.count == Self.selected / 10)
        await sandbox.stop()
    }

    @Test func selectorWatchesSeeOnlyTheSelectedObjects() async throws {
        let (sandbox, client) = try await HTTPTests.start()
        try Self.populate(sandbox)
        let listed = try BodyCodec.decode(try await client.send("GET", "/api/v1/configmaps?limit=1").body)
        let revision = try #require(listed["metadata"]["resourceVersion"].stringValue)
        let merge = [("Content-Type", "application/merge-patch+json")]
        // Unrelated churn, then one change to a selected object and one object joining the selection.
        for index in 0..<50 {
            _ = try await client.send("PATCH", "/api/v1/namespaces/ns-\(index % 10)/configmaps/cm-\(index)", headers: merge,
                                      body: BodyCodec.encode(["data": ["payload": "changed"]]))
        }
        _ = try await client.send("PATCH", "/api/v1/namespaces/ns-0/configmaps/cm-2000", headers: merge,
                                  body: BodyCodec.encode(["data": ["payload": "changed"]]))
        _ = try await client.send("PATCH", "/api/v1/namespaces/ns-1/configmaps/cm-1", headers: merge,
                                  body: BodyCodec.encode(["metadata": ["labels": ["app.kubernetes.io/managed-by": "seldon-operator"]]]))
        let resumed = try await client.send("GET", "/api/v1/configmaps?watch=1&\(Self.selector)&resourceVersion=\(revision)",
                                            stopAfterLines: 2, timeoutSeconds: 120)
        let events = HTTPTests.events(resumed)
        #expect(events.map { $0["type"] } == ["MODIFIED", "ADDED"])
        #expect(events.map { $0["object"]["metadata"]["name"] } == ["cm-2000", "cm-1"])
        let initial = try await client.send("GET", "/api/v1/configmaps?watch=1&\(Self.selector)&timeoutSeconds=1",
                                            timeoutSeconds: 120)
        let added = HTTPTests.events(initial)
        #expect(added.count == Self.selected + 1)
        #expect(added.allSatisfy { $0["type"] == "ADDED" && $0["object"]["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "seldon-operator" })
        await sandbox.stop()
    }
}

@Suite struct BenchmarkTests {
    /// `make bench` runs this with 10,000 objects from a release build; here it only has to
    /// complete its checks (every object listed, selected and watched) and report every figure.
    @Test func benchReportsThroughputListLatencyAndMemory() async throws {
        let report = try await SandboxBenchmark.run(objects: 200)
        #expect(report.objects == 200)
        #expect(report.selected == 10)
        let lines = report.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for prefix in ["create:", "list:", "select:", "watch:", "memory:"] {
            #expect(lines.contains { $0.hasPrefix(prefix) }, "\(prefix) missing from:\n\(report.text)")
        }
        #expect(report.createSeconds > 0 && report.listSeconds > 0 && report.selectedListSeconds > 0 && report.watchSeconds > 0)
    }
}
