import Foundation
import Testing
import Unstructured

@testable import Lifecycle

@Suite("Desired objects, hashes, records and prune sets")
struct InventoryTests {
    let configMap: Value = [
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": ["name": "seldon-config", "namespace": "seldon-system", "labels": ["app": "seldon"]],
        "data": ["a": "1", "b": "2"],
    ]

    @Test func hashIgnoresKeyOrderButNotContent() {
        let reordered: Value = [
            "data": ["b": "2", "a": "1"], "kind": "ConfigMap", "apiVersion": "v1",
            "metadata": ["labels": ["app": "seldon"], "namespace": "seldon-system", "name": "seldon-config"],
        ]
        #expect(StableHash.of(configMap) == StableHash.of(reordered))
        var changed = configMap
        changed["data"]["b"] = "3"
        #expect(StableHash.of(configMap) != StableHash.of(changed))
        #expect(StableHash.of(["a": 1]) != StableHash.of(["a": "1"]))
        #expect(StableHash.of(["a": 1]) != StableHash.of(["a": 1.0]))
        #expect(StableHash.of(["ab": "c"]) != StableHash.of(["a": "bc"]))
        #expect(StableHash.of([["a"], []]) != StableHash.of([[], ["a"]]))
        #expect(StableHash.of(configMap).hasPrefix("sha256:") && StableHash.of(configMap).count == 71)
    }

    @Test func desiredObjectIsLabelledAndAnnotatedWithItsHash() throws {
        let desired = try DesiredObject(rendered: configMap, index: 0, instance: "seldon", component: "core")
        let labels = desired.object["metadata"]["labels"]
        #expect(labels["app"] == "seldon")
        #expect(labels[Ownership.instanceLabel] == "seldon")
        #expect(labels[Ownership.componentLabel] == "core")
        #expect(labels[Ownership.managedByLabel] == "seldon-operator")
        #expect(desired.object["metadata"]["annotations"][Ownership.desiredHashAnnotation].stringValue == desired.hash)
        #expect(desired.reference.description == "ConfigMap seldon-system/seldon-config")
    }

    @Test func liveObjectWithTheSameHashNeedsNoWrite() throws {
        let desired = try DesiredObject(rendered: configMap, index: 0, instance: "seldon", component: "core")
        var live = desired.object
        live["metadata"]["uid"] = "u1"
        live["metadata"]["managedFields"] = [["manager": "seldon-operator"]]
        #expect(desired.isApplied(in: live))
        #expect(!desired.isApplied(in: nil))
        var terminating = live
        terminating["metadata"]["deletionTimestamp"] = "2026-11-21T22:00:00Z"
        #expect(!desired.isApplied(in: terminating))
        var changed = configMap
        changed["data"]["a"] = "9"
        let next = try DesiredObject(rendered: changed, index: 0, instance: "seldon", component: "core")
        #expect(!next.isApplied(in: live))
    }

