import Testing
import Unstructured
@testable import Helm

@Suite struct CoalescingTests {
    private func chart(_ name: String, values: Value.Map, dependencies: [Chart] = []) -> Chart {
        Chart(metadata: ChartMetadata(name: name, version: "1.0.0"), values: values, dependencies: dependencies)
    }

    @Test func userValuesOverrideAndNullDeletes() throws {
        let parent = chart("p", values: ["a": 1, "b": ["x": 1, "y": 2], "c": "keep"])
        let result = try Coalescing().values(of: parent, with: ["a": 2, "b": ["y": nil, "z": 3], "new": nil])
        #expect(Value.map(result) == ["a": 2, "b": ["x": 1, "z": 3], "c": "keep", "new": nil])
    }

    @Test func mergingKeepsNulls() throws {
        let parent = chart("p", values: ["b": ["x": 1]])
        let result = try Coalescing(merge: true).values(of: parent, with: ["b": ["x": nil]])
        #expect(Value.map(result) == ["b": ["x": nil]])
    }

    @Test func parentOverridesChildAndGlobalsFlowDown() throws {
        let sub = chart("sub", values: ["greeting": "child", "global": ["region": "us", "subonly": "s"]])
        let parent = chart("p", values: ["sub": ["greeting": "parent"], "global": ["region": "eu", "nested": ["x": 1]]], dependencies: [sub])
        let result = Value.map(try Coalescing().values(of: parent, with: [:]))
        #expect(result["sub"]["greeting"] == "parent")
        #expect(result["sub"]["global"] == ["region": "eu", "subonly": "s", "nested": ["x": 1]])
        #expect(result["global"] == ["region": "eu", "nested": ["x": 1]])
    }

    @Test func tablesWarnOnConflicts() {
        nonisolated(unsafe) var warnings: [String] = []
        let result = Coalescing(warn: { warnings.append($0) }).tables(["a": "scalar"], ["a": ["x": 1]])
        #expect(Value.map(result) == ["a": "scalar"])
        #expect(warnings == [#"warning: cannot overwrite table with non table for a ({"x":1})"#])
    }

    @Test func conditionsTagsAliasesAndImports() throws {
        let sub = chart("sub", values: ["enabled": false, "exported": ["key": "val"], "exports": ["data": ["imported": "yes"]]])
        var parent = chart("p", values: ["sub": ["enabled": true], "tags": ["extra": true]], dependencies: [sub])
        parent.metadata.dependencies = [
            ChartDependency(name: "sub", version: ">=0.1.0", condition: "sub.enabled", importValues: ["data"]),
            ChartDependency(name: "sub", version: "1.x", alias: "sub2", tags: ["extra"], importValues: [["child": "exported", "parent": "fromsub2"]]),
        ]
        parent.dependencies[0].metadata.version = "1.0.0"
        let processed = try DependencyProcessor().process(parent, values: [:])
        #expect(processed.dependencies.map(\.name) == ["sub", "sub2"])
        #expect(processed.values["fromsub2"] == ["key": "val"])
        #expect(processed.values["imported"] == "yes")
        #expect(processed.dependencies[1].fullPath == "p/charts/sub2")

        let disabled = try DependencyProcessor().process(parent, values: ["sub": ["enabled": false], "tags": ["extra": false]])
        #expect(disabled.dependencies.isEmpty)
        #expect(disabled.values["fromsub2"] == nil)
    }
}
