import Testing
@testable import Unstructured

@Suite struct ValueTests {
    @Test func pathsReadAndWrite() {
        var object: Value = ["metadata": ["name": "core"]]
        #expect(object["metadata"]["name"] == "core")
        #expect(object["spec"]["replicas"] == .null)
        object[path: ["spec", "replicas"]] = 3
        #expect(object["spec"]["replicas"] == 3)
    }

    @Test func mergeReplacesScalarsAndMergesMaps() {
        let base: Value = ["a": 1, "b": ["c": 2, "d": 3], "l": [1, 2]]
        let overlay: Value = ["b": ["c": 20], "l": [9], "n": nil]
        let merged = base.merging(overlay)
        #expect(merged == ["a": 1, "b": ["c": 20, "d": 3], "l": [9], "n": nil])
    }

    @Test func equalityIgnoresMapOrderButNotNumberKind() {
        #expect(Value(dictionaryLiteral: ("a", 1), ("b", 2)) == ["b": 2, "a": 1])
        #expect(Value.int(1) != Value.float(1))
        #expect(Set<Value>([["a": 1, "b": 2], ["b": 2, "a": 1]]).count == 1)
    }
}
