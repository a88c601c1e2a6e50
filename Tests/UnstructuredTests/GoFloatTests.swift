import Testing
@testable import Unstructured

@Suite struct GoFloatTests {
    /// Each line of `floats/expected.txt` is what Go printed for one number of
    /// `floats/numbers.txt` with the verbs below, then `toJson`.
    static let columns: [(GoFloat.Format, Int)] = [
        (.g, -1), (.e, 6), (.e, 3), (.e, 0), (.f, 6), (.f, 2), (.f, 0), (.g, 4), (.g, 1), (.g, 10),
        (.upperG, -1), (.upperE, 6), (.upperG, 3),
    ]

    @Test func matchesGoForEveryVerbAndPrecision() throws {
        let numbers = try Fixtures.lines("floats/numbers.txt")
        let expected = try Fixtures.lines("floats/expected.txt")
        #expect(numbers.count == expected.count)
        for (text, line) in zip(numbers, expected) {
            let value = try #require(Double(text))
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == Self.columns.count + 1)
            for (index, (format, precision)) in Self.columns.enumerated() {
                #expect(GoFloat.format(value, format, precision: precision) == fields[index],
                        "\(text) as \(format) precision \(precision)")
            }
            #expect(GoFloat.json(value) == fields.last, "\(text) as JSON")
        }
    }

    @Test func specialValues() {
        #expect(GoFloat.format(.infinity) == "+Inf")
        #expect(GoFloat.format(-.infinity, .e, precision: 3) == "-Inf")
        #expect(GoFloat.format(.nan, .f, precision: 2) == "NaN")
        #expect(GoFloat.format(-0.0) == "-0")
        #expect(GoFloat.format(-0.0, .e, precision: -1) == "-0e+00")
    }

    @Test func shortestExponentAndFixedForms() {
        #expect(GoFloat.format(1e6, .e) == "1e+06")
        #expect(GoFloat.format(1234.5, .e) == "1.2345e+03")
        #expect(GoFloat.format(1e-7, .f) == "0.0000001")
        #expect(GoFloat.format(1e21, .f) == "1000000000000000000000")
        #expect(GoFloat.format(0.1, .f, precision: 20) == "0.10000000000000000555")
        #expect(GoFloat.format(1e-300, .e, precision: 2) == "1.00e-300")
    }
}
