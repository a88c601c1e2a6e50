import Foundation
import Testing
@testable import Sandbox
import Unstructured

/// The pure pieces under the API: selectors, field sets, patches, timestamps, continue tokens.
@Suite struct BuildingBlockTests {
    @Test func labelSelectorsCoverEveryOperator() throws {
        let labels = ["app": "web", "tier": "front"]
        for (text, expected) in [("app=web", true), ("app==web", true), ("app!=web", false), ("app in (web,db)", true),
                                 ("app notin (web)", false), ("tier", true), ("!tier", false), ("app=web,tier=back", false),
                                 ("", true)] {
            #expect(try LabelSelector.parse(text).matches(labels) == expected, "\(text)")
        }
        #expect(throws: APIError.self) { try LabelSelector.parse("app in web") }
        let object = LabelSelector(object: ["matchLabels": ["app": "web"],
                                            "matchExpressions": [["key": "tier", "operator": "In", "values": ["front"]]]])
        #expect(object.matches(labels))
        #expect(LabelSelector(matchLabels: ["b": "2", "a": "1"]).text == "a=1,b=2")
    }

    @Test func fieldSetsRoundTripThroughFieldsV1() {
        let fieldsV1: Value = ["f:metadata": ["f:finalizers": [".": [:], "v:\"x\"": [:]]],
                               "f:spec": [".": [:], "f:containers": ["k:{\"name\":\"c\"}": [".": [:], "f:image": [:]]]]]
        let set = FieldSet.fromFieldsV1(fieldsV1)
        #expect(set.paths.contains(["f:spec", "f:containers", "k:{\"name\":\"c\"}", "f:image"]))
        #expect(set.fieldsV1 == fieldsV1)
        let object: Value = ["spec": ["containers": [["name": "c", "image": "i"]]]]
        #expect(FieldPaths.value(at: ["f:spec", "f:containers", "k:{\"name\":\"c\"}", "f:image"], in: object) == "i")
        #expect(FieldSet.describe(["f:spec", "f:containers", "k:{\"name\":\"c\"}", "f:image"]) == ".spec.containers[name=\"c\"].image")
        var edited = object
        FieldPaths.remove(["f:spec", "f:containers", "k:{\"name\":\"c\"}"], from: &edited)
        #expect(edited == ["spec": ["containers": []]])
    }

    @Test func jsonPatchOperations() throws {
        let document: Value = ["a": ["b": 1], "list": [1, 2]]
        let patched = try JSONPatch.apply([
            ["op": "add", "path": "/list/1", "value": 9],
            ["op": "remove", "path": "/a/b"],
            ["op": "copy", "from": "/list/0", "path": "/c"],
            ["op": "move", "from": "/c", "path": "/d"],
            ["op": "add", "path": "/list/-", "value": 3],
        ], to: document)
        #expect(patched == ["a": [:], "list": [1, 9, 2, 3], "d": 1])
        #expect(throws: JSONPatch.Failure.self) { try JSONPatch.apply([["op": "remove", "path": "/nope"]], to: document) }
    }

    @Test func mergePatchFollowsRFC7386() {
        let result = MergePatch.apply(["a": ["b": nil, "c": 2], "list": [3]], to: ["a": ["b": 1], "list": [1, 2], "keep": true])
        #expect(result == ["a": ["c": 2], "list": [3], "keep": true])
    }

    @Test func timestampsAndAges() {
        let date = Date(timeIntervalSince1970: 1_795_380_831)
        let text = ObjectShape.timestamp(date)
        #expect(text == "2026-11-22T20:53:51Z")
        #expect(ObjectShape.parseTimestamp(text) == date)
        #expect(ObjectShape.age(since: date, now: date.addingTimeInterval(199)) == "3m19s")
        #expect(ObjectShape.age(since: date, now: date.addingTimeInterval(45)) == "45s")
        #expect(ObjectShape.age(since: date, now: date.addingTimeInterval(3 * 86400)) == "3d")
    }

    @Test func continueTokensRoundTrip() throws {
        let token = ContinueToken.encode(revision: 432, after: "ref/cm-a")
        let decoded = try ContinueToken.decode(token)
        #expect(decoded.revision == 432 && decoded.after == "ref/cm-a")
    }

    @Test func namesFollowDNS1123() {
        #expect(Validation.isSubdomain("a.b-c.d"))
        #expect(!Validation.isSubdomain("Bad_Name"))
        #expect(!Validation.isLabel("a.b"))
        #expect(!Validation.isLabel("-a"))
        #expect(!Validation.isLabel(String(repeating: "a", count: 64)))
    }

    @Test func credentialsMakeAKubeconfigThatReadsBack() throws {
        let credentials = try Credentials.generate()
        #expect(credentials.caCertificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(credentials.bearerToken.count == 64)
        let client = try SandboxKubeconfig.client(from: credentials.kubeconfig(server: "https://127.0.0.1:6443"), path: "kc")
        #expect(client.port == 6443 && client.caPEM == credentials.caCertificatePEM)
        #expect(throws: SandboxKubeconfig.Failure.self) { try SandboxKubeconfig.client(from: "clusters: []", path: "kc") }
    }
}
