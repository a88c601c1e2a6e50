import Foundation
import Unstructured

/// A Go `time.Time` as templates see it: an instant with nanoseconds and the zone it is
/// shown in. Seconds and nanoseconds are kept apart because a `Double` cannot hold
/// today's Unix time to the nanosecond.
final class GoTime: HostObject {
    let seconds: Int
    let nanoseconds: Int
    let zone: TimeZone

    init(seconds: Int, nanoseconds: Int = 0, zone: TimeZone) {
        let carry = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        self.seconds = seconds + carry
        self.nanoseconds = nanoseconds - carry * 1_000_000_000
        self.zone = zone
    }

    convenience init(_ date: Date, zone: TimeZone) {
        let whole = date.timeIntervalSince1970.rounded(.down)
        self.init(seconds: Int(whole), nanoseconds: Int(((date.timeIntervalSince1970 - whole) * 1e9).rounded()), zone: zone)
    }

    var typeName: String { "time.Time" }
    func field(_ name: String) -> Value? { nil }

    /// Go's `Time.String()`, which is what `{{ now }}` prints.
    var representation: Value { .string(format("2006-01-02 15:04:05.999999999 -0700 MST")) }

    func method(_ name: String) -> HostMethod? {
        switch name {
        case "Format": { [self] arguments in
            guard case let .string(layout)? = arguments.first else { throw GoTimeError("Format needs a layout string") }
            return .string(format(layout))
        }
        case "Unix": { [self] _ in .int64(Int64(seconds)) }
        case "UnixMilli": { [self] _ in .int64(Int64(seconds * 1000 + nanoseconds / 1_000_000)) }
        case "UnixNano": { [self] _ in .int64(Int64(seconds &* 1_000_000_000 &+ nanoseconds)) }
        case "Year": { [self] _ in .int(civil.year) }
        case "Month": { [self] _ in .string(GoLayout.monthNames[civil.month - 1]) }
        case "Day": { [self] _ in .int(civil.day) }
        case "YearDay": { [self] _ in .int(civil.yearDay) }
        case "Weekday": { [self] _ in .string(GoLayout.dayNames[civil.weekday]) }
        case "Hour": { [self] _ in .int(civil.hour) }
        case "Minute": { [self] _ in .int(civil.minute) }
        case "Second": { [self] _ in .int(civil.second) }
        case "Nanosecond": { [self] _ in .int(nanoseconds) }
        case "UTC": { [self] _ in .object(GoTime(seconds: seconds, nanoseconds: nanoseconds, zone: .utc)) }
        case "IsZero": { [self] _ in .bool(seconds == GoTime.zeroSeconds && nanoseconds == 0) }
        case "String": { [self] _ in representation }
        default: nil
        }
    }

    /// Seconds of Go's zero time, January 1 of year 1, UTC.
    static let zeroSeconds = -62_135_596_800

    var offset: Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))) }

    /// The zone's abbreviation as Go prints it (`UTC`, `JST`, `+04`): from the zone's tzdata
    /// file, as Go reads it, because Foundation on Linux only offers "GMT+9"; a zone made from
    /// a bare offset prints as `+hhmm`.
    var zoneAbbreviation: String {
        if zone.identifier == "UTC" || zone.identifier == "GMT" && offset == 0 { return "UTC" }
        if let abbreviation = TZif.abbreviation(zone: zone.identifier, at: seconds) { return abbreviation }
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        return (offset < 0 ? "-" : "+") + String(format: "%02d%02d", hours, minutes)
    }

    /// Calendar fields in the time's own zone.
    var civil: Civil { Civil(localSeconds: seconds + offset) }

    func format(_ layout: String) -> String { GoLayout.format(self, layout: layout) }

    func adding(nanoseconds delta: Int) -> GoTime {
        GoTime(seconds: seconds + delta / 1_000_000_000, nanoseconds: nanoseconds + delta % 1_000_000_000, zone: zone)
    }

    func inZone(_ zone: TimeZone) -> GoTime { GoTime(seconds: seconds, nanoseconds: nanoseconds, zone: zone) }

    /// Nanoseconds from `other` to `self`, saturating as Go's `Time.Sub` does.
    func nanoseconds(since other: GoTime) -> Int {
        let (secondsProduct, overflow) = (seconds - other.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds > other.seconds ? .max : .min }
        let (total, overflowSum) = secondsProduct.addingReportingOverflow(nanoseconds - other.nanoseconds)
        return overflowSum ? (secondsProduct > 0 ? .max : .min) : total
    }
}

struct GoTimeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Proleptic Gregorian calendar fields of a count of seconds since the Unix epoch.
struct Civil {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int, yearDay: Int

    init(localSeconds: Int) {
        let days = localSeconds >= 0 ? localSeconds / 86_400 : (localSeconds - 86_399) / 86_400
        let secondOfDay = localSeconds - days * 86_400
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
        weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
        // Howard Hinnant's days-to-civil.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        yearDay = days - Civil.days(year: year, month: 1, day: 1) + 1
    }

    /// Days since the Unix epoch of a calendar date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Just enough of the tzdata file format (RFC 8536) to learn a zone's abbreviation at an
/// instant: the version 1 transition table.
enum TZif {
    static func abbreviation(zone identifier: String, at seconds: Int) -> String? {
        guard !identifier.isEmpty, !identifier.contains(".."),
              let data = FileManager.default.contents(atPath: "/usr/share/zoneinfo/" + identifier)
        else { return nil }
        let bytes = [UInt8](data)
        guard bytes.count >= 44, bytes.starts(with: Array("TZif".utf8)) else { return nil }
        func count(_ offset: Int) -> Int {
            bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        }
        let (isUTCCount, isStdCount, leapCount) = (count(20), count(24), count(28))
        let (timeCount, typeCount, charCount) = (count(32), count(36), count(40))
        let times = 44, indices = times + 4 * timeCount, types = indices + timeCount
        let chars = types + 6 * typeCount
        guard typeCount > 0, chars + charCount + 8 * leapCount + isStdCount + isUTCCount <= bytes.count else { return nil }
        var type = 0
        for index in 0..<timeCount {
            let raw = count(times + 4 * index)
            let transition = raw >= 0x8000_0000 ? raw - 0x1_0000_0000 : raw
            guard transition <= seconds else { break }
            type = Int(bytes[indices + index])
        }
        guard type < typeCount else { return nil }
        let start = chars + Int(bytes[types + 6 * type + 5])
        guard start < chars + charCount else { return nil }
        let end = bytes[start..<(chars + charCount)].firstIndex(of: 0) ?? (chars + charCount)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
