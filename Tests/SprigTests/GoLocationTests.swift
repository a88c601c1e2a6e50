import GoTemplate
import Testing
import Unstructured
@testable import Sprig

/// Zones read from this machine's tzdata files; every expectation was printed by
/// gotemplate-ref (Go 1.19) for the same template, with TZ as the test's local zone.
@Suite struct GoLocationTests {
    static let layout = "2006-01-02 15:04:05 MST -0700"

    /// `dateInZone` of an RFC 3339 instant.
    func shown(_ instant: String, in zone: String) throws -> String {
        let time = try call("toDate", "2006-01-02T15:04:05Z07:00", .string(instant))
        return try printed("dateInZone", .string(Self.layout), time, .string(zone))
    }

    static func library(local: String) throws -> FunctionLibrary {
        let zone = try #require(GoLocation.load(local, local: .utc))
        return Sprig.library(entropy: StandInEntropy(), clock: FixedClock(localTimeZone: zone))
    }

    @Test func followsDaylightSavingChanges() throws {
        #expect(try shown("2024-03-10T06:59:59Z", in: "America/New_York") == "2024-03-10 01:59:59 EST -0500")
        #expect(try shown("2024-03-10T07:00:00Z", in: "America/New_York") == "2024-03-10 03:00:00 EDT -0400")
        #expect(try printed("dateInZone", .string(Self.layout), 0, "Asia/Kolkata") == "1970-01-01 05:30:00 IST +0530")
        // Lord Howe's daylight time is half an hour, and its abbreviations are numeric.
        #expect(try printed("dateInZone", .string(Self.layout), 1_700_000_000, "Australia/Lord_Howe") == "2023-11-15 09:13:20 +11 +1100")
        #expect(try printed("dateInZone", .string(Self.layout), 1_720_000_000, "Australia/Lord_Howe") == "2024-07-03 20:16:40 +1030 +1030")
        #expect(try printed("dateInZone", .string(Self.layout), 1_700_000_000, "Etc/GMT+5") == "2023-11-14 17:13:20 -05 -0500")
        #expect(try printed("dateInZone", .string(Self.layout), 1_700_000_000, "EST5EDT") == "2023-11-14 17:13:20 EST -0500")
    }

    @Test func usesTheFirstStandardZoneBeforeTheFirstTransition() throws {
        #expect(try printed("dateInZone", .string(Self.layout), .int64(-5_000_000_000), "America/New_York") == "1811-07-23 10:10:38 LMT -0456")
    }

    /// After a file's last transition the footer's POSIX TZ rule decides.
    @Test func followsTheFooterRuleBeyondTheLastTransition() throws {
        #expect(try printed("dateInZone", .string(Self.layout), .int64(4_102_444_800), "America/New_York") == "2099-12-31 19:00:00 EST -0500")
        #expect(try printed("dateInZone", .string(Self.layout), .int64(4_118_000_000), "America/New_York") == "2100-06-29 20:53:20 EDT -0400")
        #expect(try shown("2100-03-14T06:59:59Z", in: "America/New_York") == "2100-03-14 01:59:59 EST -0500")
        #expect(try shown("2100-03-14T07:00:00Z", in: "America/New_York") == "2100-03-14 03:00:00 EDT -0400")
        // Southern hemisphere: daylight time spans the new year.
        #expect(try shown("2100-01-15T00:00:00Z", in: "Australia/Sydney") == "2100-01-15 11:00:00 AEDT +1100")
        #expect(try shown("2100-07-15T00:00:00Z", in: "Australia/Sydney") == "2100-07-15 10:00:00 AEST +1000")
        // `<+1030>-10:30<+11>-11,M10.1.0,M4.1.0`: quoted names, a half-hour change.
        #expect(try shown("2100-10-02T15:29:59Z", in: "Australia/Lord_Howe") == "2100-10-03 01:59:59 +1030 +1030")
        #expect(try shown("2100-10-02T15:30:00Z", in: "Australia/Lord_Howe") == "2100-10-03 02:30:00 +11 +1100")
        // Ireland's winter time is the negative "daylight" time of `IST-1GMT0,M10.5.0,M3.5.0/1`.
        #expect(try shown("2100-03-28T00:59:59Z", in: "Europe/Dublin") == "2100-03-28 00:59:59 GMT +0000")
        #expect(try shown("2100-03-28T01:00:00Z", in: "Europe/Dublin") == "2100-03-28 02:00:00 IST +0100")
        #expect(try shown("2100-01-15T00:00:00Z", in: "America/Sao_Paulo") == "2100-01-14 21:00:00 -03 -0300")
    }

    /// Like Go's `LoadLocation`, a name may not leave the zone directories; sprig then shows UTC.
    @Test func refusesNamesOutsideTheZoneDirectories() throws {
        #expect(GoLocation.load("../../../etc/passwd", local: .utc) == nil)
        #expect(GoLocation.load("/usr/share/zoneinfo/Asia/Tokyo", local: .utc) == nil)
        #expect(GoLocation.load("Asia/../Asia/Tokyo", local: .utc) == nil)
        #expect(GoLocation.load("Bad/Zone", local: .utc) == nil)
        #expect(try printed("dateInZone", .string(Self.layout), 1_700_000_000, "/usr/share/zoneinfo/Asia/Tokyo") == "2023-11-14 22:13:20 UTC +0000")
        #expect(try printed("dateInZone", .string(Self.layout), 1_700_000_000, "") == "2023-11-14 22:13:20 UTC +0000")
    }

