/// Whether go-yaml v2 would read a plain scalar as a timestamp: Go's `time.Parse` with one of
/// `2006-1-2T15:4:5.999999999Z07:00`, the same with a lower-case `t`, `2006-1-2 15:4:5.999999999`
/// or `2006-1-2`. Reading keeps such scalars as strings, but writing must quote them, or
/// another YAML 1.1 reader would see a date.
enum YAMLTimestamp {
    static func matches(_ text: String) -> Bool {
        // Cheap rejection before copying: a digit first and a dash fifth.
        let utf8 = text.utf8
        guard utf8.count >= 5, let first = utf8.first, isDigit(first),
            utf8[utf8.index(utf8.startIndex, offsetBy: 4)] == UInt8(ascii: "-")
        else { return false }
        let bytes = Array(utf8)
        // go-yaml's quick check: four digits and a dash.
        guard bytes.count >= 5, bytes[4] == UInt8(ascii: "-"), bytes[0..<4].allSatisfy(isDigit) else { return false }
        var scanner = Scanner(bytes: bytes, index: 5)
        let year = bytes[0..<4].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard let month = scanner.number(), (1...12).contains(month), scanner.take(UInt8(ascii: "-")),
            let day = scanner.number(), day >= 1, day <= daysIn(month: month, year: year)
        else { return false }
        if scanner.atEnd { return true }
        let separator = scanner.bytes[scanner.index]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return false
        }
        scanner.index += 1
        guard let hour = scanner.number(), hour < 24, scanner.take(UInt8(ascii: ":")),
            let minute = scanner.number(), minute < 60, scanner.take(UInt8(ascii: ":")),
            let second = scanner.number(), second < 60
        else { return false }
        // Optional fraction: a period or comma followed by at least one digit.
        if scanner.index + 1 < bytes.count,
            bytes[scanner.index] == UInt8(ascii: ".") || bytes[scanner.index] == UInt8(ascii: ","),
            isDigit(bytes[scanner.index + 1])
        {
            scanner.index += 1
            while !scanner.atEnd && isDigit(bytes[scanner.index]) { scanner.index += 1 }
        }
        if separator == UInt8(ascii: " ") { return scanner.atEnd }
        return scanner.zone()
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index: Int

        var atEnd: Bool { index >= bytes.count }

        /// Go's `getnum(s, false)`: one digit, or two when the second is a digit too.
        mutating func number() -> Int? {
            guard !atEnd, YAMLTimestamp.isDigit(bytes[index]) else { return nil }
            var value = Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
            if !atEnd, YAMLTimestamp.isDigit(bytes[index]) {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard !atEnd, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// `Z07:00`: `Z`, or a sign, two hour digits, a colon and two minute digits, then the end.
        mutating func zone() -> Bool {
            guard !atEnd else { return false }
            if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count }
            guard bytes.count - index == 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
                bytes[index + 3] == UInt8(ascii: ":")
            else { return false }
            let digits = [bytes[index + 1], bytes[index + 2], bytes[index + 4], bytes[index + 5]]
            guard digits.allSatisfy(YAMLTimestamp.isDigit) else { return false }
            let hours = Int(digits[0] - 48) * 10 + Int(digits[1] - 48)
            let minutes = Int(digits[2] - 48) * 10 + Int(digits[3] - 48)
            return hours <= 24 && minutes <= 60
        }
    }
}
