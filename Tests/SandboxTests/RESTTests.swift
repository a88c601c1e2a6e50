import Testing
@testable import Sandbox
import Unstructured

/// Create, read, update, delete and list, with the Status errors of the reference captures.
@Suite struct RESTTests {
    let harness: Harness
    init() {
        harness = Harness()
        harness.createNamespace("ref")
    }

    func configMap(_ name: String, data: Value = ["k": "v"], labels: Value? = nil) -> Value {
        var metadata: Value = ["name": .string(name)]
        if let labels { metadata["labels"] = labels }
        return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data]
    }

    static let collection = "/api/v1/namespaces/ref/configmaps"

    @Test func createSetsSystemMetadataAndManagedFields() throws {
        let reply = harness.call("POST", Self.collection + "?fieldManager=kubectl-create", configMap("cm-a", data: ["a": "1"]))
        #expect(reply.status == 201)
        let metadata = reply.body["metadata"]
        #expect(metadata.mapValue?.keys.elements == ["name", "namespace", "uid", "resourceVersion", "creationTimestamp", "managedFields"])
        #expect(metadata["managedFields"][0]["manager"] == "kubectl-create")
        #expect(metadata["managedFields"][0]["fieldsV1"] == ["f:data": [".": [:], "f:a": [:]]])
        #expect(reply.body.mapValue?.keys.elements == ["kind", "apiVersion", "metadata", "data"])
        #expect(metadata["generation"].isNull, "ConfigMaps have no generation")
    }

    @Test func errorsHaveTheReferenceBodies() throws {
        harness.call("POST", Self.collection, configMap("cm-a"))
        func expectReference(_ reply: Harness.Reply, _ name: String) throws {
            let reference = try Reference.response(name)["response"]
            #expect(reply.status == reference["status"].intValue)
            #expect(reply.body == reference["body"], "\(name): \(reply.text)")
        }
        try expectReference(harness.call("POST", Self.collection, configMap("cm-a", data: ["k": "dup"])), "err-409-alreadyexists")
        try expectReference(harness.call("GET", Self.collection + "/nope"), "err-404-get")
        try expectReference(harness.call("POST", Self.collection, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "Bad_Name"]]),
                            "err-422-configmap-invalid-name")
        try expectReference(harness.call("POST", Self.collection, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": [:]]),
                            "err-422-missing-name")
        try expectReference(harness.call("POST", Self.collection, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "x"]]),
                            "err-400-kind-mismatch")
        try expectReference(harness.call("POST", Self.collection, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "namespace": "other"]]),
                            "err-400-namespace-mismatch")
        try expectReference(harness.call("POST", "/api/v1/namespaces/nope-ns/configmaps", configMap("x")),
                            "err-404-namespace-missing-create")
        try expectReference(harness.call("POST", Self.collection + "/cm-a", configMap("cm-a")), "err-405-post-on-item")
        try expectReference(harness.call("GET", Self.collection + "?limit=2&continue=bogus"), "list-continue-invalid")
        try expectReference(harness.call("GET", Self.collection + "?fieldSelector=data.k%3Dx"), "list-fieldselector-unsupported")
    }

    @Test func malformedBodiesAreBadRequestsAndStoreNothing() {
        let reply = harness.raw("POST", Self.collection, bytes: Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"#.utf8),
                                contentType: "application/json")
        #expect(reply.status == 400)
        #expect(reply.body["message"].stringValue?.contains("unexpected end of JSON input") == true)
        let list = harness.call("GET", Self.collection).body
        #expect(list["items"].listValue?.allSatisfy { $0["metadata"]["name"] == "kube-root-ca.crt" } ?? true)
    }

    @Test func protobufBodiesGet415NamingTheAlternative() {
        let reply = harness.raw("POST", "/api/v1/namespaces", bytes: Array("k8s\u{0}".utf8),
                                contentType: "application/vnd.kubernetes.protobuf")
        #expect(reply.status == 415)
        #expect(reply.body["reason"] == "UnsupportedMediaType")
        #expect(reply.body["message"].stringValue?.contains("kubectl create -f") == true)
    }

    @Test func staleUpdatesConflictAndUnconditionalUpdatesApply() throws {
        let created = harness.call("POST", Self.collection, configMap("cm-b")).body
        var update = created
        update["data"] = ["k": "v2"]
        let first = harness.call("PUT", Self.collection + "/cm-b", update)
        #expect(first.status == 200)
        let stale = harness.call("PUT", Self.collection + "/cm-b", update)
        #expect(stale.status == 409)
        #expect(stale.body == (try Reference.response("err-409-conflict-stale-rv")["response"]["body"]))
        var unconditional = update
        unconditional[path: ["metadata", "resourceVersion"]] = .null
        unconditional["data"] = ["k": "v3"]
        #expect(harness.call("PUT", Self.collection + "/cm-b", unconditional).status == 200)
    }

    @Test func noOpWritesKeepTheResourceVersion() {
        let created = harness.call("POST", Self.collection, configMap("same")).body
        let again = harness.call("PUT", Self.collection + "/same", created).body
        #expect(again["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"])
    }

    @Test func generationFollowsSpecChangesOnly() {
        let deployment: Value = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "x"],
                                 "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "x"]],
                                          "template": ["metadata": ["labels": ["app": "x"]],
                                                       "spec": ["containers": [["name": "c", "image": "nginx"]]]]]]
        let path = "/apis/apps/v1/namespaces/ref/deployments"
        #expect(harness.call("POST", path, deployment).body["metadata"]["generation"] == 1)
        let labelled = harness.call("PATCH", path + "/x", ["metadata": ["labels": ["a": "b"]]], contentType: "application/merge-patch+json")
        #expect(labelled.body["metadata"]["generation"] == 1)
        let scaled = harness.call("PATCH", path + "/x", ["spec": ["replicas": 3]], contentType: "application/merge-patch+json")
        #expect(scaled.body["metadata"]["generation"] == 2)
        let status = harness.call("PATCH", path + "/x/status", ["status": ["replicas": 7]], contentType: "application/merge-patch+json")
        #expect(status.body["metadata"]["generation"] == 2)
        #expect(status.body["status"]["replicas"] == 7)
        let ignoredStatus = harness.call("PATCH", path + "/x", ["status": ["replicas": 9]], contentType: "application/merge-patch+json")
        #expect(ignoredStatus.body["status"]["replicas"] == 7, "status sent to the main resource is ignored")
        #expect(ignoredStatus.body["metadata"]["resourceVersion"] == status.body["metadata"]["resourceVersion"])
    }

    @Test func dryRunStoresNothingAndOmitsTheResourceVersion() {
        let reply = harness.call("POST", Self.collection + "?dryRun=All", configMap("dry1"))
        #expect(reply.status == 201)
        #expect(reply.body["metadata"]["resourceVersion"].isNull)
        #expect(!reply.body["metadata"]["uid"].isNull)
        #expect(harness.call("GET", Self.collection + "/dry1").status == 404)
        #expect(harness.call("POST", Self.collection + "?dryRun=Some", configMap("dry2")).status == 422)
    }

    @Test func dryRunUpdatesAndDeletesChangeNothing() {
        let created = harness.call("POST", Self.collection, configMap("dry3")).body
        let updated = harness.call("PATCH", Self.collection + "/dry3?dryRun=All", ["data": ["k": "changed"]],
                                   contentType: "application/merge-patch+json")
        #expect(updated.status == 200)
        #expect(updated.body["data"]["k"] == "changed", "the answer shows what would be stored")
        let deleted = harness.call("DELETE", Self.collection + "/dry3?dryRun=All")
        #expect(deleted.status == 200)
        let stored = harness.call("GET", Self.collection + "/dry3").body
        #expect(stored["data"]["k"] == "v")
        #expect(stored["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"])
    }

    @Test func rejectedWritesStoreNothing() {
        #expect(harness.call("POST", Self.collection, configMap("Not_Valid")).status == 422)
        let service = harness.call("POST", "/api/v1/namespaces/ref/services", [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "1web"], "spec": ["ports": [["port": 80]]],
        ])
        #expect(service.status == 422)
        #expect(service.body["details"]["causes"][0]["message"].stringValue?.hasPrefix("Invalid value: \"1web\": a DNS-1035 label must consist") == true)
        let deployments = "/apis/apps/v1/namespaces/ref/deployments"
        let deployment: Value = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d"],
                                 "spec": ["selector": ["matchLabels": ["app": "d"]],
                                          "template": ["metadata": ["labels": ["app": "d"]],
                                                       "spec": ["containers": [["name": "c", "image": "i"]]]]]]
        let created = harness.call("POST", deployments, deployment).body
        let immutable = harness.call("PATCH", deployments + "/d",
                                     ["spec": ["replicas": 5, "selector": ["matchLabels": ["app": "other"]]]],
                                     contentType: "application/merge-patch+json")
        #expect(immutable.status == 422)
        #expect(immutable.body["details"]["causes"][0]["field"] == "spec.selector")
        let after = harness.call("GET", deployments + "/d").body
        #expect(after == created, "a rejected update leaves the object as it was")
        let malformedYAML = harness.raw("PATCH", Self.collection + "/y?fieldManager=m", bytes: Array("metadata: [unclosed\n".utf8),
                                        contentType: "application/apply-patch+yaml")
        #expect(malformedYAML.status == 400)
        #expect(harness.call("GET", Self.collection + "/y").status == 404)
        let wrongVersion = harness.call("POST", "/apis/apps/v9/namespaces/ref/deployments", deployment)
        #expect(wrongVersion.status == 404)
        let names = harness.call("GET", Self.collection).body["items"].listValue?.compactMap { $0["metadata"]["name"].stringValue }
        #expect(names?.contains("Not_Valid") == false)
        #expect(harness.call("GET", "/api/v1/namespaces/ref/services/1web").status == 404)
    }

    @Test func generateNameAddsFiveCharacters() {
        let reply = harness.call("POST", Self.collection, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["generateName": "gen-"]])
        let name = reply.body["metadata"]["name"].stringValue ?? ""
        #expect(name.hasPrefix("gen-") && name.count == 9)
    }

    @Test func selectorsAndPaginationFollowTheReference() throws {
        for (index, tier) in ["web", "db", "web", "cache"].enumerated() {
            harness.call("POST", Self.collection, configMap("cm-\(index)", labels: ["tier": .string(tier)]))
        }
        let web = harness.call("GET", Self.collection + "?labelSelector=tier%3Dweb").body
        #expect(web["items"].listValue?.map { $0["metadata"]["name"] } == ["cm-0", "cm-2"])
        let notWeb = harness.call("GET", Self.collection + "?labelSelector=tier%20notin%20(web),tier").body
        #expect(notWeb["items"].listValue?.map { $0["metadata"]["name"] } == ["cm-1", "cm-3"])
        let named = harness.call("GET", Self.collection + "?fieldSelector=metadata.name%3Dcm-3").body
        #expect(named["items"].listValue?.count == 1)
        let page1 = harness.call("GET", Self.collection + "?limit=2").body
        #expect(Reference.shape(page1["metadata"]) == Reference.shape(try Reference.response("list-limit2-page1")["response"]["body"]["metadata"]))
        #expect(page1["items"][0]["kind"].isNull, "built-in list items carry no kind")
        let token = try #require(page1["metadata"]["continue"].stringValue)
        let page2 = harness.call("GET", Self.collection + "?limit=2&continue=\(token)").body
        #expect(page2["metadata"]["resourceVersion"] == page1["metadata"]["resourceVersion"])
        let names = (page1["items"].listValue ?? []) + (page2["items"].listValue ?? [])
        #expect(Set(names.map { $0["metadata"]["name"] }).count == 4)
    }

    @Test func tablesCarryTheDefaultColumnsAndPartialMetadata() throws {
        harness.call("POST", Self.collection, configMap("app-config", data: ["a": "1", "b": "2"]))
        let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
        let table = harness.call("GET", Self.collection + "?limit=500", accept: accept).body
        let reference = try Reference.response("table-configmaps")["response"]["body"]
        #expect(table["columnDefinitions"] == reference["columnDefinitions"])
        let row = try #require(table["rows"].listValue?.first { $0["cells"][0] == "app-config" })
        #expect(row["cells"][1] == 2)
        #expect(row["object"]["kind"] == "PartialObjectMetadata")
        let none = harness.call("GET", Self.collection + "?includeObject=None", accept: accept).body
        #expect(none["rows"][0]["object"].isNull)
    }

    @Test func nodeTablesShowStatusAndRoles() {
        let table = harness.call("GET", "/api/v1/nodes", accept: "application/json;as=Table;v=v1;g=meta.k8s.io").body
        #expect(table["columnDefinitions"].listValue?.map { $0["name"] } == ["Name", "Status", "Roles", "Age", "Version"])
        #expect(table["rows"][0]["cells"].listValue?.prefix(3) == ["sandbox-node", "Ready", "control-plane"])
    }

    @Test func deleteWithoutFinalizersAnswersSuccessStatus() throws {
        let created = harness.call("POST", Self.collection, configMap("cm-del")).body
        let reply = harness.call("DELETE", Self.collection + "/cm-del")
        #expect(reply.status == 200)
        let reference = try Reference.response("delete-configmap-response")["response"]["body"]
        #expect(Reference.shape(reply.body) == Reference.shape(reference))
        #expect(reply.body["details"]["uid"] == created["metadata"]["uid"])
        #expect(harness.call("DELETE", Self.collection + "/cm-del").status == 404)
    }

    @Test func deletePreconditionsAreChecked() throws {
        harness.call("POST", Self.collection, configMap("cm-c"))
        let reply = harness.call("DELETE", Self.collection + "/cm-c",
                                 ["kind": "DeleteOptions", "apiVersion": "v1", "preconditions": ["uid": "00000000-0000-0000-0000-000000000000"]])
        #expect(reply.status == 409)
        #expect(reply.body["details"] == ["name": "cm-c", "kind": "ConfigMap"])
    }

    @Test func deleteCollectionHonoursSelectors() {
        harness.call("POST", Self.collection, configMap("keep", labels: ["x": "1"]))
        harness.call("POST", Self.collection, configMap("drop", labels: ["x": "2"]))
        #expect(harness.call("DELETE", Self.collection + "?labelSelector=x%3D2").status == 200)
        #expect(harness.call("GET", Self.collection + "/drop").status == 404)
        #expect(harness.call("GET", Self.collection + "/keep").status == 200)
    }

    @Test func workloadDefaultsAreFilledOnEveryWriteAndOwnedByNobody() {
        let path = "/apis/apps/v1/namespaces/ref/deployments"
        let deployment: Value = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d"],
                                 "spec": ["selector": ["matchLabels": ["app": "d"]],
                                          "template": ["metadata": ["labels": ["app": "d"]],
                                                       "spec": ["containers": [["name": "c", "image": "nginx:1.27",
                                                                                "ports": [["containerPort": 80]]]]]]]]
        let created = harness.call("POST", path + "?fieldManager=creator", deployment).body
        #expect(created["spec"]["strategy"]["type"] == "RollingUpdate")
        #expect(created["spec"]["replicas"] == 1)
        let container = created["spec"]["template"]["spec"]["containers"][0]
        #expect(container["imagePullPolicy"] == "IfNotPresent")
        #expect(container["ports"][0]["protocol"] == "TCP")
        #expect(created["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"]["f:strategy"].isNull)
        var resent = deployment
        resent[path: ["metadata", "resourceVersion"]] = created["metadata"]["resourceVersion"]
        let updated = harness.call("PUT", path + "/d", resent).body
        #expect(updated["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"], "re-sending the same spec is a no-op")
        #expect(updated["spec"]["strategy"] == created["spec"]["strategy"])
    }

    @Test func readRevisionsFollowTheReference() throws {
        let rvMatch = harness.call("GET", Self.collection + "?resourceVersionMatch=NotOlderThan")
        #expect(rvMatch.body == (try Reference.response("list-rvmatch-without-rv")["response"]["body"]))
        let tooOld = harness.call("GET", Self.collection + "?resourceVersion=1&resourceVersionMatch=Exact")
        #expect(tooOld.body == (try Reference.response("list-too-old-rv-exact")["response"]["body"]))
        let future = harness.call("GET", Self.collection + "?resourceVersion=99999999&resourceVersionMatch=NotOlderThan&limit=1")
        #expect(future.status == 504)
        #expect(future.body["details"]["causes"][0]["reason"] == "ResourceVersionTooLarge")
        let zero = harness.call("GET", Self.collection + "?resourceVersion=0")
        #expect(zero.status == 200)
    }

    @Test func everyAnswerCarriesAnAuditID() {
        let ok = harness.call("GET", Self.collection)
        let missing = harness.call("GET", Self.collection + "/missing")
        #expect(ok.header("Audit-Id") != nil && missing.header("Audit-Id") != nil)
        #expect(ok.header("Cache-Control") == "no-cache, private")
    }

    @Test func podLogsDescribeTheSimulatedContainer() {
        harness.call("POST", "/api/v1/namespaces/ref/pods", ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                                                             "spec": ["containers": [["name": "main", "image": "nginx"]]]])
        harness.settle(4)
        let log = harness.call("GET", "/api/v1/namespaces/ref/pods/p/log")
        #expect(log.status == 200)
        #expect(log.text.contains("simulated container main (image nginx)"))
        #expect(log.text.contains("running"))
    }

    @Test func namespaceAndServiceDefaults() {
        let namespace = harness.call("GET", "/api/v1/namespaces/ref").body
        #expect(namespace["metadata"]["labels"]["kubernetes.io/metadata.name"] == "ref")
        #expect(namespace["status"]["phase"] == "Active")
        let service = harness.call("POST", "/api/v1/namespaces/ref/services",
                                   ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "svc"],
                                    "spec": ["selector": ["app": "x"], "ports": [["port": 80]]]]).body
        #expect(service["spec"]["clusterIP"].stringValue?.hasPrefix("10.96.") == true)
        #expect(service["spec"]["ports"][0]["targetPort"] == 80)
        #expect(service["spec"]["ports"][0]["protocol"] == "TCP")
        let badService = harness.call("POST", "/api/v1/namespaces/ref/services",
                                      ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "1svc"], "spec": [:]])
        #expect(badService.status == 422)
    }
}
