import Testing
@testable import Sandbox
import Unstructured

@Suite struct PatchTests {
    let harness: Harness
    static let cm = "/api/v1/namespaces/ref/configmaps"
    static let deployments = "/apis/apps/v1/namespaces/ref/deployments"

    init() {
        harness = Harness()
        harness.createNamespace("ref")
        harness.call("POST", Self.cm, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm-a"], "data": ["k": "cm-a"]])
    }

    @Test func mergePatchDeletesWithNull() {
        let reply = harness.call("PATCH", Self.cm + "/cm-a?fieldManager=kubectl-patch", ["data": ["k": nil, "n": "1"]],
                                 contentType: "application/merge-patch+json")
        #expect(reply.status == 200)
        #expect(reply.body["data"] == ["n": "1"])
        #expect(reply.body["metadata"]["managedFields"].listValue?.contains { $0["manager"] == "kubectl-patch" } == true)
    }

    @Test func jsonPatchReplaceOfAMissingKeyAddsItAndFailedTestsAre422() throws {
        let reply = harness.call("PATCH", Self.cm + "/cm-a", [["op": "replace", "path": "/data/missing", "value": "x"]],
                                 contentType: "application/json-patch+json")
        #expect(reply.body["data"] == ["k": "cm-a", "missing": "x"])
        let failed = harness.call("PATCH", Self.cm + "/cm-a", [["op": "test", "path": "/data/k", "value": "nope"]],
                                  contentType: "application/json-patch+json")
        #expect(failed.body == (try Reference.response("err-422-json-patch-test-failed")["response"]["body"]))
    }

    @Test func strategicMergeMergesContainersByName() {
        harness.call("POST", Self.deployments, [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "x"],
            "spec": ["selector": ["matchLabels": ["app": "x"]],
                     "template": ["metadata": ["labels": ["app": "x"]],
                                  "spec": ["containers": [["name": "a", "image": "a:1"], ["name": "b", "image": "b:1"]]]]],
        ])
        let reply = harness.call("PATCH", Self.deployments + "/x",
                                 ["spec": ["template": ["spec": ["containers": [["name": "b", "image": "b:2"]]]]]],
                                 contentType: "application/strategic-merge-patch+json")
        let containers = reply.body["spec"]["template"]["spec"]["containers"].listValue ?? []
        #expect(containers.map { [$0["name"], $0["image"]] } == [["a", "a:1"], ["b", "b:2"]])
        let deleted = harness.call("PATCH", Self.deployments + "/x",
                                   ["spec": ["template": ["spec": ["containers": [["name": "a", "$patch": "delete"]]]]]],
                                   contentType: "application/strategic-merge-patch+json")
        #expect(deleted.body["spec"]["template"]["spec"]["containers"].listValue?.map { $0["name"] } == ["b"])
    }

