import GoTemplate
import Foundation
import Testing
import Unstructured
@testable import Sprig

/// Dates with the stand-in clock (2024-01-01T00:00:00Z, local zone UTC); the other
/// expectations were printed by gotemplate-ref with TZ=UTC.
@Suite struct DateFunctionTests {
    func date(_ text: String, layout: String = "2006-01-02") throws -> Value {
        try call("toDate", .string(layout), .string(text))
    }

    @Test func formatsEveryLayoutElement() throws {
        let march5 = try date("2024-03-05")
        #expect(try printed("date", "2006-01-02T15:04:05Z07:00 Mon Jan _2 3:4:5 PM .000 MST -0700", march5)
            == "2024-03-05T00:00:00Z Tue Mar  5 12:0:0 AM .000 UTC +0000")
        let afternoon = try date("2024-03-05 14:08", layout: "2006-01-02 15:04")
        #expect(try printed("date", "Monday January 02 2006 15h pm Z0700 Z07 -07 .999 ,000 __2 002", afternoon)
            == "Tuesday March 05 2024 14h pm Z Z +00  ,000  65 065")
    }

    @Test func parsesDatesAsGoDoes() throws {
        #expect(try printed("toDate", "2006-01-02 15:04", "2024-03-05 07:08") == "2024-03-05 07:08:00 +0000 UTC")
        #expect(try printed("toDate", "2006-01-02", "x") == "0001-01-01 00:00:00 +0000 UTC")
        #expect(try printed("toDate", "2006-01-02T15:04:05.999999999Z07:00", "2024-03-05T01:02:03.5+02:00")
            == "2024-03-05 01:02:03.5 +0200 +0200")
        #expect(failure("mustToDate", "2006-01-02", "x") == #"parsing time "x" as "2006-01-02": cannot parse "x" as "2006""#)
    }

    @Test func showsTimesInZones() throws {
        let march5 = try date("2024-03-05")
        #expect(try printed("dateInZone", "2006-01-02 15:04 MST", march5, "Asia/Tokyo") == "2024-03-05 09:00 JST")
        #expect(try printed("dateInZone", "15:04", march5, "Bad/Zone") == "00:00")
        #expect(try printed("date_in_zone", "15:04", march5, "UTC") == "00:00")
        #expect(try printed("htmlDate", march5) == "2024-03-05")
        #expect(try printed("htmlDateInZone", march5, "America/New_York") == "2024-03-04")
    }

    @Test func readsUnixSecondsAndFallsBackToNow() throws {
        #expect(try printed("date", "2006", 1_700_000_000) == "2023")
        #expect(try printed("date", "2006-01-02", .float(3)) == "2024-01-01")
        #expect(try printed("now") == "2024-01-01 00:00:00 +0000 UTC")
        #expect(try printed("unixEpoch", try call("now")) == "1704067200")
        #expect(try printed("unixEpoch", try date("2024-03-05")) == "1709596800")
        #expect(failure("unixEpoch", "2024") == "wrong type for value; expected time.Time; got string")
    }

    @Test func modifiesAndMeasuresDurations() throws {
        let march5 = try date("2024-03-05")
        #expect(try printed("dateModify", "-1.5h", march5) == "2024-03-04 22:30:00 +0000 UTC")
        #expect(try printed("dateModify", "bad", march5) == "2024-03-05 00:00:00 +0000 UTC")
        #expect(failure("mustDateModify", "bad", march5) == #"time: invalid duration "bad""#)
        #expect(try printed("ago", try date("2023-12-31")) == "24h0m0s")
        #expect(try printed("duration", "3700") == "1h1m40s")
        #expect(try printed("duration", .int64(3700)) == "1h1m40s")
        // A template's integer literal is a Go int, which duration and durationRound read as 0.
        #expect(try printed("duration", 3700) == "0s")
        #expect(try printed("durationRound", .int64(3_700_000_000_000)) == "1h")
        #expect(try printed("durationRound", 3_700_000_000_000) == "0s")
        #expect(try printed("duration", "x") == "0s")
        #expect(try printed("durationRound", "3h10m") == "3h")
        #expect(try printed("durationRound", "-3h") == "3h")
        #expect(try printed("durationRound", "400h") == "16d")
        #expect(try printed("durationRound", "1s") == "0s")
        #expect(try printed("durationRound", "2s") == "2s")
        #expect(try printed("durationRound", try date("2023-12-01")) == "1mo")
    }

    @Test func timesAnswerTheirMethods() throws {
        guard case let .object(time) = try date("2024-03-05") else {
            Issue.record("toDate did not return a time")
            return
        }
        #expect(time.typeName == "time.Time")
        #expect(try time.method("Year")?([]) == 2024)
        #expect(try time.method("Unix")?([]) == .int64(1_709_596_800))
        #expect(try time.method("Format")?(["Jan 2"]) == "Mar 5")
    }

    @Test func durationTextMatchesGo() throws {
        #expect(GoDuration.string(0) == "0s")
        #expect(GoDuration.string(1500) == "1.5µs")
        #expect(GoDuration.string(1_200_000) == "1.2ms")
        #expect(GoDuration.string(-90_000_000_000) == "-1m30s")
        #expect(GoDuration.string(3_600_000_000_000) == "1h0m0s")
        #expect(try GoDuration.parse("1h30m") == 5_400_000_000_000)
        #expect(throws: GoTimeError.self) { try GoDuration.parse("1") }
        #expect(throws: GoTimeError.self) { try GoDuration.parse("1x") }
    }
}
