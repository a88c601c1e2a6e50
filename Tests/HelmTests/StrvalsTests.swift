import Testing
import Unstructured
@testable import Helm

@Suite struct StrvalsTests {
    private func parse(_ text: String, _ typing: Strvals.Typing = .inferred) throws -> Value {
        .map(try Strvals.parse(text, typing: typing))
    }

    /// Helm reads `--set` numbers with strconv.ParseInt: they are Go int64s.
    @Test func dottedPathsAndTypeInference() throws {
        #expect(try parse("a.b=1,c=true,d=False,e=null,f=010,g=0,h=-3,i=1.5,j=") == [
            "a": ["b": .int64(1)], "c": true, "d": false, "e": nil, "f": "010", "g": .int64(0), "h": .int64(-3),
            "i": "1.5", "j": "",
        ])
    }

    @Test func escapedDotsAndCommas() throws {
        #expect(try parse(#"labels.a\.b=c,list=x\,y"#) == ["labels": ["a.b": "c"], "list": "x,y"])
    }

    @Test func listsAndIndexes() throws {
        #expect(try parse("list={x,y},n={1,true}") == ["list": ["x", "y"], "n": [.int64(1), true]])
        #expect(try parse("a[1]=x") == ["a": [nil, "x"]])
        #expect(try parse("a[0].b=1,a[0].c=2") == ["a": [["b": .int64(1), "c": .int64(2)]]])
        #expect(try parse("a[0][1]=z") == ["a": [[nil, "z"]]])
    }

    @Test func stringTypingKeepsText() throws {
        #expect(try parse("a=true,b=5,c={1,2}", .string) == ["a": "true", "b": "5", "c": ["1", "2"]])
    }

    @Test func jsonValuesAreDocuments() throws {
        #expect(try parse(#"a={"x":[1,"y"]},b=1.50,c=null"#, .json) == ["a": ["x": [1.0, "y"]], "b": 1.5, "c": nil])
    }

    @Test func mergesIntoExistingValues() throws {
        var values: Value.Map = ["a": ["keep": 1]]
        try Strvals.parse("a.new=2", into: &values)
        #expect(Value.map(values) == ["a": ["keep": 1, "new": .int64(2)]])
    }

    @Test func errorsNameThePosition() {
        #expect(throws: StrvalsError.self) { try Strvals.parse("a.b") }
        do {
            _ = try Strvals.parse("name,other=1")
            Issue.record("accepted a key without value")
        } catch {
            #expect(error.message == "key \"name\" has no value (cannot end with ,)")
            #expect(error.position == 5)
            #expect(error.description.contains("at character 6"))
        }
        #expect(throws: StrvalsError.self) { try Strvals.parse("a[-1]=x") }
        #expect(throws: StrvalsError.self) { try Strvals.parse("a[70000]=x") }
        #expect(throws: StrvalsError.self) { try Strvals.parse("a={x,y") }
        #expect(throws: StrvalsError.self) { try Strvals.parse("a[0]x=1") }
        #expect(throws: StrvalsError.self) { try Strvals.parse("a=1,a.b=2") }
    }

    @Test func limitsNesting() {
        let deep = (0...40).map { "k\($0)" }.joined(separator: ".") + "=1"
        #expect(throws: StrvalsError.self) { try Strvals.parse(deep) }
    }
}
