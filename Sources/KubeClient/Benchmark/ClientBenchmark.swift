import Unstructured

/// Requests per second of the client's main verbs against a live server, for `make bench`
/// (the lead wires it to a Sandbox). Objects are ConfigMaps named `bench-<n>` in `namespace`.
public struct ClientBenchmark: Sendable {
    public struct Measurement: Sendable {
        public var verb: String
        public var requests: Int
        public var seconds: Double
        public var requestsPerSecond: Double { seconds > 0 ? Double(requests) / seconds : 0 }
    }

    public let client: KubeClient
    public let namespace: String
    public let objects: Int

    public init(client: KubeClient, namespace: String = "default", objects: Int = 200) {
        self.client = client
        self.namespace = namespace
        self.objects = objects
    }

    /// Applies `objects` ConfigMaps, gets each, lists them `objects / 10` times, and reports each verb.
    public func run() async throws -> [Measurement] {
        let gvk = GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")
        _ = try await client.mapping(for: gvk)  // discovery outside the measurement
        let names = (0..<objects).map { "bench-\($0)" }
        let apply = try await measure("apply", count: names.count) {
            for name in names {
                _ = try await client.apply(["apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": ["name": .string(name), "namespace": .string(namespace)],
                                            "data": ["n": .string(name)]], force: true)
            }
        }
        let get = try await measure("get", count: names.count) {
            for name in names { _ = try await client.get(gvk, name: name, namespace: namespace) }
        }
        let lists = max(objects / 10, 1)
        let list = try await measure("list", count: lists) {
            for _ in 0..<lists { _ = try await client.list(gvk, namespace: namespace) }
        }
        return [get, list, apply]
    }

    private func measure(_ verb: String, count: Int, _ body: () async throws -> Void) async throws -> Measurement {
        let clock = ContinuousClock()
        let elapsed = try await clock.measure { try await body() }
        return Measurement(verb: verb, requests: count, seconds: elapsed.seconds)
    }
}
