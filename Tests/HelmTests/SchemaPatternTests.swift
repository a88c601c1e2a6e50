import Foundation
import Testing
@testable import Helm

/// JSON-schema `pattern`s, matched with Swift `Regex` as ICU's NSRegularExpression
/// matched them before: the expected values are ICU's, and the comparison at the end
/// asks ICU itself.
@Suite struct SchemaPatternTests {
    @Test(arguments: [
        ("^[a-z]+$", "abc", true),
        ("^[a-z]+$", "abc\n", true),
        ("^[a-z]+$", "abc\r\n", true),
        ("^[a-z]+$", "abc\n\n", false),
        ("^[a-z]+$", "ab1", false),
        ("^$", "", true),
        ("^$", "\n", true),
        ("^v", "1.0", false),
        ("[$]", "a$", true),
        ("[^]$]", "$", false),
        ("[^]$]", "a", true),
        ("[]$]x", "$x", true),
        ("[]$]x", "ax", false),
        ("\\$", "costs $5", true),
        ("\\Q$\\E5", "costs $5", true),
        ("a$b", "a$b", false),
        ("(?m)^b$", "a\nb\nc", true),
        ("(?i)^ABC$", "abc\n", true),
        ("^\\d+(ms|s|m|h)$", "15ms", true),
        ("(", "anything", true),
        ("[a-", "anything", true),
    ])
    func matchesAsICUDid(pattern: String, text: String, expected: Bool) {
        #expect(SchemaPattern.matches(text, pattern) == expected)
    }

    @Test func translatesOnlyEndOfTextDollars() {
        #expect(SchemaPattern.swiftSyntax("^a$|^b$") == "^a\\Z|^b\\Z")
        #expect(SchemaPattern.swiftSyntax("[$]\\$\\Q$\\E") == "[$]\\$\\Q$\\E")
        #expect(SchemaPattern.swiftSyntax("[]$][^]$]$") == "[\\]$][^\\]$]\\Z")
        #expect(SchemaPattern.swiftSyntax("(?m)[]a]$") == "(?m)[\\]a]$")
        #expect(SchemaPattern.swiftSyntax("(?im)^a$") == "(?im)^a$")
        #expect(SchemaPattern.swiftSyntax("(?i-m)^a$") == "(?i-m)^a\\Z")
    }

    /// Patterns of real charts' schemas and the values they meet, including line ends,
    /// Unicode letters and digits; decomposed accents are left out, as Swift compares
    /// characters by canonical equivalence where ICU compares code points.
    @Test func agreesWithNSRegularExpression() throws {
        let patterns = [
            "^[a-z]+$", "^abc$", "a.c", "^\\d+$", "^\\w+$", "\\s", "^$", "^(?i)abc$", "\\p{L}+", "^\\S+$",
            "(?m)^b$", "\\bword\\b", "^[^/]+$", "^.$", "^..$", "a{2,}", "^[0-9]{1,3}(\\.[0-9]{1,3}){3}$",
            "^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", "^https?://", "a\\z", "a\\Z", "a$", "[\\w-]+",
            "^(Always|Never|IfNotPresent)$", "^((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?|0)$",
            "^[a-zA-Z_][a-zA-Z0-9_]*$", "[$]", "\\$", "[]a]", "[^]a]$", "^.{3}$", "(?x) a b c", "^[\\x{1F600}]$", "[\\p{Lu}]",
        ]
        let texts = [
            "abc", "ABC", "a\nc", "abc\n", "abc\r\n", "abc\r", "abc\u{2028}", "abc\u{85}", "123", "١٢٣", "é", "\u{1F600}",
            "", "\n", "\r\n", "a b", "word", "x/y", "aab", "1.2.3.4", "v1.2.3-rc.1", "https://x", "b\nb", "5ms",
            "1h30m", "Always", "a$", "λ", "\t", "a-b_c", "_x1",
        ]
        for pattern in patterns {
            let icu = try NSRegularExpression(pattern: pattern)
            for text in texts {
                let expected = icu.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                #expect(SchemaPattern.matches(text, pattern) == expected, "pattern \(pattern), text \(text.debugDescription)")
            }
        }
    }
}
