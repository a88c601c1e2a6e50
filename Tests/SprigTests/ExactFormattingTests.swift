import FoundationEssentials
import GoTemplate
import Testing
import Unstructured
@testable import Sprig

/// The decimal rounding, percent-encoding and zero-padding that replace Foundation's
/// locale-aware and NSString-backed versions; function results were printed by gotemplate-ref.
@Suite struct ExactFormattingTests {
    static let cases: [Case] = [
        Case("divf", -2, 3, prints: "-0.6666666666666667"),
        Case("divf", 1, -3, prints: "-0.3333333333333333"),
        Case("divf", 2, 3, 7, prints: "0.0952380952380952"),
        Case("divf", 0.3, 0.1, prints: "3"),
        Case("urlJoin", ["scheme": "https", "host": "h", "path": "/a b/ü%", "fragment": "x y#"], prints: "https://h/a%20b/%C3%BC%25#x%20y%23"),
        Case("urlquery", "a b&ü/~", prints: "a+b%26%C3%BC%2F~"),
    ]

    @Test(arguments: cases) func printsAsGoDoes(_ testCase: Case) throws {
        #expect(try testCase.run() == testCase.expected)
    }

    @Test func decodesPercentEscapes() throws {
        let parsed = try call("urlParse", "http://h/a%20b%C3%BC#f%41")
        #expect(parsed.mapValue?["path"] == "/a bü")
        #expect(parsed.mapValue?["fragment"] == "fA")
        #expect(GoURL.percentDecoded("%zz") == nil)
        #expect(GoURL.percentDecoded("%+f") == nil)
        #expect(GoURL.percentDecoded("%4") == nil)
        // Not UTF-8: refused, as Foundation's removingPercentEncoding refused it.
        #expect(GoURL.percentDecoded("%FF") == nil)
    }

    @Test func roundsDecimalsHalfAwayFromZero() throws {
        func rounded(_ text: String, _ digits: Int) throws -> String {
            DecimalMath.rounded(try #require(Decimal(string: text)), fractionDigits: digits).description
        }
        #expect(try rounded("0.99999999999999999", 16) == "1")
        #expect(try rounded("-2.00000000000000005", 16) == "-2.0000000000000001")
        #expect(try rounded("-2.00000000000000004", 16) == "-2")
        #expect(try rounded("12.5", 16) == "12.5")
        #expect(try rounded("99.95", 1) == "100")
        #expect(try rounded("123", 0) == "123")
    }

    @Test func padsNumbersAsGoLayoutsDo() {
        #expect(GoLayout.zeroPadded(7, width: 2) == "07")
        #expect(GoLayout.zeroPadded(-7, width: 2) == "-07")
        #expect(GoLayout.zeroPadded(7, width: 3, filler: " ") == "  7")
        #expect(GoLayout.zeroPadded(2024, width: 2) == "2024")
        #expect(Sprig.hex([0x0f, 0xa0], uppercase: true) == "0FA0")
    }
}
