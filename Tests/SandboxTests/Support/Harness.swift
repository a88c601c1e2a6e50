import Foundation
import Testing
@testable import Sandbox
import Unstructured

/// An in-process cluster without TLS, driven through the same request path the HTTP server uses.
struct Harness {
    let cluster: Cluster
    let clock = TestClock()

    init(_ configure: (inout SandboxOptions) -> Void = { _ in }) {
        var options = SandboxOptions()
        options.readyDelay = 0
        configure(&options)
        let clock = self.clock
        cluster = Cluster(options: options, credentials: nil, requestLog: RequestLog(), clock: { clock.now })
    }

    struct Reply {
        var status: Int
        var headers: [(String, String)]
        var bytes: [UInt8]
        var body: Value { (try? BodyCodec.decode(bytes)) ?? .null }
        var text: String { String(decoding: bytes, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    @discardableResult
    func call(_ method: String, _ uri: String, _ body: Value? = nil, contentType: String = "application/json",
              accept: String = "application/json", headers: [String: String] = [:]) -> Reply {
        let (path, query) = APIRequest.splitURI(uri)
        var allHeaders = ["content-type": contentType, "accept": accept, "user-agent": "harness/1.0"]
        for (key, value) in headers { allHeaders[key.lowercased()] = value }
        let request = APIRequest(method: method, path: path, query: query, headers: allHeaders,
                                 body: body.map(BodyCodec.encode) ?? [])
        switch cluster.respondNow(to: request) {
        case let .full(status, headers, bytes): return Reply(status: status, headers: headers, bytes: bytes)
        case let .stream(status, headers, _): return Reply(status: status, headers: headers, bytes: [])
        case .drop, .hang: return Reply(status: 0, headers: [], bytes: [])
        }
    }

    func raw(_ method: String, _ uri: String, bytes: [UInt8], contentType: String) -> Reply {
        let (path, query) = APIRequest.splitURI(uri)
        let request = APIRequest(method: method, path: path, query: query,
                                 headers: ["content-type": contentType, "user-agent": "harness/1.0"], body: bytes)
        guard case let .full(status, headers, body) = cluster.respondNow(to: request) else {
            return Reply(status: 0, headers: [], bytes: [])
        }
        return Reply(status: status, headers: headers, bytes: body)
    }

    /// Runs the controllers `times` times, a simulated second apart.
    func settle(_ times: Int = 6) {
        for _ in 0..<times {
            clock.advance(by: 1)
            cluster.tick()
        }
    }

    func createNamespace(_ name: String) {
        call("POST", "/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
    }

    /// The widget CRD of the kube-reference captures, Established.
    func installWidgets() throws {
        let text = try String(contentsOfFile: Reference.root + "/manifests/widget-crd.yaml", encoding: .utf8)
        let crd = try YAML.parse(text)
        let reply = call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
        #expect(reply.status == 201, "\(reply.text)")
        settle(3)
    }
}

/// The kube-reference captures: what a real kube-apiserver answered.
enum Reference {
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        let package = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return package.appendingPathComponent("../shared/kube-reference").standardizedFileURL.path
    }()

    static func response(_ name: String) throws -> Value {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(root)/responses/\(name).json"))
        return try BodyCodec.decode(Array(data))
    }

    /// The shape of a value: map keys in order with their shapes, list element shapes, scalar kinds.
    /// Identifiers, times and messages differ between runs; the shape must not.
    static func shape(_ value: Value) -> Value {
        switch value {
        case let .map(map):
            var result = Value.Map()
            for (key, child) in map { result[key] = shape(child) }
            return .map(result)
        case let .list(items): return .list(items.prefix(1).map(shape))
        case .string: return "string"
        case .int, .float: return "number"
        case .bool: return "bool"
        default: return "null"
        }
    }
}

/// A clock tests move by hand, so controller delays need no sleeping.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}
