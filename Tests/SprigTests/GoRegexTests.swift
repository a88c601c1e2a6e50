import GoTemplate
import Testing
import Unstructured
@testable import Sprig

/// Where Go's RE2 syntax and Swift's `Regex` read a pattern differently; every expectation
/// was printed by gotemplate-ref (Go 1.19).
@Suite struct GoRegexTests {
    static let cases: [Case] = [
        // `.` excludes only `\n`, unless `(?s)` lets it match that too.
        Case("regexFindAll", "a.c", "a\rc a\nc a\u{2028}c", -1, prints: "[a\rc a\u{2028}c]"),
        Case("regexFindAll", "(?s)a.c", "a\nc", -1, prints: "[a\nc]"),
        // Perl and POSIX classes are ASCII.
        Case("regexFindAll", #"\d+"#, "١٢٣ 12", -1, prints: "[12]"),
        Case("regexFindAll", #"\D+"#, "١٢٣ 12", -1, prints: "[١٢٣ ]"),
        Case("regexFindAll", #"\w+"#, "héllo wörld", -1, prints: "[h llo w rld]"),
        Case("regexFindAll", #"\s"#, "a\u{0B}b\u{0C}c\u{85}d e", -1, prints: "[\u{0C}  ]"),
        Case("regexFindAll", #"[^\d\s]+"#, "ab 12c", -1, prints: "[ab c]"),
        Case("regexFindAll", "[[:alpha:]]+", "héllo", -1, prints: "[h llo]"),
        Case("regexFindAll", "[[:^alpha:]]+", "ab12cd", -1, prints: "[12]"),
        Case("regexFindAll", #"\bx\b"#, "éx x", -1, prints: "[x x]"),
        // One-letter Unicode properties, in and out of classes.
        Case("regexFindAll", #"\pL+"#, "héllo1", -1, prints: "[héllo]"),
        Case("regexFindAll", #"[\pN]+"#, "a12b", -1, prints: "[12]"),
        // Octal escapes.
        Case("regexFindAll", #"\101\0"#, "AA\u{0}", -1, prints: "[A\u{0}]"),
        // `{` that is not a repetition, `[` and `&&` inside a class, and `]` first in one are literals.
        Case("regexFindAll", "a{,2}", "a{,2}", -1, prints: "[a{,2}]"),
        Case("regexFindAll", "x{2}", "xxx", -1, prints: "[xx]"),
        Case("regexFindAll", "[a[b]+", "a[b]", -1, prints: "[a[b]"),
        Case("regexFindAll", "[a&&b]+", "a&&b", -1, prints: "[a&&b]"),
        Case("regexFindAll", "[]a]+", "]a]", -1, prints: "[]a]]"),
        Case("regexFindAll", #"[\]]+"#, "]]", -1, prints: "[]]]"),
        Case("regexFindAll", "[-a]+", "-a-", -1, prints: "[-a-]"),
        Case("regexFindAll", "[:alpha:]+", "ab:x", -1, prints: "[a :]"),
        Case("regexFindAll", #"\Qa.b\E"#, "a.b axb", -1, prints: "[a.b]"),
        Case("regexFindAll", #"\Qa+b\E+"#, "a+bbb ab", -1, prints: "[a+bbb]"),
        // `$` is the end of the text only; matching is by rune, not by grapheme cluster.
        Case("regexFindAll", "^a.c$", "abc\n", -1, prints: "[]"),
        Case("regexFindAll", "é", "e\u{301} é", -1, prints: "[é]"),
        Case("regexReplaceAll", "e\u{301}", "cafe\u{301}!", "E", prints: "cafE!"),
        Case("regexFindAll", "(?i)k", "kK\u{212A}", -1, prints: "[k K \u{212A}]"),
        Case("regexReplaceAll", #"(?P<first>\w+) (?P<last>\w+)"#, "John Smith", "${last}, $first", prints: "Smith, John"),
        Case("regexReplaceAll", "a", "banana", "$0$0", prints: "baanaanaa"),
        Case("regexSplit", #"\."#, "a.b.c", -1, prints: "[a b c]"),
        // `\v` is the vertical tab alone, and multi-line `$` comes before `\n` only.
        Case("regexFindAll", #"\v"#, "a\u{0B}b\u{0C}c\n", -1, prints: "[\u{0B}]"),
        Case("regexFindAll", "[[:space:]]+", "a\u{0B}b\u{85}c", -1, prints: "[\u{0B}]"),
        Case("regexFindAll", "(?m)$", "a\nb\rc", -1, prints: "[ ]"),
    ]

    @Test(arguments: cases) func matchesAsGoDoes(_ testCase: Case) throws {
        #expect(try testCase.run() == testCase.expected)
    }

    /// Go's `Split` gives an empty text one empty part, except for an empty pattern.
    @Test func splitsEmptyTextAsGoDoes() throws {
        #expect(try call("regexSplit", "x", "", -1) == .list([""]))
        #expect(try call("regexSplit", "", "", -1) == .list([]))
    }

    @Test func countsRunesNotCharacters() throws {
        #expect(try call("regexFindAll", ".", "e\u{301}", -1) == .list(["e", "\u{301}"]))
    }

    /// Go has no backreferences, and `\8` is no escape at all.
    @Test func refusesWhatGoRefuses() {
        for pattern in [#"(a)\1"#, #"\8"#, "[a-z", "a**"] {
            #expect(failure("mustRegexMatch", .string(pattern), "aa") == "error parsing regexp: invalid or unsupported syntax: `\(pattern)`")
        }
    }

    @Test func translatesGoSyntaxToSwiftSyntax() throws {
        #expect(try GoRegexSyntax.translate(#"a.\d[\w.]"#) == #"a[^\n][0-9][0-9A-Za-z_.]"#)
        #expect(try GoRegexSyntax.translate(#"(?s)a.\S"#) == #"(?s)a.[^\t\n\f\r ]"#)
        #expect(try GoRegexSyntax.translate(#"[[:digit:][:^space:]]"#) == "[0-9[:^space:]]")
        #expect(try GoRegexSyntax.translate(#"\pL\p{Greek}\PN"#) == #"\p{L}\p{Greek}\P{N}"#)
        #expect(try GoRegexSyntax.translate(#"\0\12\101"#) == #"\x{0}\x{a}\x{41}"#)
        #expect(try GoRegexSyntax.translate(#"\Q.[a\E."#) == #"\.\[a[^\n]"#)
        #expect(try GoRegexSyntax.translate("{a}x{1,}y{,1}") == #"\{a}x{1,}y\{,1}"#)
        #expect(try GoRegexSyntax.translate("[:a][^:b]") == #"[\:a][^\:b]"#)
        #expect(try GoRegexSyntax.translate(#"(?m)^a$[$]\v"#) == #"(?m)^a(?=\n|\z)[$]\x{B}"#)
        #expect(throws: GoRegexSyntax.Unsupported.self) { try GoRegexSyntax.translate(#"\1"#) }
        #expect(throws: GoRegexSyntax.Unsupported.self) { try GoRegexSyntax.translate("a\\") }
    }
}
