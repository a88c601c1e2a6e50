import Testing
import Unstructured

@Suite struct TrimmingTests {
    @Test(arguments: [
        ("  token\n", "token"),
        ("\t\r\n a b \r\n", "a b"),
        ("\u{00A0}\u{2003}wide\u{3000}", "wide"),
        ("", ""),
        (" \n\t ", ""),
        ("x", "x"),
    ])
    func trimsWhitespaceAndLineBreaksAtBothEndsOnly(input: String, expected: String) {
        #expect(String(input.trimmingWhitespace()) == expected)
    }

    @Test func aSubstringTrimsWithinItsOwnBounds() {
        let line = "key:  value  ;rest"
        let field = line[line.index(after: line.firstIndex(of: ":")!)..<line.firstIndex(of: ";")!]
        #expect(field.trimmingWhitespace() == "value")
    }
}
