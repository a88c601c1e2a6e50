import GoTemplate
import Testing
import Unstructured
@testable import Sprig

/// Lists and dictionaries; expectations printed by gotemplate-ref.
@Suite struct CollectionFunctionTests {
    static let cases: [Case] = [
        Case("list", 1, "a", nil, prints: "[1 a <nil>]"),
        Case("tuple", 1, 2, prints: "[1 2]"),
        Case("first", [1, 2], prints: "1"),
        Case("mustFirst", [1, 2], prints: "1"),
        Case("rest", [1, 2, 3], prints: "[2 3]"),
        Case("rest", [], prints: "[]"),
        Case("last", [1, 2], prints: "2"),
        Case("initial", [1, 2, 3], prints: "[1 2]"),
        Case("initial", [], prints: "[]"),
        Case("append", [1], 2, prints: "[1 2]"),
        Case("push", [1], 2, prints: "[1 2]"),
        Case("append", ["a", .float(1), nil], 2, prints: "[a 1 <nil> 2]"),
        Case("prepend", [1], 0, prints: "[0 1]"),
        Case("concat", [1], [2, 3], [], prints: "[1 2 3]"),
        Case("reverse", [1, 2, 3], prints: "[3 2 1]"),
        Case("reverse", [], prints: "[]"),
        Case("uniq", [1, "1", 1, 2, 2], prints: "[1 1 2]"),
        Case("without", [1, 2, 3, 1], 1, 3, prints: "[2]"),
        Case("has", 2, [1, 2], prints: "true"),
        Case("has", "2", [1, 2], prints: "false"),
        Case("has", 1, nil, prints: "false"),
        Case("compact", [1, "", nil, 0, false, "a", [], [:]], prints: "[1 a]"),
        Case("slice", [1, 2, 3, 4], 1, 3, prints: "[2 3]"),
        Case("slice", [1, 2, 3], 1, prints: "[2 3]"),
        Case("slice", [1, 2, 3], prints: "[1 2 3]"),
        Case("slice", [1, 2], 1, 2, 3, prints: "[2]"),
        Case("chunk", 2, [1, 2, 3, 4, 5], prints: "[[1 2] [3 4] [5]]"),
        Case("until", 5, prints: "[0 1 2 3 4]"),
        Case("until", -3, prints: "[0 -1 -2]"),
        Case("until", 0, prints: "[]"),
        Case("untilStep", 0, 10, 3, prints: "[0 3 6 9]"),
        Case("untilStep", 10, 0, -3, prints: "[10 7 4 1]"),
        Case("untilStep", 0, 10, 0, prints: "[]"),
        Case("untilStep", 0, 10, -1, prints: "[]"),
        Case("seq", 5, prints: "1 2 3 4 5"),
        Case("seq", -3, prints: "1 0 -1 -2 -3"),
        Case("seq", 2, 5, prints: "2 3 4 5"),
        Case("seq", 1, 2, 10, prints: "1 3 5 7 9"),
        Case("seq", 5, 2, prints: "5 4 3 2"),
        Case("seq", 0, prints: "1 0"),
        Case("seq", 1, 0, 5, prints: ""),
        Case("dict", "a", 1, "b", prints: "map[a:1 b:]"),
        Case("dict", 1, 2, prints: "map[1:2]"),
        Case("dict", prints: "map[]"),
        Case("get", ["a": 1], "a", prints: "1"),
        Case("get", ["a": 1], "z", prints: ""),
        Case("get", nil, "a", prints: ""),
        Case("set", ["a": 1], "b", 2, prints: "map[a:1 b:2]"),
        Case("unset", ["a": 1], "a", prints: "map[]"),
        Case("unset", nil, "a", prints: "map[]"),
        Case("hasKey", ["a": 1], "a", prints: "true"),
        Case("hasKey", nil, "a", prints: "false"),
        Case("pluck", "a", ["a": 1], ["b": 2], ["a": 3], prints: "[1 3]"),
        Case("pluck", "a", nil, prints: "[]"),
        Case("dig", "a", "b", "def", ["a": ["b": 5]], prints: "5"),
        Case("dig", "a", "x", "def", ["a": ["b": 5]], prints: "def"),
        Case("merge", ["a": 1, "n": ["x": 1]], ["a": 2, "b": 3, "n": ["y": 2]], prints: "map[a:1 b:3 n:map[x:1 y:2]]"),
        Case("mergeOverwrite", ["a": 1, "n": ["x": 1]], ["a": 2, "b": 3, "n": ["y": 2]], prints: "map[a:2 b:3 n:map[x:1 y:2]]"),
        Case("merge", ["a": ""], ["a": "x"], prints: "map[a:x]"),
        Case("merge", ["a": 0], ["a": 5], prints: "map[a:5]"),
        Case("merge", ["a": []], ["a": [1]], prints: "map[a:[1]]"),
        Case("merge", ["a": false], ["a": true], prints: "map[a:true]"),
        Case("merge", ["a": ["x": 1]], ["a": 5], prints: "map[a:map[x:1]]"),
        Case("merge", ["a": nil], ["a": 1], prints: "map[a:1]"),
        Case("merge", nil, [:], prints: "map[]"),
        Case("mergeOverwrite", ["a": "x"], ["a": ""], prints: "map[a:]"),
        Case("mergeOverwrite", ["a": "x"], ["a": nil], prints: "map[a:<nil>]"),
        Case("mergeOverwrite", ["a": [1]], ["a": []], prints: "map[a:[]]"),
        Case("mergeOverwrite", ["a": 1], ["a": 0], prints: "map[a:0]"),
        Case("mergeOverwrite", ["a": ["x": 1]], ["a": 5], prints: "map[a:5]"),
        Case("mergeOverwrite", ["a": 5], ["a": ["x": 1]], prints: "map[a:map[x:1]]"),
        Case("mergeOverwrite", [:], nil, prints: "map[]"),
        Case("mustMerge", ["a": ""], ["a": "x"], prints: "map[a:x]"),
        Case("keys", ["b": 1], ["c": 3], prints: "[b c]"),
        Case("keys", nil, prints: "[]"),
        Case("values", ["b": 1], prints: "[1]"),
        Case("values", nil, prints: "[]"),
        Case("pick", ["a": 1, "b": 2], "a", "z", prints: "map[a:1]"),
        Case("pick", nil, "a", prints: "map[]"),
        Case("omit", ["a": 1, "b": 2], "a", prints: "map[b:2]"),
        Case("omit", nil, "a", prints: "map[]"),
        Case("deepCopy", ["a": [1]], prints: "map[a:[1]]"),
        Case("deepCopy", 5, prints: "5"),
    ]

