import Testing
@testable import Sandbox
import Unstructured

@Suite struct CustomResourceTests {
    let harness: Harness
    static let widgets = "/apis/ref.example.com/v1/namespaces/ref/widgets"

    init() throws {
        harness = Harness()
        harness.createNamespace("ref")
        try harness.installWidgets()
    }

    func widget(_ name: String, spec: Value) -> Value {
        ["apiVersion": "ref.example.com/v1", "kind": "Widget", "metadata": ["name": .string(name)], "spec": spec]
    }

    @Test func crdBecomesEstablishedWithAcceptedNames() {
        let crd = harness.call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.ref.example.com").body
        let conditions = crd["status"]["conditions"].listValue ?? []
        #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
        #expect(conditions.contains { $0["type"] == "NamesAccepted" && $0["status"] == "True" })
        #expect(crd["status"]["acceptedNames"]["kind"] == "Widget")
    }

    @Test func schemaViolationsAre422WithTheReferenceCauses() throws {
        let missing = harness.call("POST", Self.widgets, widget("bad1", spec: ["color": "red"]))
        #expect(missing.body == (try Reference.response("err-422-widget-missing-size")["response"]["body"]))
        let multiple = harness.call("POST", Self.widgets, widget("bad2", spec: ["size": 500, "color": "purple"]))
        #expect(multiple.body == (try Reference.response("err-422-widget-multiple")["response"]["body"]))
        let wrongType = harness.call("POST", Self.widgets, widget("bad3", spec: ["size": "three"]))
        #expect(wrongType.status == 422)
        #expect(wrongType.body["details"]["causes"][0]["reason"] == "FieldValueTypeInvalid")
        #expect(wrongType.body["details"]["causes"][0]["message"] == "Invalid value: \"string\": spec.size in body must be of type integer: \"string\"")
    }

    @Test func unknownFieldsArePrunedWithAWarningOrRejectedWhenStrict() throws {
        let warned = harness.call("POST", Self.widgets + "?dryRun=All", widget("strict3", spec: ["size": 1, "extra": true]))
        #expect(warned.status == 201)
        #expect(warned.body["spec"] == ["size": 1])
        #expect(warned.header("Warning") == "299 - \"unknown field \\\"spec.extra\\\"\"")
        let strict = harness.call("POST", Self.widgets + "?fieldValidation=Strict", widget("strict2", spec: ["size": 1, "extra": true]))
        #expect(strict.body == (try Reference.response("err-400-strict-unknown-field-crd")["response"]["body"]))
    }

    @Test func customResourcesSerializeWithSortedKeys() {
        let created = harness.call("POST", Self.widgets, widget("w1", spec: ["size": 3, "color": "blue"])).body
        #expect(created.mapValue?.keys.elements == ["apiVersion", "kind", "metadata", "spec"])
        #expect(created["metadata"].mapValue?.keys.elements == ["creationTimestamp", "generation", "managedFields", "name", "namespace", "resourceVersion", "uid"])
        let list = harness.call("GET", Self.widgets).body
        #expect(list["metadata"]["continue"] == "")
        #expect(list["items"][0]["kind"] == "Widget")
    }

    @Test func printerColumnsDriveTheTable() throws {
        harness.call("POST", Self.widgets, widget("w1", spec: ["size": 7, "color": "red"]))
        let table = harness.call("GET", Self.widgets, accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json").body
        let reference = try Reference.response("table-widgets-crd")["response"]["body"]
        #expect(table["columnDefinitions"] == reference["columnDefinitions"])
        #expect(table["rows"][0]["cells"].listValue?.prefix(4) == [.string("w1"), 7, "red", .null])
    }

    @Test func statusSubresourceSeparatesSpecAndStatus() {
        harness.call("POST", Self.widgets, widget("w1", spec: ["size": 1]))
        let status = harness.call("PATCH", Self.widgets + "/w1/status", ["status": ["phase": "Ready"], "spec": ["size": 9]],
                                  contentType: "application/merge-patch+json").body
        #expect(status["status"]["phase"] == "Ready")
        #expect(status["spec"]["size"] == 1)
        #expect(status["metadata"]["generation"] == 1)
        let scale = harness.call("GET", Self.widgets + "/w1/scale").body
        #expect(scale["spec"]["replicas"] == 1)
    }

    @Test func finalizerLifecycleMatchesTheReference() throws {
        let path = Self.widgets + "/wfin"
        var body = widget("wfin", spec: ["size": 1])
        body[path: ["metadata", "finalizers"]] = ["ref.example.com/cleanup"]
        let created = harness.call("POST", Self.widgets, body).body
        #expect(created["metadata"]["managedFields"][0]["fieldsV1"]
                == (try Reference.response("finalizer-create")["response"]["body"]["metadata"]["managedFields"][0]["fieldsV1"]))
        let deleted = harness.call("DELETE", path)
        #expect(deleted.status == 200)
        #expect(!deleted.body["metadata"]["deletionTimestamp"].isNull)
        #expect(deleted.body["metadata"]["deletionGracePeriodSeconds"] == 0)
        #expect(deleted.body["metadata"]["generation"] == 2)
        let again = harness.call("DELETE", path).body
        #expect(again["metadata"]["resourceVersion"] == deleted.body["metadata"]["resourceVersion"])
        let addition = harness.call("PATCH", path, ["metadata": ["finalizers": ["ref.example.com/cleanup", "ref.example.com/another"]]],
                                    contentType: "application/merge-patch+json")
        #expect(addition.body == (try Reference.response("finalizer-add-new-while-terminating")["response"]["body"]))
        let removed = harness.call("PATCH", path, ["metadata": ["finalizers": nil], "spec": ["size": 2]],
                                   contentType: "application/merge-patch+json")
        #expect(removed.status == 200)
        #expect(removed.body["metadata"]["finalizers"].isNull)
        #expect(harness.call("GET", path).body == (try Reference.response("finalizer-get-after-removal")["response"]["body"]))
    }

    @Test func deletingTheCRDRemovesItsObjectsAndStopsServingThem() {
        harness.call("POST", Self.widgets, widget("w1", spec: ["size": 1]))
        let reply = harness.call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.ref.example.com")
        #expect(reply.status == 200)
        harness.settle(4)
        #expect(harness.call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.ref.example.com").status == 404)
        #expect(harness.call("GET", Self.widgets).text == "404 page not found\n")
    }

    @Test func invalidCRDsAreRejected() {
        let reply = harness.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "wrong.example.com"],
            "spec": ["group": "example.com", "names": ["plural": "things", "kind": "Thing"], "scope": "Namespaced",
                     "versions": [["name": "v1", "served": true, "storage": true]]],
        ])
        #expect(reply.status == 422)
        #expect(reply.body["details"]["causes"][0]["field"] == "metadata.name")
    }
}
