import Testing
@testable import Sandbox
import Unstructured

@Suite struct DiscoveryTests {
    let harness = Harness()
    static let aggregatedAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    @Test func versionHasTheReferenceShape() throws {
        let reply = harness.call("GET", "/version?timeout=5s")
        #expect(reply.status == 200)
        let reference = try Reference.response("version")["response"]["body"]
        #expect(Reference.shape(reply.body) == Reference.shape(reference))
    }

    @Test func legacyCoreAndGroupDocumentsMatchTheReferenceShape() throws {
        let api = harness.call("GET", "/api")
        #expect(Reference.shape(api.body) == Reference.shape(try Reference.response("api")["response"]["body"]))
        let apps = harness.call("GET", "/apis/apps/v1")
        let reference = try Reference.response("apis-apps-v1")["response"]["body"]
        #expect(apps.body["kind"] == "APIResourceList")
        let names = apps.body["resources"].listValue?.compactMap { $0["name"].stringValue } ?? []
        let referenceNames = reference["resources"].listValue?.compactMap { $0["name"].stringValue } ?? []
        #expect(names == referenceNames)
        let deployments = apps.body["resources"].listValue?.first { $0["name"] == "deployments" }
        let referenceDeployments = reference["resources"].listValue?.first { $0["name"] == "deployments" }
        #expect(deployments?["shortNames"] == referenceDeployments?["shortNames"])
        #expect(deployments?["verbs"] == referenceDeployments?["verbs"])
        let groups = harness.call("GET", "/apis").body
        #expect(groups["kind"] == "APIGroupList")
        #expect(groups["groups"].listValue?.contains { $0["name"] == "autoscaling" && $0["preferredVersion"]["version"] == "v2" } == true)
    }

    @Test func aggregatedDiscoveryIsServedWithAnETagAnd304OnRepeat() throws {
        let reply = harness.call("GET", "/apis", accept: Self.aggregatedAccept)
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == Discovery.aggregatedMediaType)
        #expect(reply.header("Vary") == "Accept")
        let apps = reply.body["items"].listValue?.first { $0["metadata"]["name"] == "apps" }
        let reference = try Reference.response("apis-aggregated")["response"]["body"]["items"].listValue?
            .first { $0["metadata"]["name"] == "apps" }
        let deployments = apps?["versions"][0]["resources"].listValue?.first { $0["resource"] == "deployments" }
        let referenceDeployments = reference?["versions"][0]["resources"].listValue?.first { $0["resource"] == "deployments" }
        #expect(deployments.map(Reference.shape) == referenceDeployments.map(Reference.shape))
        #expect(deployments?["subresources"] == referenceDeployments?["subresources"])
        let etag = try #require(reply.header("Etag"))
        let repeatReply = harness.call("GET", "/apis", accept: Self.aggregatedAccept, headers: ["If-None-Match": etag])
        #expect(repeatReply.status == 304)
        let core = harness.call("GET", "/api", accept: Self.aggregatedAccept).body
        #expect(core["items"][0]["versions"][0]["resources"].listValue?.contains { $0["resource"] == "configmaps" } == true)
    }

    @Test func unknownGroupIsPlainTextAndUnknownResourceIsAStatus() throws {
        let group = harness.call("GET", "/apis/nope.example.com/v1/things")
        #expect(group.status == 404)
        #expect(group.text == "404 page not found\n")
        let resource = harness.call("GET", "/api/v1/namespaces/default/nothings")
        #expect(resource.status == 404)
        #expect(resource.body == (try Reference.response("err-404-unknown-resource")["response"]["body"]))
    }

    @Test func openAPIDeclaresFieldValidationForEveryGroupVersion() throws {
        let root = harness.call("GET", "/openapi/v3")
        #expect(root.status == 200)
        let paths = try #require(root.body["paths"].mapValue)
        #expect(paths["apis/apps/v1"] != nil)
        let url = try #require(paths["apis/apps/v1"]?["serverRelativeURL"].stringValue)
        let document = harness.call("GET", url).body
        let patch = document["paths"].mapValue?.values.first { $0["patch"]["x-kubernetes-group-version-kind"]["kind"] == "Deployment" }
        #expect(patch?["patch"]["parameters"].listValue?.contains { $0["name"] == "fieldValidation" } == true)
        #expect(harness.call("GET", "/openapi/v3/apis/nope/v1").status == 404)
    }

    @Test func builtInKindsHaveSchemasWithEveryReferenceResolvable() throws {
        let paths = try #require(harness.call("GET", "/openapi/v3").body["paths"].mapValue)
        for (path, kind) in [("apis/apps/v1", "Deployment"), ("api/v1", "Service"), ("apis/rbac.authorization.k8s.io/v1", "ClusterRole")] {
            let url = try #require(paths[path]?["serverRelativeURL"].stringValue)
            let schemas = try #require(harness.call("GET", url).body["components"]["schemas"].mapValue)
            let root = try #require(schemas.values.first { $0["x-kubernetes-group-version-kind"][0]["kind"] == .string(kind) })
            #expect(root["properties"]["spec"]["allOf"][0]["$ref"].stringValue?.hasSuffix("\(kind)Spec") == true || kind == "ClusterRole")
            func references(_ value: Value) -> [String] {
                switch value {
                case let .map(map):
                    if let ref = map["$ref"]?.stringValue { return [String(ref.dropFirst("#/components/schemas/".count))] }
                    return map.values.flatMap(references)
                case let .list(items): return items.flatMap(references)
                default: return []
                }
            }
            let missing = schemas.values.flatMap(references).filter { schemas[$0] == nil }
            #expect(missing.isEmpty, "\(path) references schemas it does not carry: \(Set(missing))")
        }
        let apps = harness.call("GET", paths["apis/apps/v1"]?["serverRelativeURL"].stringValue ?? "").body["components"]["schemas"]
        let spec = apps["io.k8s.sandbox.v1.DeploymentSpec"]
        #expect(spec["properties"]["replicas"]["type"] == "integer")
        #expect(spec["required"].listValue?.contains("selector") == true)
        #expect(spec["properties"]["replicas"]["description"].stringValue?.hasPrefix("Number of desired pods.") == true)
    }

    @Test func customResourcesAppearOnlyOnceEstablished() throws {
        let text = try String(contentsOfFile: Reference.root + "/manifests/widget-crd.yaml", encoding: .utf8)
        let reply = harness.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", try YAML.parse(text))
        #expect(reply.status == 201)
        #expect(harness.call("GET", "/apis/ref.example.com/v1").status == 404)
        harness.settle(3)
        let resources = harness.call("GET", "/apis/ref.example.com/v1").body
        #expect(resources["resources"].listValue?.map { $0["name"] } == ["widgets", "widgets/status", "widgets/scale"])
        let aggregated = harness.call("GET", "/apis", accept: Self.aggregatedAccept).body
        let widgets = aggregated["items"].listValue?.first { $0["metadata"]["name"] == "ref.example.com" }?["versions"][0]["resources"][0]
        #expect(widgets?["responseKind"] == ["group": "ref.example.com", "version": "v1", "kind": "Widget"])
        #expect(widgets?["shortNames"] == ["rwdg"])
        let url = harness.call("GET", "/openapi/v3").body["paths"]["apis/ref.example.com/v1"]["serverRelativeURL"].stringValue ?? ""
        let schema = harness.call("GET", url).body["components"]["schemas"]["com.example.ref.v1.Widget"]
        #expect(schema["properties"]["spec"]["required"] == ["size"], "kubectl explain reads the CRD's schema")
    }
}