    @Test func readsLocalFromTheTZVariableAsGoDoes() {
        func abbreviation(_ tz: String?) -> String {
            GoTime(seconds: 1_700_000_000, zone: GoLocation.local(tz: tz)).zoneAbbreviation
        }
        #expect(abbreviation("America/New_York") == "EST")
        #expect(abbreviation(":Asia/Kolkata") == "IST")
        #expect(abbreviation("/usr/share/zoneinfo/Europe/Paris") == "CET")
        #expect(GoLocation.local(tz: "/usr/share/zoneinfo/Europe/Paris").name == "/usr/share/zoneinfo/Europe/Paris")
        #expect(abbreviation("") == "UTC")
        #expect(abbreviation("Bad/Zone") == "UTC")
        // Go 1.19 does not read a TZ value as a POSIX rule.
        #expect(abbreviation("XYZ3") == "UTC")
    }

    @Test func parsesInTheLocalZone() throws {
        let newYork = try Self.library(local: "America/New_York")
        // In a spring-forward gap and a fall-back overlap, Go's `Date` picks these.
        #expect(try printed("toDate", "2006-01-02 15:04", "2024-03-10 02:30", in: newYork) == "2024-03-10 01:30:00 -0500 EST")
        #expect(try printed("toDate", "2006-01-02 15:04", "2024-11-03 01:30", in: newYork) == "2024-11-03 01:30:00 -0400 EDT")
        #expect(try printed("date", .string(Self.layout), try call("toDate", "2006-01-02 15:04", "2100-03-14 02:30", in: newYork), in: newYork)
            == "2100-03-14 01:30:00 EST -0500")
        // A zone name the local zone knows takes its offset; an offset it has then takes the zone.
        #expect(try printed("toDate", "2006-01-02 15:04:05 MST", "2024-07-01 12:00:00 EST", in: newYork) == "2024-07-01 13:00:00 -0400 EDT")
        #expect(try printed("toDate", "2006-01-02 15:04:05 -0700", "2024-07-01 12:00:00 -0400", in: newYork) == "2024-07-01 12:00:00 -0400 EDT")
        #expect(try printed("toDate", "2006-01-02 15:04:05 -0700", "2024-07-01 12:00:00 +0000", in: newYork) == "2024-07-01 12:00:00 +0000 +0000")
        #expect(try printed("toDate", "2006-01-02 15:04:05 MST", "2024-07-01 12:00:00 UTC", in: newYork) == "2024-07-01 12:00:00 +0000 UTC")
        #expect(try printed("toDate", "2006-01-02 15:04:05Z07:00", "2024-07-01 12:00:00Z", in: newYork) == "2024-07-01 12:00:00 +0000 UTC")
    }

    @Test func keepsUnknownZoneNamesAsGoDoes() throws {
        #expect(try printed("toDate", "2006-01-02 MST", "2024-01-01 GMT") == "2024-01-01 00:00:00 +0000 GMT")
        #expect(try printed("toDate", "2006-01-02 MST", "2024-01-01 EST") == "2024-01-01 00:00:00 +0000 EST")
        #expect(try printed("toDate", "2006-01-02 15:04:05 -0700", "2024-07-01 12:00:00 -0400") == "2024-07-01 12:00:00 -0400 -0400")
    }

    @Test func refusesMalformedZoneFiles() {
        let header = Array("TZif".utf8)
        #expect(GoLocation(tzif: header + [UInt8](repeating: 0, count: 10), name: "short") == nil)
        #expect(GoLocation(tzif: Array("TZif4".utf8) + [UInt8](repeating: 0, count: 39), name: "version") == nil)
        // A well-formed header that promises a zone the data does not hold.
        var counts = [UInt8](repeating: 0, count: 24)
        counts[19] = 1
        #expect(GoLocation(tzif: header + [0] + [UInt8](repeating: 0, count: 15) + counts, name: "truncated") == nil)
        // No zones at all.
        #expect(GoLocation(tzif: header + [0] + [UInt8](repeating: 0, count: 39), name: "empty") == nil)
    }

    @Test func readsPosixRules() throws {
        let rule = try #require(PosixZoneRule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"))
        #expect(rule.standard == GoLocation.Zone(name: "+1030", offset: 37_800, isDST: false))
        #expect(rule.daylight?.zone == GoLocation.Zone(name: "+11", offset: 39_600, isDST: true))
        // Daylight time an hour ahead and the US rules when the string gives neither.
        let defaulted = try #require(PosixZoneRule("EST5EDT"))
        #expect(defaulted.daylight?.zone.offset == -14_400)
        #expect(defaulted.period(at: 4_118_000_000, lastTransition: 0).zone.name == "EDT")
        #expect(PosixZoneRule("JST-9")?.daylight == nil)
        #expect(PosixZoneRule("J1") == nil)
        #expect(PosixZoneRule("EST5EDT,M13.1.0,M11.1.0") == nil)
        #expect(PosixZoneRule("EST5EDT,M3.2.0") == nil)
        // Julian and zero-based day rules, with explicit times.
        let julian = try #require(PosixZoneRule("XST3XDT,J60/1:30,300"))
        // J60 is March 1 in every year, so one day later in a leap year.
        #expect(julian.daylight?.start.secondOfYear(in: 2023, offset: 0) == 59 * 86_400 + 5400)
        #expect(julian.daylight?.start.secondOfYear(in: 2024, offset: 0) == 60 * 86_400 + 5400)
        #expect(julian.daylight?.end.secondOfYear(in: 2024, offset: -10_800) == 300 * 86_400 + 7200 + 10_800)
    }
}
