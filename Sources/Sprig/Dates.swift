import GoTemplate
import Unstructured

/// sprig's date functions over `GoTime`, with "now" and the local zone from the clock.
extension Sprig {
    static func dateFunctions(clock: any ClockSource) -> FunctionLibrary {
        let now = { @Sendable in GoTime(clock.now, zone: clock.localTimeZone) }
        /// sprig's date arguments: a time, or Unix seconds as an `int` or `int64`; anything
        /// else means now.
        let time = { @Sendable (value: Value) -> GoTime in
            switch value {
            case let .object(object as GoTime): object
            case .int, .int64: GoTime(seconds: value.intValue ?? 0, zone: clock.localTimeZone)
            default: now()
            }
        }
        /// sprig shows a time in UTC when `time.LoadLocation` fails.
        let zone = { @Sendable (name: String) -> GoLocation in
            GoLocation.load(name, local: clock.localTimeZone) ?? .utc
        }
        let dateModify = { @Sendable (a: [Value], must: Bool) throws -> Value in
            let (text, date) = (try a.string(0), try a.time(1))
            do {
                return .object(date.adding(nanoseconds: try GoDuration.parse(text)))
            } catch let error as GoTimeError {
                if must { throw FunctionError(error.description) }
                return .object(date)
            }
        }
        let toDate = { @Sendable (a: [Value], must: Bool) throws -> Value in
            do {
                return .object(try GoLayout.parse(try a.string(1), layout: try a.string(0), zone: clock.localTimeZone))
            } catch let error as GoTimeError {
                if must { throw FunctionError(error.description) }
                return .object(GoTime(seconds: GoTime.zeroSeconds, zone: .utc))
            }
        }
        var library: FunctionLibrary = [
            "now": .init(arity: 0) { _, _ in .object(now()) },
            "date": .init(arity: 2) { a, _ in .string(time(a[1]).inZone(clock.localTimeZone).format(try a.string(0))) },
            "dateInZone": .init(arity: 3) { a, _ in .string(time(a[1]).inZone(zone(try a.string(2))).format(try a.string(0))) },
            "htmlDate": .init(arity: 1) { a, _ in .string(time(a[0]).inZone(clock.localTimeZone).format("2006-01-02")) },
            "htmlDateInZone": .init(arity: 2) { a, _ in .string(time(a[0]).inZone(zone(try a.string(1))).format("2006-01-02")) },
            "unixEpoch": .init(arity: 1) { a, _ in .string(String(try a.time(0).seconds)) },
            "dateModify": .init(arity: 2) { a, _ in try dateModify(a, false) },
            "mustDateModify": .init(arity: 2) { a, _ in try dateModify(a, true) },
            "toDate": .init(arity: 2) { a, _ in try toDate(a, false) },
            "mustToDate": .init(arity: 2) { a, _ in try toDate(a, true) },
            "ago": .init(arity: 1) { a, _ in
                .string(GoDuration.string(GoDuration.roundedToSeconds(now().nanoseconds(since: time(a[0])))))
            },
            // sprig's duration and durationRound read an `int64` or a string and take anything
            // else, a template's integer literal (an `int`) too, as 0.
            "duration": .init(arity: 1) { a, _ in
                let seconds: Int
                switch a[0] {
                case let .string(text): seconds = Int(text) ?? 0
                case let .int64(count): seconds = Int(count)
                default: seconds = 0
                }
                return .string(GoDuration.string(seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue))
            },
            "durationRound": .init(arity: 1) { a, _ in
                let nanoseconds: Int
                switch a[0] {
                case let .string(text): nanoseconds = (try? GoDuration.parse(text)) ?? 0
                case let .int64(count): nanoseconds = Int(count)
                case let .object(date as GoTime): nanoseconds = now().nanoseconds(since: date)
                default: nanoseconds = 0
                }
                return .string(GoDuration.coarse(nanoseconds))
            },
        ]
        library["date_in_zone"] = library["dateInZone"]
        library["date_modify"] = library["dateModify"]
        library["must_date_modify"] = library["mustDateModify"]
        return library
    }
}

extension [Value] {
    /// A `time.Time` parameter.
    func time(_ index: Int) throws -> GoTime {
        guard case let .object(object as GoTime) = self[index] else { throw wrongType(index, expected: "time.Time") }
        return object
    }
}

/// Go's `time.Duration` text: parsing ("1h30m", "-1.5h") and printing ("1h30m0s").
enum GoDuration {
    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    static func parse(_ text: String) throws -> Int {
        let invalid = GoTimeError("time: invalid duration \(GoQuote.quote(text))")
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { throw invalid }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1, let value = Double(number) else { throw invalid }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard !unit.isEmpty else { throw GoTimeError("time: missing unit in duration \(GoQuote.quote(text))") }
            guard let scale = units.first(where: { $0.0 == unit })?.1 else {
                throw GoTimeError("time: unknown unit \(GoQuote.quote(String(unit))) in duration \(GoQuote.quote(text))")
            }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        guard total < 9.223372036854775807e18 else { throw invalid }
        return negative ? -Int(total.rounded()) : Int(total.rounded())
    }

    /// `Duration.String()`.
    static func string(_ nanoseconds: Int) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var out: String
        if magnitude < 1_000_000_000 {
            let (unit, scale): (String, UInt) = magnitude < 1000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1000) : ("ms", 1_000_000)
            out = decimal(magnitude, scale: scale) + unit
        } else {
            let seconds = magnitude / 1_000_000_000
            out = decimal(magnitude % 60_000_000_000, scale: 1_000_000_000) + "s"
            let minutes = seconds / 60
            if minutes > 0 {
                out = String(minutes % 60) + "m" + out
                if minutes >= 60 { out = String(minutes / 60) + "h" + out }
            }
        }
        return (negative ? "-" : "") + out
    }

    /// `value / scale` with its fraction, trailing zeros dropped.
    private static func decimal(_ value: UInt, scale: UInt) -> String {
        var text = String(value / scale)
        guard scale > 1, value % scale != 0 else { return text }
        var fraction = String(value % scale)
        fraction = String(repeating: "0", count: String(scale).count - 1 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        text += "." + fraction
        return text
    }

    /// `Duration.Round(time.Second)`: halves away from zero.
    static func roundedToSeconds(_ nanoseconds: Int) -> Int {
        let remainder = nanoseconds % 1_000_000_000
        let truncated = nanoseconds - remainder
        if abs(remainder) * 2 >= 1_000_000_000 {
            return truncated + (nanoseconds < 0 ? -1_000_000_000 : 1_000_000_000)
        }
        return truncated
    }

    /// sprig's `durationRound`: the largest whole unit (y, mo, d, h, m, s), sign dropped.
    static func coarse(_ nanoseconds: Int) -> String {
        let magnitude = nanoseconds.magnitude
        let second: UInt = 1_000_000_000
        let units: [(String, UInt)] = [
            ("y", second * 3600 * 24 * 365), ("mo", second * 3600 * 24 * 30), ("d", second * 3600 * 24),
            ("h", second * 3600), ("m", second * 60), ("s", second),
        ]
        for (name, size) in units where magnitude > size {
            return String(magnitude / size) + name
        }
        return "0s"
    }
}
