import GoTemplate
import Testing
import Unstructured
@testable import Sprig

/// Every expectation below was printed by gotemplate-ref (Go text/template + sprig v3.2.3)
/// for the same call.
@Suite struct StringFunctionTests {
    static let lst: Value = ["a", .float(1), nil]
    static let m: Value = ["b": .float(1), "a": "x"]

    static let cases: [Case] = [
        Case("upper", "abc", prints: "ABC"),
        Case("lower", "ABC", prints: "abc"),
        Case("title", "hello wORLD foo-bar x_y 3rd", prints: "Hello WORLD Foo-Bar X_y 3rd"),
        Case("title", "a.b,c", prints: "A.B,C"),
        Case("title", "ünï çode", prints: "Ünï Çode"),
        Case("untitle", "Hello World ABC", prints: "hello world aBC"),
        Case("untitle", "HELLO  world", prints: "hELLO  world"),
        Case("swapcase", "Hello World ABC", prints: "hELLO wORLD abc"),
        Case("snakecase", "HelloWorld fooBar HTTPServer a-b", prints: "hello_world_foo_bar_http_server_a_b"),
        Case("snakecase", "ABC", prints: "abc"),
        Case("snakecase", "a1B2", prints: "a1_b2"),
        Case("snakecase", "a1b", prints: "a_1b"),
        Case("snakecase", "A1", prints: "a1"),
        Case("snakecase", "fooBAR", prints: "foo_bar"),
        Case("snakecase", "foo  bar", prints: "foo__bar"),
        Case("snakecase", "_foo_", prints: "_foo_"),
        Case("snakecase", "Foo1Bar", prints: "foo1_bar"),
        Case("snakecase", "foo.bar", prints: "foo.bar"),
        Case("snakecase", "ABc", prints: "a_bc"),
        Case("kebabcase", "HelloWorld fooBar HTTPServer", prints: "hello-world-foo-bar-http-server"),
        Case("kebabcase", "ab_cd Ef", prints: "ab-cd-ef"),
        Case("kebabcase", "foo_BAR baz", prints: "foo-bar-baz"),
        Case("camelcase", "hello_world foo-bar x y", prints: "HelloWorldFooBarXY"),
        Case("camelcase", "HTTP_server", prints: "HttpServer"),
        Case("camelcase", "", prints: ""),
        Case("camelcase", "fooBar", prints: "Foobar"),
        Case("camelcase", "foo_bar_baz", prints: "FooBarBaz"),
        Case("camelcase", "_foo", prints: "_Foo"),
        Case("camelcase", "foo__bar", prints: "Foo_Bar"),
        Case("camelcase", "x1y", prints: "X1y"),
        Case("camelcase", "ÜBER_alles", prints: "ÜberAlles"),
        Case("initials", "hello wide world", prints: "hww"),
        Case("initials", "Hello-World x", prints: "Hx"),
        Case("initials", "  ", prints: ""),
        Case("nospace", " a b\tc\n", prints: "abc"),
        Case("abbrev", 5, "hello world", prints: "he..."),
        Case("abbrev", 3, "hello", prints: "hello"),
        Case("abbrev", 4, "hello", prints: "h..."),
        Case("abbrevboth", 5, 10, "1234 5678 9123", prints: "...5678..."),
        Case("abbrevboth", 0, 4, "hello", prints: "h..."),
        Case("abbrevboth", 3, 6, "hello world", prints: "hello world"),
        Case("substr", 1, 3, "hello", prints: "el"),
        Case("substr", -1, 3, "hello", prints: "hel"),
        Case("substr", 2, -1, "hello", prints: "llo"),
        Case("substr", 0, 10, "hello", prints: "hello"),
        Case("trunc", -3, "abcdef", prints: "def"),
        Case("trunc", 10, "abc", prints: "abc"),
        Case("trunc", 0, "abc", prints: ""),
        Case("trunc", -10, "abc", prints: "abc"),
        Case("wrap", 5, "hello world foo bar", prints: "hello\nworld\nfoo\nbar"),
        Case("wrap", 3, "ab cd ef", prints: "ab\ncd\nef"),
        Case("wrap", 0, "a b", prints: "a\nb"),
        Case("wrap", 5, "a  b\nc", prints: "a \nb\nc"),
        Case("wrap", 10, "a verylongwordhere and more", prints: "a\nverylongwordhere\nand more"),
        Case("wrapWith", 5, "\t", "hello world", prints: "hello\tworld"),
        Case("wrapWith", 3, "|", "abcdef gh", prints: "abc|def|gh"),
        Case("repeat", 3, "ab", prints: "ababab"),
        Case("repeat", 0, "x", prints: ""),
        Case("trim", "  a  ", prints: "a"),
        Case("trimAll", "$", "$5.00$", prints: "5.00"),
        Case("trimall", "$", "$5$", prints: "5"),
        Case("trimSuffix", "-", "a-", prints: "a"),
        Case("trimPrefix", "-", "-a", prints: "a"),
        Case("plural", "one", "many", 1, prints: "one"),
        Case("plural", "one", "many", 2, prints: "many"),
        Case("cat", "a", 1, nil, "b", lst, prints: "a 1 b [a 1 <nil>]"),
        Case("indent", 2, "a\nb", prints: "  a\n  b"),
        Case("nindent", 2, "a\n\nb", prints: "\n  a\n  \n  b"),
        Case("replace", "a", "b", "aaa", prints: "bbb"),
        Case("replace", "aa", "x", "aaaaa", prints: "xxa"),
        Case("replace", "é", "e", "café é", prints: "cafe e"),
        Case("replace", "", "-", "ab", prints: "-a-b-"),
        Case("replace", "zz", "y", "abc", prints: "abc"),
        Case("replace", "abc", "", "abcabc", prints: ""),
        Case("contains", "ell", "hello", prints: "true"),
        Case("contains", "x", "hello", prints: "false"),
        Case("hasPrefix", "he", "hello", prints: "true"),
        Case("hasSuffix", "lo", "hello", prints: "true"),
        Case("hasSuffix", "he", "hello", prints: "false"),
        Case("quote", "a\"b\\c\n", prints: #""a\"b\\c\n""#),
        Case("quote", "é\t", prints: #""é\t""#),
        Case("quote", nil, prints: ""),
        Case("quote", 1, 2, prints: #""1" "2""#),
        Case("squote", "a'b", prints: "'a'b'"),
        Case("squote", lst, prints: "'[a 1 <nil>]'"),
        Case("toString", nil, prints: "<nil>"),
        Case("toString", lst, prints: "[a 1 <nil>]"),
        Case("toString", m, prints: "map[a:x b:1]"),
        Case("toString", .float(1_000_000), prints: "1e+06"),
        Case("toStrings", [1, "a", nil, 2.5], prints: "[1 a 2.5]"),
        Case("toStrings", "abc", prints: "[abc]"),
        Case("toStrings", nil, prints: "[]"),
        Case("splitList", ",", "a,b,,c", prints: "[a b  c]"),
        Case("splitList", "::", "a::b:::c::", prints: "[a b :c ]"),
        Case("splitList", ",", "", prints: "[]"),
        Case("splitList", "abc", "ab", prints: "[ab]"),
        Case("splitn", "é", 2, "xéyéz", prints: "map[_0:x _1:yéz]"),
        Case("splitn", ",", 1, "a,b", prints: "map[_0:a,b]"),
        Case("split", ",", "a,b", prints: "map[_0:a _1:b]"),
        Case("splitn", ",", 2, "a,b,c", prints: "map[_0:a _1:b,c]"),
        Case("join", "-", [1, "a", nil, 2.5], prints: "1-a-2.5"),
        Case("join", ",", "abc", prints: "abc"),
        Case("join", ",", m, prints: "map[a:x b:1]"),
        Case("sortAlpha", ["b", "a", 3, "C"], prints: "[3 C a b]"),
        Case("sortAlpha", "x", prints: "[x]"),
        Case("hello", prints: "Hello!"),
    ]

    @Test(arguments: cases) func printsWhatGoPrints(_ example: Case) throws {
        #expect(try example.run() == example.expected)
    }

    static let failures: [FailureCase] = [
        FailureCase("substr", 3, 1, "hello", fails: "runtime error: slice bounds out of range [3:1]"),
        FailureCase("substr", 7, 9, "hello", fails: "runtime error: slice bounds out of range [7:5]"),
        FailureCase("substr", -1, 10, "hello", fails: "runtime error: slice bounds out of range [:10] with length 5"),
        FailureCase("upper", nil, fails: "wrong type for value; expected string; got interface {}"),
        FailureCase("upper", lst, fails: "wrong type for value; expected string; got []interface {}"),
        FailureCase("trunc", .float(3), "abcdef", fails: "wrong type for value; expected int; got float64"),
        FailureCase("trunc", .int64(3), "abcdef", fails: "wrong type for value; expected int; got int64"),
        FailureCase("repeat", -1, "x", fails: "strings: negative Repeat count"),
    ]

    @Test(arguments: failures) func failsAsGoFails(_ example: FailureCase) {
        #expect(example.run() == example.message)
    }

    @Test func randomStringsUseTheInjectedSource() throws {
        #expect(try printed("randAlphaNum", 5) == "xxxxx")
        #expect(try printed("randAlpha", 3) == "xxx")
        #expect(try printed("randAscii", 2) == "xx")
        #expect(try printed("randNumeric", 4) == "1111")
        #expect(try printed("shuffle", "abc") == "abc")
    }

    @Test func systemRandomStringsDrawFromTheirAlphabet() throws {
        let system = Sprig.library(entropy: SystemEntropy(), clock: SystemClock())
        let digits = try printed("randNumeric", 64, in: system)
        #expect(digits.count == 64 && digits.allSatisfy(\.isNumber))
        let alphanumeric = try printed("randAlphaNum", 64, in: system)
        #expect(alphanumeric.count == 64 && alphanumeric.allSatisfy { $0.isLetter || $0.isNumber })
        let shuffled = try printed("shuffle", "abcdefgh", in: system)
        #expect(shuffled.sorted() == Array("abcdefgh"))
    }
}
