/// The POSIX TZ string a TZif file ends with (`EST5EDT,M3.2.0,M11.1.0`): the rule for
/// instants after the file's last transition, evaluated as Go's `tzset` evaluates it.
struct PosixZoneRule: Sendable {
    /// When in the year daylight time starts or ends.
    struct Change: Sendable {
        enum Day: Sendable {
            /// `Jn`: day 1...365, February 29 never counted.
            case julian(Int)
            /// `n`: day 0...365, February 29 counted.
            case ordinal(Int)
            /// `Mm.w.d`: weekday `d` (0 is Sunday) of week `w` (5 is the last) of month `m`.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }

        var day: Day
        /// Local seconds after midnight, 2:00 unless given.
        var time: Int
    }

    let standard: GoLocation.Zone
    /// Daylight time and when it starts and ends; nil for a zone without it.
    let daylight: (zone: GoLocation.Zone, start: Change, end: Change)?

    init?(_ text: String) {
        var scanner = Scanner(Substring(text))
        guard let standardName = scanner.name(), let standardOffset = scanner.offset() else { return nil }
        // TZ strings give the offset to add to local time for UTC; Go's offsets go the other way.
        standard = GoLocation.Zone(name: standardName, offset: -standardOffset, isDST: false)
        if scanner.isAtEnd || scanner.peek == "," {
            daylight = nil
            return
        }
        guard let daylightName = scanner.name() else { return nil }
        var daylightOffset = standard.offset + 3600
        if !scanner.isAtEnd, scanner.peek != "," {
            guard let offset = scanner.offset() else { return nil }
            daylightOffset = -offset
        }
        // tzcode's default rules (the US rules since 2007) when a string names none.
        if scanner.isAtEnd { scanner = Scanner(",M3.2.0,M11.1.0") }
        guard scanner.take(",") || scanner.take(";"), let start = scanner.change(), scanner.take(","),
              let end = scanner.change(), scanner.isAtEnd
        else { return nil }
        daylight = (GoLocation.Zone(name: daylightName, offset: daylightOffset, isDST: true), start, end)
    }

    /// The zone at `seconds`, with a span that is exact near a change and otherwise the
    /// year (enough for `GoLocation.instant`, as in Go).
    func period(at seconds: Int, lastTransition: Int) -> GoLocation.Period {
        guard let daylight else { return GoLocation.Period(zone: standard, start: lastTransition, end: GoLocation.endOfTime) }
        let civil = Civil(localSeconds: seconds)
        let yearStart = Civil.days(year: civil.year, month: 1, day: 1) * 86_400
        let secondOfYear = seconds - yearStart
        var (first, second) = (standard, daylight.zone)
        var startsAt = daylight.start.secondOfYear(in: civil.year, offset: standard.offset)
        var endsAt = daylight.end.secondOfYear(in: civil.year, offset: daylight.zone.offset)
        // Southern hemisphere: daylight time spans the turn of the year.
        if endsAt < startsAt {
            swap(&startsAt, &endsAt)
            swap(&first, &second)
        }
        if secondOfYear < startsAt {
            return GoLocation.Period(zone: first, start: yearStart, end: yearStart + startsAt)
        }
        if secondOfYear >= endsAt {
            return GoLocation.Period(zone: first, start: yearStart + endsAt, end: yearStart + 365 * 86_400)
        }
        return GoLocation.Period(zone: second, start: yearStart + startsAt, end: yearStart + endsAt)
    }

    /// The text of a TZ string, read left to right as Go's `tzsetName`/`tzsetOffset`/`tzsetRule` do.
    private struct Scanner {
        var rest: Substring
        init(_ rest: Substring) { self.rest = rest }

        var isAtEnd: Bool { rest.isEmpty }
        var peek: Character? { rest.first }

        mutating func take(_ character: Character) -> Bool {
            guard rest.first == character else { return false }
            rest.removeFirst()
            return true
        }

        /// A zone abbreviation: three or more characters up to a digit, sign or comma, or `<…>`.
        mutating func name() -> String? {
            if take("<") {
                guard let close = rest.firstIndex(of: ">") else { return nil }
                defer { rest = rest[rest.index(after: close)...] }
                return String(rest[..<close])
            }
            let end = rest.firstIndex { "0123456789,-+".contains($0) } ?? rest.endIndex
            let name = rest[..<end]
            guard name.unicodeScalars.count >= 3 else { return nil }
            rest = rest[end...]
            return String(name)
        }

        /// `[+-]hh[:mm[:ss]]` in seconds; hours up to 24 × 7, as tzcode allows.
        mutating func offset() -> Int? {
            let negative = take("-")
            if !negative { _ = take("+") }
            guard var total = number(0...(24 * 7)).map({ $0 * 3600 }) else { return nil }
            for scale in [60, 1] {
                guard take(":") else { break }
                guard let part = number(0...59) else { return nil }
                total += part * scale
            }
            return negative ? -total : total
        }

        /// `Jn`, `n` or `Mm.w.d`, then an optional `/time`.
        mutating func change() -> Change? {
            let day: Change.Day
            if take("J") {
                guard let julian = number(1...365) else { return nil }
                day = .julian(julian)
            } else if take("M") {
                guard let month = number(1...12), take("."), let week = number(1...5), take("."),
                      let weekday = number(0...6)
                else { return nil }
                day = .monthWeekDay(month: month, week: week, weekday: weekday)
            } else {
                guard let ordinal = number(0...365) else { return nil }
                day = .ordinal(ordinal)
            }
            guard take("/") else { return Change(day: day, time: 7200) }
            return offset().map { Change(day: day, time: $0) }
        }

        /// Decimal digits whose value stays within `range` (`tzsetNum`).
        private mutating func number(_ range: ClosedRange<Int>) -> Int? {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            var value = 0
            for digit in digits {
                value = value * 10 + (digit.wholeNumberValue ?? 0)
                if value > range.upperBound { return nil }
            }
            guard !digits.isEmpty, value >= range.lowerBound else { return nil }
            rest = rest.dropFirst(digits.count)
            return value
        }
    }
}

extension PosixZoneRule.Change {
    /// Seconds from the start of `year` (UTC) to this change, for a zone at `offset` (Go's `tzruleTime`).
    func secondOfYear(in year: Int, offset: Int) -> Int {
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let dayOfYear: Int
        switch day {
        case let .julian(julian):
            dayOfYear = julian - 1 + (isLeap && julian >= 60 ? 1 : 0)
        case let .ordinal(ordinal):
            dayOfYear = ordinal
        case let .monthWeekDay(month, week, weekday):
            let monthStart = Civil.days(year: year, month: month, day: 1)
            let firstWeekday = ((monthStart % 7) + 11) % 7  // 1970-01-01 was a Thursday
            var day = (weekday - firstWeekday + 7) % 7
            let monthLength = Civil.days(year: month == 12 ? year + 1 : year, month: month % 12 + 1, day: 1) - monthStart
            for _ in 1..<week where day + 7 < monthLength { day += 7 }
            dayOfYear = monthStart - Civil.days(year: year, month: 1, day: 1) + day
        }
        return dayOfYear * 86_400 + time - offset
    }
}