    @Test func renderedDocumentWithoutNameIsRefusedWithItsPosition() {
        #expect(throws: DesiredObject.Problem.self) {
            try DesiredObject(rendered: ["apiVersion": "v1", "kind": "ConfigMap"], index: 2, instance: "s", component: "core")
        }
        do {
            _ = try DesiredObject(rendered: ["kind": "ConfigMap"], index: 2, instance: "s", component: "core")
        } catch {
            #expect(error.description == "component core: rendered document 3 has no apiVersion, kind or metadata.name")
        }
    }

    @Test func redactionHidesSecretLookingLeavesOnly() {
        let values: Value = [
            "postgres": ["password": "hunter2", "user": "seldon", "passwordSecretRef": ["name": "pg", "key": "pw"]],
            "elasticsearch": ["basicAuth": ["secretName": "elastic-credentials"]], "apiToken": "abc",
        ]
        let redacted = Redaction.redacted(values)
        #expect(redacted[path: ["postgres", "password"]] == "<redacted>")
        #expect(redacted[path: ["postgres", "user"]] == "seldon")
        #expect(redacted[path: ["postgres", "passwordSecretRef", "name"]] == "pg")
        #expect(redacted[path: ["elasticsearch", "basicAuth", "secretName"]] == "<redacted>")
        #expect(redacted["apiToken"] == "<redacted>")
    }

    func record(
        _ revision: Int, _ outcome: ReleaseRecord.Outcome, _ names: [String], apiVersion: String = "v1", kind: String = "ConfigMap"
    ) -> ReleaseRecord {
        ReleaseRecord(
            instance: "seldon", namespace: "seldon-system", component: "core", revision: revision, chartVersion: "1.18.0",
            specHash: "sha256:s", valuesHash: "sha256:v", outcome: outcome, time: Date(timeIntervalSince1970: 1_795_300_000),
            objects: names.map {
                .init(ObjectReference(apiVersion: apiVersion, kind: kind, namespace: "seldon-system", name: $0), uid: "uid-\($0)")
            },
            spec: "apiVersion: operator.seldon.io/v1alpha1\nkind: SeldonOperator\n")
    }

    @Test func recordRoundTripsThroughItsSecret() throws {
        var original = record(3, .deployed, ["a", "b"])
        original.objects.append(.init(ObjectReference(
            apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: "seldondeployments.machinelearning.seldon.io")))
        original.message = "2 objects applied"
        let secret = original.secret
        #expect(secret["type"] == "operator.seldon.io/release.v1")
        #expect(secret["metadata"]["name"] == "seldon-operator.seldon.core.v3")
        #expect(secret["metadata"]["labels"]["operator.seldon.io/revision"] == "3")
        #expect(try ReleaseRecord(secret: secret) == original)
    }

    @Test func malformedRecordNamesTheField() {
        var secret = record(1, .deployed, ["a"]).secret
        secret["data"]["outcome"] = .string(Data("exploded".utf8).base64EncodedString())
        #expect(throws: ReleaseRecord.Malformed(secret: "seldon-operator.seldon.core.v1", field: "outcome")) {
            try ReleaseRecord(secret: secret)
        }
    }

    @Test func pruneTakesEverythingSinceTheLastDeployedRecordExceptCRDs() {
        let history = [
            record(1, .deployed, ["old-only"]),
            record(2, .deployed, ["a", "b", "c"]),
            record(3, .failed, ["a", "d"]),
            record(4, .pending, ["a", "e"]),
            record(5, .deployed, ["crd"], apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition"),
        ].reversed()
        let candidates = PrunePlan.candidates(history: Array(history.dropFirst()), desired: [
            ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "seldon-system", name: "a")
        ])
        #expect(candidates.map(\.reference.name) == ["b", "c", "d", "e"])
        let withCRD = PrunePlan.candidates(history: Array(history), desired: [])
        #expect(withCRD.isEmpty, "revision 5 deployed only a CRD, which is never pruned")
    }

    @Test func pruneSparesKeptForeignAndRecreatedObjects() throws {
        let entry = ReleaseRecord.Entry(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "n", name: "a"), uid: "u1")
        let ours: Value = ["metadata": ["uid": "u1", "labels": [Ownership.instanceLabel: "seldon"]]]
        #expect(PrunePlan.shouldDelete(ours, entry: entry, instance: "seldon"))
        var kept = ours
        kept["metadata"]["annotations"] = ["helm.sh/resource-policy": "keep"]
        #expect(!PrunePlan.shouldDelete(kept, entry: entry, instance: "seldon"))
        kept["metadata"]["annotations"] = ["operator.seldon.io/keep": "true"]
        #expect(!PrunePlan.shouldDelete(kept, entry: entry, instance: "seldon"))
        var recreated = ours
        recreated["metadata"]["uid"] = "u2"
        #expect(!PrunePlan.shouldDelete(recreated, entry: entry, instance: "seldon"))
        #expect(!PrunePlan.shouldDelete(["metadata": ["uid": "u1"]], entry: entry, instance: "seldon"))
    }
}