    @Test(arguments: cases) func printsWhatGoPrints(_ example: Case) throws {
        #expect(try example.run() == example.expected)
    }

    static let failures: [FailureCase] = [
        FailureCase("first", "abc", fails: "Cannot find first on type string"),
        FailureCase("mustFirst", "abc", fails: "Cannot find first on type string"),
        FailureCase("first", nil, fails: "runtime error: invalid memory address or nil pointer dereference"),
        FailureCase("uniq", nil, fails: "runtime error: invalid memory address or nil pointer dereference"),
        FailureCase("append", "abc", 1, fails: "Cannot push on type string"),
        FailureCase("mustAppend", "abc", 1, fails: "Cannot push on type string"),
        FailureCase("prepend", "ab", 1, fails: "Cannot prepend on type string"),
        FailureCase("rest", "ab", fails: "Cannot find rest on type string"),
        FailureCase("last", "ab", fails: "Cannot find last on type string"),
        FailureCase("initial", "ab", fails: "Cannot find initial on type string"),
        FailureCase("reverse", "ab", fails: "Cannot find reverse on type string"),
        FailureCase("uniq", "ab", fails: "Cannot find uniq on type string"),
        FailureCase("without", "ab", 1, fails: "Cannot find without on type string"),
        FailureCase("has", 1, "abc", fails: "Cannot find has on type string"),
        FailureCase("mustHas", 1, "abc", fails: "Cannot find has on type string"),
        FailureCase("compact", "ab", fails: "Cannot compact on type string"),
        FailureCase("concat", [1], "ab", fails: "Cannot concat type string as list"),
        FailureCase("concat", [1], nil, fails: "runtime error: invalid memory address or nil pointer dereference"),
        FailureCase("slice", [1, 2, 3], 2, 1, fails: "reflect.Value.Slice: slice index out of bounds"),
        FailureCase("mustSlice", [1, 2], 1, 5, fails: "reflect.Value.Slice: slice index out of bounds"),
        FailureCase("slice", [1, 2], -1, fails: "reflect.Value.Slice: slice index out of bounds"),
        FailureCase("slice", "abc", 1, fails: "list should be type of slice or array but string"),
        FailureCase("chunk", 0, [1, 2], fails: "runtime error: makeslice: len out of range"),
        FailureCase("chunk", 2, "ab", fails: "Cannot chunk type string"),
        FailureCase("set", nil, "a", 1, fails: "assignment to entry in nil map"),
        FailureCase("get", "x", "a", fails: #"can't handle "x" for arg of type map[string]interface {}"#),
        FailureCase("keys", "x", fails: #"can't handle "x" for arg of type map[string]interface {}"#),
        FailureCase("merge", "x", [:], fails: #"can't handle "x" for arg of type map[string]interface {}"#),
        FailureCase("deepCopy", nil, fails: "reflect: call of reflect.Value.Type on zero Value"),
        FailureCase("mustDeepCopy", nil, fails: "reflect: call of reflect.Value.Type on zero Value"),
        FailureCase("dig", "def", [:], fails: "dig needs at least three arguments"),
        FailureCase("dig", "a", "b", "c", "def", ["a": ["b": 5]], fails: "interface conversion: interface {} is int, not map[string]interface {}"),
        FailureCase("dig", "a", 1, nil, fails: "interface conversion: interface {} is nil, not map[string]interface {}"),
        FailureCase("dig", "a", "b", 1, ["a": nil], fails: "interface conversion: interface {} is nil, not map[string]interface {}"),
        FailureCase("dig", 1, 2, [:], fails: "interface conversion: interface {} is int, not string"),
    ]

    @Test(arguments: failures) func failsAsGoFails(_ example: FailureCase) {
        #expect(example.run() == example.message)
    }

    @Test func digReturnsAPresentNull() throws {
        #expect(try call("dig", "a", 1, ["a": nil]) == .null)
        #expect(try call("first", []) == .null)
        #expect(try call("slice", []) == .null)
    }

    @Test func mutatingFunctionsAreDeclaredForWriteBack() throws {
        for name in ["set", "unset", "merge", "mergeOverwrite", "mustMerge", "mustMergeOverwrite"] {
            #expect(Sprig.argumentsChangedInPlace[name] == 0, "\(name)")
            #expect(standIn[name]?.mutatedArgument == 0, "\(name)")
        }
        #expect(standIn.values.count(where: { $0.mutatedArgument != nil }) == Sprig.argumentsChangedInPlace.count)
        // What must be written back is the returned map.
        #expect(try call("set", ["a": 1], "b", 2) == ["a": 1, "b": 2])
    }
}
