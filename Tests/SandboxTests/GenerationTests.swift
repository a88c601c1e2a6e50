import Testing
@testable import Sandbox
import Unstructured

/// `metadata.generation` as kube-apiserver keeps it: 1 on create, bumped only when the spec
/// changes, never by a status write, and defaults applied the same way on every write path so
/// that the first update after a create does not see defaulting as a spec change.
@Suite struct GenerationTests {
    let harness: Harness
    static let gadgets = "/apis/gen.example.com/v1/namespaces/ref/gadgets"
    static let deployments = "/apis/apps/v1/namespaces/ref/deployments"

    init() {
        harness = Harness()
        harness.createNamespace("ref")
        // Defaults nested under defaulted objects, as the SeldonOperator CRD has them: the
        // real server defaults a property, then descends into what it just defaulted.
        let spec: Value = [
            "type": "object", "default": [:],
            "properties": [
                "replicas": ["type": "integer", "default": 1],
                "features": ["type": "object", "default": [:], "properties": [
                    "metrics": ["type": "boolean", "default": true],
                    "tracing": ["type": "object", "default": [:], "properties": [
                        "enabled": ["type": "boolean", "default": false],
                    ]],
                ]],
                "routes": ["type": "array", "items": ["type": "object", "properties": [
                    "name": ["type": "string"], "weight": ["type": "integer", "default": 100],
                ]]],
                "mode": ["type": "string", "default": "auto"],
            ],
        ]
        harness.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "gadgets.gen.example.com"],
            "spec": ["group": "gen.example.com", "scope": "Namespaced",
                     "names": ["plural": "gadgets", "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList"],
                     "versions": [["name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                                   "schema": ["openAPIV3Schema": ["type": "object", "properties": [
                                       "spec": spec,
                                       "status": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                                   ]]]]]],
        ])
        harness.settle(3)
    }

    @discardableResult
    func apply(_ uri: String, _ body: Value, manager: String = "installer") -> Harness.Reply {
        harness.call("PATCH", uri + "?fieldManager=\(manager)", body, contentType: "application/apply-patch+yaml")
    }

    static let expectedDefaults: Value = [
        "features": ["metrics": true, "tracing": ["enabled": false]], "mode": "auto", "replicas": 1,
    ]

    @Test func nestedDefaultsAreAppliedCompletelyOnCreate() {
        let created = apply(Self.gadgets + "/g1", ["apiVersion": "gen.example.com/v1", "kind": "Gadget",
                                                   "metadata": ["name": "g1"]])
        #expect(created.status == 201, "\(created.text)")
        #expect(created.body["spec"] == Self.expectedDefaults)
        #expect(created.body["metadata"]["generation"] == 1)
        let listed = harness.call("POST", Self.gadgets, ["apiVersion": "gen.example.com/v1", "kind": "Gadget",
                                                         "metadata": ["name": "g2"],
                                                         "spec": ["routes": [["name": "a"]], "features": ["metrics": false], "mode": nil]])
        #expect(listed.body["spec"]["routes"] == [["name": "a", "weight": 100]])
        #expect(listed.body["spec"]["features"] == ["metrics": false, "tracing": ["enabled": false]])
        #expect(listed.body["spec"]["mode"] == "auto", "a null where no null is allowed is dropped, then defaulted")
    }

    @Test func statusWritesAfterAnApplyCreateKeepGenerationOne() {
        let created = apply(Self.gadgets + "/g1", ["apiVersion": "gen.example.com/v1", "kind": "Gadget",
                                                   "metadata": ["name": "g1"], "spec": ["mode": "manual"]])
        #expect(created.body["metadata"]["generation"] == 1)
        let merged = harness.call("PATCH", Self.gadgets + "/g1/status", ["status": ["phase": "Ready"]],
                                  contentType: "application/merge-patch+json")
        #expect(merged.body["metadata"]["generation"] == 1, "\(merged.body["spec"])")
        let applied = apply(Self.gadgets + "/g1/status", ["apiVersion": "gen.example.com/v1", "kind": "Gadget",
                                                          "metadata": ["name": "g1"],
                                                          "status": ["observedGeneration": 1]], manager: "status-writer")
        #expect(applied.body["metadata"]["generation"] == 1)
        var replaced = applied.body
        replaced[path: ["status", "phase"]] = "Degraded"
        let put = harness.call("PUT", Self.gadgets + "/g1/status", replaced)
        #expect(put.body["metadata"]["generation"] == 1)
        #expect(put.body["status"]["phase"] == "Degraded")
    }

    @Test func reapplyingTheSameManifestIsANoOp() {
        let manifest: Value = ["apiVersion": "gen.example.com/v1", "kind": "Gadget", "metadata": ["name": "g1"],
                               "spec": ["features": [:]]]
        let created = apply(Self.gadgets + "/g1", manifest)
        let again = apply(Self.gadgets + "/g1", manifest)
        #expect(again.status == 200)
        #expect(again.body["metadata"]["resourceVersion"] == created.body["metadata"]["resourceVersion"])
        #expect(again.body["metadata"]["generation"] == 1)
    }

    @Test func specChangesStillBumpGeneration() {
        apply(Self.gadgets + "/g1", ["apiVersion": "gen.example.com/v1", "kind": "Gadget", "metadata": ["name": "g1"]])
        let changed = apply(Self.gadgets + "/g1", ["apiVersion": "gen.example.com/v1", "kind": "Gadget",
                                                   "metadata": ["name": "g1"], "spec": ["replicas": 3]])
        #expect(changed.body["metadata"]["generation"] == 2)
        let labelled = harness.call("PATCH", Self.gadgets + "/g1", ["metadata": ["labels": ["a": "b"]]],
                                    contentType: "application/merge-patch+json")
        #expect(labelled.body["metadata"]["generation"] == 2)
    }

    @Test func defaultsAddedToTheCRDLaterShowOnReadWithoutARewrite() {
        let created = apply(Self.gadgets + "/g1", ["apiVersion": "gen.example.com/v1", "kind": "Gadget", "metadata": ["name": "g1"]])
        let patched = harness.call("PATCH", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.gen.example.com", [
            ["op": "add", "path": "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/color",
             "value": ["type": "string", "default": "blue"]],
        ], contentType: "application/json-patch+json")
        #expect(patched.status == 200, "\(patched.text)")
        let read = harness.call("GET", Self.gadgets + "/g1").body
        #expect(read["spec"]["color"] == "blue")
        #expect(read["metadata"]["resourceVersion"] == created.body["metadata"]["resourceVersion"])
        #expect(harness.call("GET", Self.gadgets).body["items"][0]["spec"]["color"] == "blue")
        let status = harness.call("PATCH", Self.gadgets + "/g1/status", ["status": ["phase": "Ready"]],
                                  contentType: "application/merge-patch+json")
        #expect(status.body["metadata"]["generation"] == 1, "the new default is not a spec change")
        #expect(status.body["spec"]["color"] == "blue")
    }

    @Test func deploymentStatusWritesAfterAnApplyCreateKeepGenerationOne() {
        let deployment: Value = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d1"],
            "spec": ["selector": ["matchLabels": ["app": "d1"]],
                     "template": ["metadata": ["labels": ["app": "d1"]],
                                  "spec": ["containers": [["name": "c", "image": "nginx:1.27",
                                                           "ports": [["containerPort": 80]]]]]]],
        ]
        let created = apply(Self.deployments + "/d1", deployment)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.body["metadata"]["generation"] == 1)
        let status = harness.call("PATCH", Self.deployments + "/d1/status", ["status": ["replicas": 1]],
                                  contentType: "application/merge-patch+json")
        #expect(status.body["metadata"]["generation"] == 1)
        harness.settle()
        let settled = harness.call("GET", Self.deployments + "/d1").body
        #expect(settled["metadata"]["generation"] == 1)
        #expect(settled["status"]["observedGeneration"] == 1)
        let again = apply(Self.deployments + "/d1", deployment)
        #expect(again.body["metadata"]["resourceVersion"] == settled["metadata"]["resourceVersion"])
    }

    static let nginx: Value = [
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d1"],
        "spec": ["selector": ["matchLabels": ["app": "d1"]],
                 "template": ["metadata": ["labels": ["app": "d1"]],
                              "spec": ["containers": [["name": "c", "image": "nginx:1.27"]]]]],
    ]

    /// Labels, annotations, finalizers and ownerReferences, by merge patch, apply and update:
    /// each changes the object (a new resourceVersion) and none is a spec change.
    @Test(arguments: [(deployments, nginx),
                      (gadgets, ["apiVersion": "gen.example.com/v1", "kind": "Gadget", "metadata": ["name": "d1"],
                                 "spec": ["replicas": 2]] as Value)])
    func metadataOnlyChangesKeepTheGeneration(collection: String, manifest: Value) {
        let uri = collection + "/d1"
        #expect(apply(uri, manifest).body["metadata"]["generation"] == 1)
        let owner = harness.call("POST", "/api/v1/namespaces/ref/configmaps",
                                 ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "owner"]]).body
        let patches: [Value] = [
            ["metadata": ["labels": ["team": "ml"]]],
            ["metadata": ["annotations": ["note": "hello"]]],
            ["metadata": ["finalizers": ["example.com/keep"]]],
            ["metadata": ["ownerReferences": [["apiVersion": "v1", "kind": "ConfigMap", "name": "owner",
                                               "uid": owner["metadata"]["uid"]]]]],
        ]
        var lastVersion = harness.call("GET", uri).body["metadata"]["resourceVersion"]
        for patch in patches {
            let reply = harness.call("PATCH", uri, patch, contentType: "application/merge-patch+json")
            #expect(reply.body["metadata"]["resourceVersion"] != lastVersion, "\(patch) changed nothing")
            #expect(reply.body["metadata"]["generation"] == 1, "\(patch) bumped the generation")
            lastVersion = reply.body["metadata"]["resourceVersion"]
        }
        var relabelled = manifest
        relabelled[path: ["metadata", "labels"]] = ["tier": "serving"]
        #expect(apply(uri, relabelled, manager: "labeller").body["metadata"]["generation"] == 1)
        var current = harness.call("GET", uri).body
        current[path: ["metadata", "annotations", "note"]] = "updated"
        let updated = harness.call("PUT", uri, current)
        #expect(updated.status == 200 && updated.body["metadata"]["generation"] == 1, "\(updated.text)")
    }

    /// A built-in object goes through Go structs, which have no way to hold a `null`: a Lease
    /// released by writing `holderIdentity: null` is stored without the field, on every write path.
    @Test func nullFieldsOfBuiltinKindsAreNotStored() {
        let leases = "/apis/coordination.k8s.io/v1/namespaces/ref/leases"
        func lease(holder: Value) -> Value {
            ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "lock"],
             "spec": ["holderIdentity": holder, "leaseDurationSeconds": 30]]
        }
        #expect(apply(leases + "/lock", lease(holder: "me")).body["spec"]["holderIdentity"] == "me")
        let applied = apply(leases + "/lock", lease(holder: .null)).body
        #expect(applied["spec"].mapValue?.keys.contains("holderIdentity") == false, "\(applied)")
        #expect(applied["spec"]["leaseDurationSeconds"] == 30)
        var held = applied
        held[path: ["spec", "holderIdentity"]] = "you"
        var released = harness.call("PUT", leases + "/lock", held).body
        #expect(released["spec"]["holderIdentity"] == "you")
        released[path: ["spec", "holderIdentity"]] = .null
        let updated = harness.call("PUT", leases + "/lock", released).body
        #expect(updated["spec"].mapValue?.keys.contains("holderIdentity") == false, "\(updated)")
        let stored = harness.call("GET", leases + "/lock").body
        #expect(stored["spec"].mapValue?.keys.contains("holderIdentity") == false)
    }
}

