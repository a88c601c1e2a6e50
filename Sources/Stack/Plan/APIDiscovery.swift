/// What the stack needs to know about a cluster's APIs to decide whether a component can go
/// in. The KubeClient side implements it over `/apis`; tests use `InMemoryDiscovery`.
public protocol APIDiscovery: Sendable {
    /// The kinds the cluster serves in `groupVersion` (`networking.istio.io/v1beta1`);
    /// empty when it does not serve that group version at all.
    func servedKinds(in groupVersion: String) async throws -> Set<String>
}

/// A fixed set of served kinds: the discovery of a cluster known in advance.
public struct InMemoryDiscovery: APIDiscovery {
    public let kinds: [String: Set<String>]

    public init(_ kinds: [String: Set<String>]) { self.kinds = kinds }

    /// A cluster serving exactly `requirements`.
    public init(serving requirements: [APIRequirement]) {
        self.init(Dictionary(grouping: requirements, by: \.groupVersion).mapValues { Set($0.map(\.kind)) })
    }

    public func servedKinds(in groupVersion: String) async throws -> Set<String> {
        kinds[groupVersion] ?? []
    }
}

extension APIDiscovery {
    /// The requirements the cluster does not serve, sorted; one discovery call per group version.
    public func missing(_ requirements: [APIRequirement]) async throws -> [APIRequirement] {
        var missing: [APIRequirement] = []
        for (groupVersion, wanted) in Dictionary(grouping: Set(requirements), by: \.groupVersion).sorted(by: { $0.key < $1.key }) {
            let served = try await servedKinds(in: groupVersion)
            missing += wanted.filter { !served.contains($0.kind) }
        }
        return missing.sorted()
    }
}
