import GoTemplate

/// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): formatting and parsing.
enum GoLayout {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    enum Element: Equatable {
        case literal(String)
        case longMonth, month, numMonth, zeroMonth
        case longWeekDay, weekDay
        case day, underDay, zeroDay, underYearDay, zeroYearDay
        case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year
        case pm(upper: Bool)
        case zoneName
        /// A numeric zone; `iso` prints "Z" for UTC.
        case offset(iso: Bool, colons: Bool, seconds: Bool, minutes: Bool)
        case fraction(digits: Int, trimZeros: Bool, separator: Character)
    }

    /// Splits a layout into literal text and reference-time elements, recognising the
    /// same spellings, in the same order of preference, as Go's `nextStdChunk`.
    static func elements(_ layout: String) -> [(Element, String)] {
        let chars = Array(layout)
        var result: [(Element, String)] = []
        var literal = ""
        var i = 0
        func has(_ text: String, at index: Int) -> Bool {
            let t = Array(text)
            return index + t.count <= chars.count && Array(chars[index..<(index + t.count)]) == t
        }
        func lowerFollows(_ index: Int) -> Bool { index < chars.count && chars[index].isLowercase && chars[index].isASCII }
        func isDigit(_ index: Int) -> Bool { index < chars.count && chars[index].isASCII && chars[index].isNumber }
        while i < chars.count {
            var match: (Element, Int)?
            switch chars[i] {
            case "J":
                if has("January", at: i) { match = (.longMonth, 7) }
                else if has("Jan", at: i), !lowerFollows(i + 3) { match = (.month, 3) }
            case "M":
                if has("Monday", at: i) { match = (.longWeekDay, 6) }
                else if has("Mon", at: i), !lowerFollows(i + 3) { match = (.weekDay, 3) }
                else if has("MST", at: i) { match = (.zoneName, 3) }
            case "0":
                if i + 1 < chars.count, ("1"..."6").contains(chars[i + 1]) {
                    let table: [Element] = [.zeroMonth, .zeroDay, .zeroHour12, .zeroMinute, .zeroSecond, .year]
                    match = (table[(chars[i + 1].wholeNumberValue ?? 1) - 1], 2)
                } else if has("002", at: i) { match = (.zeroYearDay, 3) }
            case "1":
                match = has("15", at: i) ? (.hour, 2) : (.numMonth, 1)
            case "2":
                match = has("2006", at: i) ? (.longYear, 4) : (.day, 1)
            case "_":
                if has("_2006", at: i) {
                    literal.append("_")
                    match = (.longYear, 4)
                    i += 1
                } else if has("_2", at: i) { match = (.underDay, 2) }
                else if has("__2", at: i) { match = (.underYearDay, 3) }
            case "3": match = (.hour12, 1)
            case "4": match = (.minute, 1)
            case "5": match = (.second, 1)
            case "P": if has("PM", at: i) { match = (.pm(upper: true), 2) }
            case "p": if has("pm", at: i) { match = (.pm(upper: false), 2) }
            case "-", "Z":
                let iso = chars[i] == "Z"
                let sign = String(chars[i])
                if has(sign + "070000", at: i) { match = (.offset(iso: iso, colons: false, seconds: true, minutes: true), 7) }
                else if has(sign + "07:00:00", at: i) { match = (.offset(iso: iso, colons: true, seconds: true, minutes: true), 9) }
                else if has(sign + "0700", at: i) { match = (.offset(iso: iso, colons: false, seconds: false, minutes: true), 5) }
                else if has(sign + "07:00", at: i) { match = (.offset(iso: iso, colons: true, seconds: false, minutes: true), 6) }
                else if has(sign + "07", at: i) { match = (.offset(iso: iso, colons: false, seconds: false, minutes: false), 3) }
            case ".", ",":
                if i + 1 < chars.count, chars[i + 1] == "0" || chars[i + 1] == "9" {
                    var j = i + 1
                    while j < chars.count, chars[j] == chars[i + 1] { j += 1 }
                    if !isDigit(j) { match = (.fraction(digits: j - i - 1, trimZeros: chars[i + 1] == "9", separator: chars[i]), j - i) }
                }
            default: break
            }
            if let (element, length) = match {
                if !literal.isEmpty { result.append((.literal(literal), literal)); literal = "" }
                result.append((element, String(chars[i..<(i + length)])))
                i += length
            } else {
                literal.append(chars[i])
                i += 1
            }
        }
        if !literal.isEmpty { result.append((.literal(literal), literal)) }
        return result
    }

    /// `n` in at least `width` digits after its sign, as Go's `appendInt` writes layout numbers.
    static func zeroPadded(_ n: Int, width: Int, filler: Character = "0") -> String {
        let digits = String(n.magnitude)
        return (n < 0 ? "-" : "") + String(repeating: filler, count: max(0, width - digits.count)) + digits
    }

