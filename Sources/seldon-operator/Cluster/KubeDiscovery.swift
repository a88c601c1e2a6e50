import KubeClient
import Stack

/// Stack's `APIDiscovery` over KubeClient. KubeClient's REST mapper reads one discovery
/// document per group-version and caches it, so asking about every kind a component needs
/// costs one request per group-version, as `APIDiscovery.missing` expects.
///
/// The kinds reported are those of the stack's catalog (the only ones a plan asks about):
/// KubeClient does not expose the raw discovery document, only whether a kind maps.
struct KubeDiscovery: APIDiscovery {
    let client: KubeClient

    func servedKinds(in groupVersion: String) async throws -> Set<String> {
        let candidates = Set(Catalog.components.flatMap(\.prerequisites).filter { $0.groupVersion == groupVersion }.map(\.kind))
        var served: Set<String> = []
        for kind in candidates {
            do {
                _ = try await client.mapping(for: GroupVersionKind(apiVersion: groupVersion, kind: kind))
                served.insert(kind)
            } catch is NoMappingError {
                continue
            }
        }
        return served
    }
}
