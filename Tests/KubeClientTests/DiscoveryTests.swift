import Testing
import Unstructured
@testable import KubeClient

/// A canned API server's discovery endpoints, recording the paths the mapper asks for. Kinds
/// can be added while the test runs, as a CRD becoming Established adds them.
private actor DiscoveryServer {
    let servesAggregated: Bool
    private(set) var requests: [String] = []
    private var widgetKinds: [(kind: String, resource: String)] = [("Widget", "widgets")]

    init(servesAggregated: Bool) { self.servesAggregated = servesAggregated }

    func establish(kind: String, resource: String) { widgetKinds.append((kind, resource)) }

    func answer(_ path: String, accept: String) -> DiscoveryReply? {
        requests.append(path)
        switch path {
        case "/apis" where servesAggregated && accept.contains("as=APIGroupDiscoveryList"):
            let resources: [Value] = widgetKinds.map {
                ["resource": .string($0.resource), "responseKind": ["group": "", "version": "", "kind": .string($0.kind)],
                 "scope": "Namespaced", "subresources": [["subresource": "status"]]]
            }
            let document: Value = ["kind": "APIGroupDiscoveryList", "items": [
                ["metadata": ["name": "example.com"], "versions": [["version": "v1", "resources": .list(resources)]]],
                ["metadata": ["name": "apps"], "versions": [["version": "v1", "resources": [
                    ["resource": "deployments", "responseKind": ["group": "", "version": "", "kind": "Deployment"],
                     "scope": "Namespaced"],
                ]]]],
            ]]
            return DiscoveryReply(document: document, contentType: RESTMapper.aggregatedAccept.components(separatedBy: ",")[0])
        case "/apis":
            return DiscoveryReply(document: ["kind": "APIGroupList", "groups": []], contentType: "application/json")
        case "/apis/example.com/v1":
            var resources: [Value] = []
            for (kind, resource) in widgetKinds {
                resources.append(["name": .string(resource), "kind": .string(kind), "namespaced": true])
                resources.append(["name": .string(resource + "/status"), "kind": .string(kind), "namespaced": true])
            }
            return DiscoveryReply(document: ["kind": "APIResourceList", "groupVersion": "example.com/v1",
                                             "resources": .list(resources)], contentType: "application/json")
        default:
            return nil
        }
    }
}

@Suite("Discovery and REST mapping")
struct DiscoveryTests {
    private let widget = GroupVersionKind(apiVersion: "example.com/v1", kind: "Widget")
    private let gadget = GroupVersionKind(apiVersion: "example.com/v1", kind: "Gadget")

    private func mapper(_ server: DiscoveryServer) -> RESTMapper {
        RESTMapper { path, accept in await server.answer(path, accept: accept) }
    }

    @Test func aggregatedDiscoveryMapsEveryGroupInOneRequest() async throws {
        let server = DiscoveryServer(servesAggregated: true)
        let mapper = mapper(server)
        let mapping = try await mapper.mapping(for: widget)
        #expect(mapping.resource == "widgets" && mapping.namespaced && mapping.subresources == ["status"])
        #expect(mapping.path(namespace: "ns", name: "w") == "/apis/example.com/v1/namespaces/ns/widgets/w")
        _ = try await mapper.mapping(for: GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment"))
        #expect(await server.requests == ["/apis"])
    }

    @Test func aServerWithoutAggregatedDiscoveryIsAskedPerGroupVersion() async throws {
        let server = DiscoveryServer(servesAggregated: false)
        let mapper = mapper(server)
        let mapping = try await mapper.mapping(for: widget)
        #expect(mapping.resource == "widgets" && mapping.namespaced && mapping.subresources == ["status"])
        await #expect(throws: NoMappingError.self) { try await mapper.mapping(for: gadget) }
        // The legacy answer at /apis is remembered: later look-ups go straight to the group-version.
        #expect(await server.requests == ["/apis", "/apis/example.com/v1", "/apis/example.com/v1"])
    }

    @Test(arguments: [true, false])
    func aKindNotFoundIsLookedUpAgainSoANewlyEstablishedCRDIsFound(aggregated: Bool) async throws {
        let server = DiscoveryServer(servesAggregated: aggregated)
        let mapper = mapper(server)
        _ = try await mapper.mapping(for: widget)
        await #expect(throws: NoMappingError.self) { try await mapper.mapping(for: gadget) }
        await server.establish(kind: "Gadget", resource: "gadgets")
        #expect(try await mapper.mapping(for: gadget).resource == "gadgets")
        let asked = await server.requests.count
        _ = try await mapper.mapping(for: gadget)
        #expect(await server.requests.count == asked, "a kind found is served from the cache")
    }
}
