import Unstructured

/// Requests per second of the client's main verbs against a live server, for `make bench`.
/// It also describes its workload (`objectNames`, `manifest`, `listRounds`), so a reference
/// client measured in the same run can send exactly the same requests.
///
/// `prepare` applies every object once; the measured apply then re-applies them unchanged,
/// which is what an install that is already in place costs, and keeps creates (which the
/// first of two clients would pay alone) out of the comparison.
public struct ClientBenchmark: Sendable {
    public struct Measurement: Sendable {
        public var verb: String
        public var requests: Int
        public var seconds: Double
        public var requestsPerSecond: Double { seconds > 0 ? Double(requests) / seconds : 0 }

        public init(verb: String, requests: Int, seconds: Double) {
            self.verb = verb
            self.requests = requests
            self.seconds = seconds
        }
    }

    public static let kind = GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")

    public let client: KubeClient
    public let namespace: String
    public let objects: Int

    public init(client: KubeClient, namespace: String = "default", objects: Int = 200) {
        self.client = client
        self.namespace = namespace
        self.objects = objects
    }

    public var objectNames: [String] { (0..<objects).map { "bench-\($0)" } }

    /// How many times the benchmark lists the namespace's ConfigMaps.
    public var listRounds: Int { max(objects / 10, 1) }

    /// The ConfigMap the benchmark applies under `name`.
    public func manifest(_ name: String) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "data": ["n": .string(name)]]
    }

    /// Discovery and a first apply of every object, outside any measurement.
    public func prepare() async throws {
        _ = try await client.mapping(for: Self.kind)
        for name in objectNames { _ = try await client.apply(manifest(name), force: true) }
    }

    /// Gets each object, lists `listRounds` times and re-applies each object, one request at a time.
    public func run() async throws -> [Measurement] {
        let names = objectNames
        let get = try await measure("get", count: names.count) {
            for name in names { _ = try await client.get(Self.kind, name: name, namespace: namespace) }
        }
        let list = try await measure("list", count: listRounds) {
            for _ in 0..<listRounds { _ = try await client.list(Self.kind, namespace: namespace) }
        }
        let apply = try await measure("apply", count: names.count) {
            for name in names { _ = try await client.apply(manifest(name), force: true) }
        }
        return [get, list, apply]
    }

    private func measure(_ verb: String, count: Int, _ body: () async throws -> Void) async throws -> Measurement {
        let elapsed = try await ContinuousClock().measure { try await body() }
        return Measurement(verb: verb, requests: count, seconds: elapsed.seconds)
    }
}
