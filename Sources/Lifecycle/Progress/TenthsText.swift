/// A number with one decimal and thousands grouped (`2.3`, `12.0`, `1,234.6`): what the
/// progress lines printed through Foundation's `formatted(.number.precision(.fractionLength(1)))`
/// before the engine stopped loading Foundation's ICU, kept byte for byte. Like ICU, it
/// rounds the shortest decimal that reads back as the same `Double` (so `0.15` is 0.15,
/// not 0.1499...) half to even: `0.25` gives `0.2`, `0.35` gives `0.4`.
enum TenthsText {
    static func string(_ value: Double) -> String {
        var (digits, point) = decimalDigits(value.magnitude)
        if point < 1 {
            digits.insert(contentsOf: repeatElement(0, count: 1 - point), at: 0)
            point = 1
        }
        if digits.count < point + 1 { digits.append(contentsOf: repeatElement(0, count: point + 1 - digits.count)) }
        let dropped = digits[(point + 1)...]
        digits.removeSubrange((point + 1)...)
        if roundsUp(last: digits[point], dropped: dropped) {
            var index = point
            while index >= 0 && digits[index] == 9 {
                digits[index] = 0
                index -= 1
            }
            if index >= 0 {
                digits[index] += 1
            } else {
                digits.insert(1, at: 0)
                point += 1
            }
        }
        let whole = digits[..<point].drop { $0 == 0 }
        var text = value < 0 ? "-" : ""
        for (index, digit) in (whole.isEmpty ? [0] : Array(whole)).enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { text += "," }
            text += String(digit)
        }
        return text + "." + String(digits[point])
    }

    /// Half to even: up when the dropped digits exceed one half, or equal it after an odd digit.
    private static func roundsUp(last: Int, dropped: ArraySlice<Int>) -> Bool {
        guard let first = dropped.first else { return false }
        if first != 5 { return first > 5 }
        return dropped.dropFirst().contains { $0 != 0 } || last % 2 == 1
    }

    /// The digits of the shortest decimal that reads back as `value` (Swift's `description`
    /// finds it), and how many of them precede the decimal point (negative or beyond the
    /// digits for small or large numbers written with an exponent: `1e-05`, `1e+16`).
    private static func decimalDigits(_ value: Double) -> (digits: [Int], point: Int) {
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let digits = mantissa.compactMap(\.wholeNumberValue)
        let point = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? digits.count)
        return (digits, point + exponent)
    }
}