    @Test func strategicMergeMergesEveryKeyedListOfAPodTemplate() {
        let container: Value = [
            "name": "a", "image": "a:1",
            "env": [["name": "MODE", "value": "blue"], ["name": "LEVEL", "value": "1"]],
            "ports": [["containerPort": 80, "name": "http"]],
            "volumeMounts": [["name": "data", "mountPath": "/data"]],
        ]
        harness.call("POST", Self.deployments, [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "lists", "finalizers": ["a.io/x", "a.io/y"]],
            "spec": ["selector": ["matchLabels": ["app": "lists"]],
                     "template": ["metadata": ["labels": ["app": "lists"]],
                                  "spec": ["containers": [container], "volumes": [["name": "data", "emptyDir": [:]]]]]],
        ])
        let reply = harness.call("PATCH", Self.deployments + "/lists", [
            "metadata": ["$deleteFromPrimitiveList/finalizers": ["a.io/x"]],
            "spec": [
                "strategy": ["$retainKeys": ["type"], "type": "Recreate"],
                "template": ["spec": [
                    "containers": [[
                        "name": "a",
                        "env": [["name": "LEVEL", "value": "2"], ["name": "EXTRA", "value": "x"]],
                        "ports": [["containerPort": 9090, "name": "metrics"]],
                        "volumeMounts": [["mountPath": "/data", "name": "data", "readOnly": true]],
                    ]],
                    "volumes": [["name": "cache", "emptyDir": [:]]],
                ]],
            ],
        ], contentType: "application/strategic-merge-patch+json")
        #expect(reply.status == 200, "\(reply.text)")
        let merged = reply.body["spec"]["template"]["spec"]["containers"][0]
        #expect(merged["image"] == "a:1", "fields the patch leaves out stay")
        #expect(merged["env"].listValue?.map { [$0["name"], $0["value"]] } == [["MODE", "blue"], ["LEVEL", "2"], ["EXTRA", "x"]])
        #expect(merged["ports"].listValue?.map { $0["containerPort"] } == [80, 9090])
        #expect(merged["volumeMounts"] == [["name": "data", "mountPath": "/data", "readOnly": true]])
        #expect(reply.body["spec"]["template"]["spec"]["volumes"].listValue?.map { $0["name"] } == ["data", "cache"])
        #expect(reply.body["spec"]["strategy"] == ["type": "Recreate"], "$retainKeys drops rollingUpdate")
        #expect(reply.body["metadata"]["finalizers"] == ["a.io/y"])
    }

    @Test func clientSideApplyPatchWithDirectivesIsAccepted() {
        let reply = harness.call("PATCH", Self.cm + "/cm-a", [
            "data": ["k": nil, "mode": "green"],
            "metadata": ["annotations": ["kubectl.kubernetes.io/last-applied-configuration": "{}"]],
            "$setElementOrder/data": ["mode"],
        ], contentType: "application/strategic-merge-patch+json")
        #expect(reply.status == 200)
        #expect(reply.body["data"] == ["mode": "green"])
    }

    @Test func unknownPatchTypesAre415() throws {
        let reply = harness.call("PATCH", Self.cm + "/cm-a", ["data": [:]], contentType: "text/plain")
        #expect(reply.body == (try Reference.response("err-415-patch-content-type")["response"]["body"]))
    }

    @Test func scaleSubresourceReadsAndWritesReplicas() throws {
        harness.call("POST", Self.deployments, [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "x"],
            "spec": ["replicas": 3, "selector": ["matchLabels": ["app": "x"]],
                     "template": ["metadata": ["labels": ["app": "x"]], "spec": ["containers": [["name": "c", "image": "i"]]]]],
        ])
        let scale = harness.call("GET", Self.deployments + "/x/scale").body
        let reference = try Reference.response("scale-subresource-deployment")["response"]["body"]
        #expect(Reference.shape(scale["metadata"]) == Reference.shape(reference["metadata"]))
        #expect(scale["spec"] == ["replicas": 3])
        let patched = harness.call("PATCH", Self.deployments + "/x/scale", ["spec": ["replicas": 5]],
                                   contentType: "application/merge-patch+json")
        #expect(patched.body["spec"]["replicas"] == 5)
        #expect(harness.call("GET", Self.deployments + "/x").body["spec"]["replicas"] == 5)
    }
}

@Suite struct ServerSideApplyTests {
    let harness: Harness
    static let widgets = "/apis/ref.example.com/v1/namespaces/ref/widgets"

    init() throws {
        harness = Harness()
        harness.createNamespace("ref")
        try harness.installWidgets()
    }

    @discardableResult
    func apply(_ body: Value, manager: String?, force: Bool = false, subresource: String = "") -> Harness.Reply {
        var query: [String] = []
        if let manager { query.append("fieldManager=\(manager)") }
        if force { query.append("force=true") }
        return harness.call("PATCH", Self.widgets + "/wssa2\(subresource)?" + query.joined(separator: "&"), body,
                            contentType: "application/apply-patch+yaml")
    }

    static let alpha: Value = ["apiVersion": "ref.example.com/v1", "kind": "Widget",
                               "metadata": ["name": "wssa2", "labels": ["owner": "alpha"]],
                               "spec": ["size": 2, "color": "green"]]

    @Test func applyCreatesWithAnApplyEntry() throws {
        let reply = apply(Self.alpha, manager: "alpha")
        #expect(reply.status == 201)
        let reference = try Reference.response("ssa-create-manager-alpha")["response"]["body"]
        #expect(reply.body["metadata"]["managedFields"][0]["fieldsV1"] == reference["metadata"]["managedFields"][0]["fieldsV1"])
        #expect(Reference.shape(reply.body) == Reference.shape(reference))
    }