    static func format(_ time: GoTime, layout: String) -> String {
        let c = time.civil
        var out = ""
        func pad(_ n: Int, _ width: Int, _ filler: Character = "0") -> String { zeroPadded(n, width: width, filler: filler) }
        for (element, _) in elements(layout) {
            switch element {
            case let .literal(text): out += text
            case .longMonth: out += monthNames[c.month - 1]
            case .month: out += monthNames[c.month - 1].prefix(3)
            case .numMonth: out += String(c.month)
            case .zeroMonth: out += pad(c.month, 2)
            case .longWeekDay: out += dayNames[c.weekday]
            case .weekDay: out += dayNames[c.weekday].prefix(3)
            case .day: out += String(c.day)
            case .underDay: out += pad(c.day, 2, " ")
            case .zeroDay: out += pad(c.day, 2)
            case .underYearDay: out += pad(c.yearDay, 3, " ")
            case .zeroYearDay: out += pad(c.yearDay, 3)
            case .hour: out += pad(c.hour, 2)
            case .hour12: out += String(c.hour % 12 == 0 ? 12 : c.hour % 12)
            case .zeroHour12: out += pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2)
            case .minute: out += String(c.minute)
            case .zeroMinute: out += pad(c.minute, 2)
            case .second: out += String(c.second)
            case .zeroSecond: out += pad(c.second, 2)
            case .longYear: out += pad(c.year, 4)
            case .year: out += pad(((c.year % 100) + 100) % 100, 2)
            case let .pm(upper): out += c.hour >= 12 ? (upper ? "PM" : "pm") : (upper ? "AM" : "am")
            case .zoneName: out += time.zoneAbbreviation
            case let .offset(iso, colons, seconds, minutes):
                let offset = time.offset
                if iso && offset == 0 { out += "Z"; continue }
                let magnitude = abs(offset)
                out += (offset < 0 ? "-" : "+") + pad(magnitude / 3600, 2)
                if minutes { out += (colons ? ":" : "") + pad(magnitude % 3600 / 60, 2) }
                if seconds { out += (colons ? ":" : "") + pad(magnitude % 60, 2) }
            case let .fraction(digits, trimZeros, separator):
                var fraction = String(pad(time.nanoseconds, 9).prefix(min(digits, 9)))
                if trimZeros {
                    while fraction.hasSuffix("0") { fraction.removeLast() }
                    if fraction.isEmpty { continue }
                }
                out += String(separator) + fraction
            }
        }
        return out
    }

    /// `time.ParseInLocation(layout, value, zone)`.
    static func parse(_ value: String, layout: String, zone local: GoLocation) throws -> GoTime {
        var rest = Substring(value)
        var year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0
        var pm: Bool?
        var offset: Int?
        var zoneName: String?
        var fixedZone: GoLocation?
        var yearDay: Int?
        func failure(_ valueElement: Substring, _ layoutElement: String, _ detail: String = "") -> GoTimeError {
            GoTimeError("parsing time \(GoQuote.quote(value)) as \(GoQuote.quote(layout)): cannot parse \(GoQuote.quote(String(valueElement))) as \(GoQuote.quote(layoutElement))" + detail)
        }
        func number(_ text: String, min minDigits: Int, max maxDigits: Int, allowSpace: Bool = false) throws -> Int {
            if allowSpace, rest.first == " " { rest = rest.dropFirst() }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }.prefix(maxDigits)
            guard digits.count >= minDigits, let n = Int(digits) else { throw failure(rest, text) }
            rest = rest.dropFirst(digits.count)
            return n
        }
        func name(_ names: [String], _ text: String) throws -> Int {
            for (index, candidate) in names.enumerated() where rest.lowercased().hasPrefix(candidate.lowercased()) {
                rest = rest.dropFirst(candidate.count)
                return index
            }
            throw failure(rest, text)
        }
        let elements = elements(layout)
        for (index, (element, text)) in elements.enumerated() {
            switch element {
            case let .literal(literal):
                guard rest.hasPrefix(literal) else { throw failure(rest, literal) }
                rest = rest.dropFirst(literal.count)
            case .longMonth: month = try name(monthNames, text) + 1
            case .month: month = try name(monthNames.map { String($0.prefix(3)) }, text) + 1
            case .numMonth: month = try number(text, min: 1, max: 2)
            case .zeroMonth: month = try number(text, min: 2, max: 2)
            case .longWeekDay: _ = try name(dayNames, text)
            case .weekDay: _ = try name(dayNames.map { String($0.prefix(3)) }, text)
            case .day: day = try number(text, min: 1, max: 2)
            case .underDay: day = try number(text, min: 1, max: 2, allowSpace: true)
            case .zeroDay: day = try number(text, min: 2, max: 2)
            case .underYearDay: yearDay = try number(text, min: 1, max: 3, allowSpace: true)
            case .zeroYearDay: yearDay = try number(text, min: 3, max: 3)
            case .hour: hour = try number(text, min: 1, max: 2)
            case .hour12: hour = try number(text, min: 1, max: 2)
            case .zeroHour12: hour = try number(text, min: 2, max: 2)
            case .minute: minute = try number(text, min: 1, max: 2)
            case .zeroMinute: minute = try number(text, min: 2, max: 2)
            case .second, .zeroSecond:
                second = try number(text, min: element == .second ? 1 : 2, max: 2)
                // Go accepts a fraction after seconds even when the layout has none.
                if rest.first == "." || rest.first == ",", index + 1 == elements.count || !isFraction(elements[index + 1].0) {
                    let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                    if !digits.isEmpty {
                        nanos = Int((String(digits) + "000000000").prefix(9)) ?? 0
                        rest = rest.dropFirst(digits.count + 1)
                    }
                }
            case .longYear: year = try number(text, min: 4, max: 4)
            case .year:
                let short = try number(text, min: 2, max: 2)
                year = short >= 69 ? 1900 + short : 2000 + short
            case .pm:
                let marker = rest.prefix(2).uppercased()
                guard marker == "AM" || marker == "PM" else { throw failure(rest, text) }
                pm = marker == "PM"
                rest = rest.dropFirst(2)
            case .zoneName:
                if rest.hasPrefix("UTC") {
                    fixedZone = .utc
                    rest = rest.dropFirst(3)
                    continue
                }
                let letters = rest.prefix { $0.isLetter && $0.isUppercase }
                guard letters.count >= 3 else { throw failure(rest, text) }
                zoneName = String(letters)
                rest = rest.dropFirst(letters.count)
            case let .offset(iso, colons, seconds, minutes):
                if iso, rest.first == "Z" {
                    rest = rest.dropFirst()
                    fixedZone = .utc
                    continue
                }
                guard let sign = rest.first, sign == "+" || sign == "-" else { throw failure(rest, text) }
                rest = rest.dropFirst()
                var total = try number(text, min: 2, max: 2) * 3600
                if minutes {
                    if colons { guard rest.first == ":" else { throw failure(rest, text) }; rest = rest.dropFirst() }
                    total += try number(text, min: 2, max: 2) * 60
                }
                if seconds {
                    if colons { guard rest.first == ":" else { throw failure(rest, text) }; rest = rest.dropFirst() }
                    total += try number(text, min: 2, max: 2)
                }
                offset = sign == "-" ? -total : total
            case let .fraction(digits, trimZeros, separator):
                guard rest.first == separator else {
                    if trimZeros { continue }
                    throw failure(rest, text)
                }
                let found = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                guard trimZeros || found.count == digits else { throw failure(rest, text) }
                nanos = Int((String(found) + "000000000").prefix(9)) ?? 0
                rest = rest.dropFirst(found.count + 1)
            }
        }
        guard rest.isEmpty else {
            throw GoTimeError("parsing time \(GoQuote.quote(value)): extra text: \(GoQuote.quote(String(rest)))")
        }
        if let pm {
            guard (1...12).contains(hour) else { throw GoTimeError("parsing time \(GoQuote.quote(value)): hour out of range") }
            hour = pm ? (hour % 12) + 12 : hour % 12
        }
        if let yearDay {
            let start = Civil.days(year: year, month: 1, day: 1)
            let civil = Civil(localSeconds: (start + yearDay - 1) * 86_400)
            (month, day) = (civil.month, civil.day)
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else {
            throw GoTimeError("parsing time \(GoQuote.quote(value)): \(month > 12 ? "month" : day > 31 ? "day" : hour >= 24 ? "hour" : minute >= 60 ? "minute" : "second") out of range")
        }
        let wallClock = Civil.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        let (seconds, zone) = settle(wallClock, zone: fixedZone, offset: offset, zoneName: zoneName, local: local)
        return GoTime(seconds: seconds, nanoseconds: nanos, zone: zone)
    }

    /// The instant and location of a parsed wall-clock time, as the end of Go's `parse`
    /// decides them: a `Z` or `UTC` means UTC; an offset or a zone name means `local` when
    /// that is what `local` has in effect then, else a fixed zone with that offset and name;
    /// nothing means `local`.
    private static func settle(_ wallClock: Int, zone: GoLocation?, offset: Int?, zoneName: String?,
                               local: GoLocation) -> (Int, GoLocation) {
        if let zone { return (zone.instant(ofLocalSeconds: wallClock), zone) }
        if let offset {
            let instant = wallClock - offset
            let inEffect = local.period(at: instant).zone
            if inEffect.offset == offset, zoneName == nil || inEffect.name == zoneName { return (instant, local) }
            return (instant, .fixed(name: zoneName ?? "", offset: offset))
        }
        if let zoneName {
            if let localOffset = local.offset(named: zoneName, near: wallClock) { return (wallClock - localOffset, local) }
            return (wallClock, .fixed(name: zoneName, offset: 0))
        }
        return (local.instant(ofLocalSeconds: wallClock), local)
    }

    private static func isFraction(_ element: Element) -> Bool {
        if case .fraction = element { return true }
        return false
    }
}
