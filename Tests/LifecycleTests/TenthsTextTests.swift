import Foundation
import Testing

@testable import Lifecycle

/// Progress lines printed seconds through Foundation's number formatting; `TenthsText`
/// must print the same bytes without it.
@Suite struct TenthsTextTests {
    @Test(arguments: [
        (0.0, "0.0"), (0.04, "0.0"), (0.05, "0.0"), (0.15, "0.2"), (0.25, "0.2"), (0.35, "0.4"),
        (2.25, "2.2"), (2.35, "2.4"), (9.95, "10.0"), (12.0, "12.0"), (999.95, "1,000.0"),
        (1234.56, "1,234.6"), (12345.67, "12,345.7"), (1_000_000.25, "1,000,000.2"), (0.000_01, "0.0"),
        (0.999_999, "1.0"), (1e16, "10,000,000,000,000,000.0"),
    ])
    func roundsTheShortestDecimalHalfToEvenAndGroupsThousands(value: Double, expected: String) {
        #expect(TenthsText.string(value) == expected)
    }

    @Test func agreesWithFoundationOnElapsedTimes() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = (0..<2_000).map { Double($0) / 100 } + (0..<2_000).map { Double($0) * 0.05 + 0.05 }
        for _ in 0..<5_000 {
            let duration = Duration(secondsComponent: Int64.random(in: 0..<100_000, using: &generator),
                                    attosecondsComponent: Int64.random(in: 0..<1_000_000_000_000_000_000, using: &generator))
            values.append(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        for value in values {
            let foundation = value.formatted(.number.precision(.fractionLength(1)))
            #expect(TenthsText.string(value) == foundation, "\(value)")
        }
    }
}