    @Test func twoManagersShareAndConflictAsTheReference() throws {
        apply(Self.alpha, manager: "alpha")
        let beta = apply(["apiVersion": "ref.example.com/v1", "kind": "Widget",
                          "metadata": ["name": "wssa2", "labels": ["team": "beta"]], "spec": ["tags": ["x", "y"]]],
                         manager: "beta")
        let twoManagers = try Reference.response("ssa-two-managers")["response"]["body"]
        #expect(beta.body["metadata"]["managedFields"].listValue?.map { $0["fieldsV1"] }
                == twoManagers["metadata"]["managedFields"].listValue?.map { $0["fieldsV1"] })
        let conflict = apply(["apiVersion": "ref.example.com/v1", "kind": "Widget", "metadata": ["name": "wssa2"],
                              "spec": ["size": 9, "color": "red"]], manager: "beta")
        #expect(conflict.status == 409)
        #expect(conflict.body == (try Reference.response("ssa-conflict-409")["response"]["body"]))
        let forced = apply(["apiVersion": "ref.example.com/v1", "kind": "Widget", "metadata": ["name": "wssa2"],
                            "spec": ["size": 9, "color": "red", "tags": ["x", "y"]]], manager: "beta", force: true)
        let reference = try Reference.response("ssa-force")["response"]["body"]
        #expect(forced.body["spec"] == reference["spec"])
        #expect(forced.body["metadata"]["labels"] == reference["metadata"]["labels"], "beta stopped applying its label")
        #expect(forced.body["metadata"]["managedFields"].listValue?.map { $0["fieldsV1"] }
                == reference["metadata"]["managedFields"].listValue?.map { $0["fieldsV1"] })
    }

    @Test func conflictWithAnUpdateManagerNamesItsAPIVersion() {
        apply(Self.alpha, manager: "alpha")
        harness.call("PATCH", Self.widgets + "/wssa2?fieldManager=kubectl-patch", ["spec": ["size": 5]],
                     contentType: "application/merge-patch+json")
        let conflict = apply(["apiVersion": "ref.example.com/v1", "kind": "Widget", "metadata": ["name": "wssa2"],
                              "spec": ["size": 9]], manager: "beta")
        #expect(conflict.body["message"] == "Apply failed with 1 conflict: conflict with \"kubectl-patch\" using ref.example.com/v1: .spec.size")
    }

    @Test func fieldManagerIsRequired() throws {
        let reply = apply(Self.alpha, manager: nil)
        #expect(reply.body == (try Reference.response("ssa-missing-fieldmanager")["response"]["body"]))
    }

    @Test func statusApplyIsRecordedAgainstTheSubresource() throws {
        apply(Self.alpha, manager: "alpha")
        let reply = apply(["apiVersion": "ref.example.com/v1", "kind": "Widget", "metadata": ["name": "wssa2"],
                           "status": ["phase": "Ready", "conditions": [["type": "Ready", "status": "True"]]]],
                          manager: "ctrl", force: true, subresource: "/status")
        let entry = reply.body["metadata"]["managedFields"].listValue?.first { $0["manager"] == "ctrl" }
        let reference = try Reference.response("ssa-status-subresource")["response"]["body"]["metadata"]["managedFields"][2]
        #expect(entry?["fieldsV1"] == reference["fieldsV1"])
        #expect(entry?["subresource"] == "status")
        #expect(reply.body["metadata"]["generation"] == 1)
    }

    @Test func yamlBodiesAreAccepted() {
        let yaml = "apiVersion: ref.example.com/v1\nkind: Widget\nmetadata:\n  name: wssa2\nspec:\n  size: 4\n"
        let reply = harness.raw("PATCH", Self.widgets + "/wssa2?fieldManager=yaml", bytes: Array(yaml.utf8),
                                contentType: "application/apply-patch+yaml")
        #expect(reply.status == 201)
        #expect(reply.body["spec"]["size"] == 4)
    }

    @Test func builtInListsMergeByKeyUnderApply() {
        harness.call("PATCH", "/apis/apps/v1/namespaces/ref/deployments/d?fieldManager=one", [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d"],
            "spec": ["selector": ["matchLabels": ["app": "d"]],
                     "template": ["metadata": ["labels": ["app": "d"]], "spec": ["containers": [["name": "a", "image": "a:1"]]]]],
        ], contentType: "application/apply-patch+yaml")
        let reply = harness.call("PATCH", "/apis/apps/v1/namespaces/ref/deployments/d?fieldManager=two", [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d"],
            "spec": ["template": ["spec": ["containers": [["name": "sidecar", "image": "s:1"]]]]],
        ], contentType: "application/apply-patch+yaml")
        #expect(reply.body["spec"]["template"]["spec"]["containers"].listValue?.map { $0["name"] } == ["a", "sidecar"])
        let entry = reply.body["metadata"]["managedFields"].listValue?.first { $0["manager"] == "two" }
        #expect(entry?["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"sidecar\"}"].mapValue?["."] != nil)
    }
}