@Suite struct ReferenceGenerationRulesTests {
    /// Every step of the reference's `generation-rules` capture, replayed: the same generation
    /// after each request, and the resourceVersion moving exactly when the real one moved.
    @Test func theReferenceGenerationRulesReplayStepByStep() throws {
        let harness = Harness()
        harness.createNamespace("ref")
        try harness.installWidgets()
        let gadgetCRD = try YAML.parseDocuments(String(contentsOfFile: Reference.root + "/manifests/bundle2.yaml",
                                                       encoding: .utf8))[0]
        #expect(harness.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", gadgetCRD).status == 201)
        harness.settle(3)
        let steps = try Reference.response("generation-rules")["steps"].listValue ?? []
        #expect(steps.count == 21)
        var previous: [String: (ours: Value, theirs: Value)] = [:]
        for step in steps {
            let request = step["request"], expected = step["response"]
            let path = request["path"].stringValue ?? ""
            let object = path.hasSuffix("/status") ? String(path.dropLast(7)) : path
            if request["method"] == "GET" { harness.settle(4) }
            let reply = harness.call(request["method"].stringValue ?? "", path, request["body"].isNull ? nil : request["body"],
                                     contentType: request["contentType"].stringValue ?? "application/json")
            let name = step["step"].stringValue ?? ""
            #expect(reply.status == expected["status"].intValue, "\(name): \(reply.text)")
            let generation = expected["metadata.generation"]
            #expect(reply.body["metadata"]["generation"] == (generation == "<absent>" ? .null : generation), "\(name)")
            let key = request["method"] == "POST" ? path + "/" + (request["body"]["metadata"]["name"].stringValue ?? "") : object
            let ours = reply.body["metadata"]["resourceVersion"], theirs = expected["metadata.resourceVersion"]
            if let before = previous[key], request["method"] != "GET" {
                #expect((ours != before.ours) == (theirs != before.theirs), "\(name): resourceVersion moved differently")
            }
            previous[key] = (ours, theirs)
        }
    }
}
