import FoundationEssentials
import Unstructured

/// A Go `time.Time` as templates see it: an instant with nanoseconds and the zone it is
/// shown in. Seconds and nanoseconds are kept apart because a `Double` cannot hold
/// today's Unix time to the nanosecond.
final class GoTime: HostObject {
    let seconds: Int
    let nanoseconds: Int
    let zone: GoLocation

    init(seconds: Int, nanoseconds: Int = 0, zone: GoLocation) {
        let carry = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        self.seconds = seconds + carry
        self.nanoseconds = nanoseconds - carry * 1_000_000_000
        self.zone = zone
    }

    convenience init(_ date: Date, zone: GoLocation) {
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

    var offset: Int { zone.period(at: seconds).zone.offset }

    /// The zone's abbreviation as Go prints it (`UTC`, `JST`, `+04`); a zone made from a
    /// bare offset has none and prints as `+hhmm`.
    var zoneAbbreviation: String {
        let current = zone.period(at: seconds).zone
        guard current.name.isEmpty else { return current.name }
        let minutes = abs(current.offset) / 60
        return (current.offset < 0 ? "-" : "+") + GoLayout.zeroPadded(minutes / 60, width: 2) + GoLayout.zeroPadded(minutes % 60, width: 2)
    }

    /// Calendar fields in the time's own zone.
    var civil: Civil { Civil(localSeconds: seconds + offset) }

    func format(_ layout: String) -> String { GoLayout.format(self, layout: layout) }

    func adding(nanoseconds delta: Int) -> GoTime {
        GoTime(seconds: seconds + delta / 1_000_000_000, nanoseconds: nanoseconds + delta % 1_000_000_000, zone: zone)
    }

    func inZone(_ zone: GoLocation) -> GoTime { GoTime(seconds: seconds, nanoseconds: nanoseconds, zone: zone) }

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
