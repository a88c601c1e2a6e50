import Testing
import Unstructured

@Suite struct ScalarEscapingTests {
    @Test func replacesEachListedScalarAndKeepsTheRest() {
        let escapes: [Unicode.Scalar: String] = ["\\": "\\\\", "\n": "\\n"]
        #expect(#"a\b"#.escapingScalars(escapes) == #"a\\b"#)
        #expect("é\n\"".escapingScalars(escapes) == "é\\n\"")
        #expect("".escapingScalars(escapes) == "")
    }

    /// `\r\n` is one Character; its line feed must still be found.
    @Test func matchesScalarsInsideGraphemeClusters() {
        #expect("a\r\nb".escapingScalars(["\n": "\\n"]) == "a\r\\nb")
        #expect("e\u{301}".escapingScalars(["\u{301}": "'"]) == "e'")
    }
}
