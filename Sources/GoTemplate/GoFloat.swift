// Temporary copy of the Unstructured helper's GoFloat until it lands on main; deleted on merge.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Go's `strconv.FormatFloat(f, fmt, prec, 64)`, because templates, `toYaml` and `toJson`
/// must print numbers exactly as Helm does (`1e+06`, `1.5e-07`, `+Inf`).
///
/// Digits come from two exact sources: the shortest round-tripping digits of
/// `Double.description` (for precision -1, as Go's shortest mode), and C's `printf`, whose
/// `%e`/`%f` conversions are exact and round half to even as Go's decimal rounding does
/// (for explicit precision). The layout around those digits is Go's `fmtE`/`fmtF`/`%g` rules.
enum GoFloat {
    /// Go's format verbs: `e`/`E` exponent form, `f` no exponent, `g`/`G` whichever is shorter
    /// by Go's rule (exponent < -4 or ≥ precision, with precision 6 in shortest mode).
    enum Format: Sendable {
        case e, upperE, f, g, upperG
    }

    /// `strconv.FormatFloat(value, format, precision, 64)`; precision -1 is Go's "smallest
    /// number of digits necessary to represent the value uniquely".
    static func format(_ value: Double, _ format: Format = .g, precision: Int = -1) -> String {
        var bytes: [UInt8] = []
        append(value, format, precision: precision, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How Go's `encoding/json` prints a float64: `'f'` unless the magnitude is below 1e-6 or
    /// at least 1e21, then `'e'` with a one-digit negative exponent cleaned up (`1e-7`, not `1e-07`).
    /// Not defined for NaN and infinities, which `encoding/json` refuses; they print as Go's
    /// `FormatFloat` would.
    static func json(_ value: Double) -> String {
        var bytes: [UInt8] = []
        appendJSON(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `json(_:)` appended to a byte buffer, for writers that build their output in bytes.
    static func appendJSON(_ value: Double, to bytes: inout [UInt8]) {
        let magnitude = abs(value)
        let useExponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        let start = bytes.count
        append(value, useExponent ? .e : .f, precision: -1, to: &bytes)
        guard useExponent else { return }
        // Go rewrites a two-digit negative exponent with a leading zero: e-09 → e-9.
        let n = bytes.count
        if n - start >= 4, bytes[n - 4] == UInt8(ascii: "e"), bytes[n - 3] == UInt8(ascii: "-"),
            bytes[n - 2] == UInt8(ascii: "0")
        {
            bytes[n - 2] = bytes[n - 1]
            bytes.removeLast()
        }
    }

    /// `format(_:_:precision:)` appended to a byte buffer.
    static func append(_ value: Double, _ format: Format, precision: Int, to bytes: inout [UInt8]) {
        if value.isNaN {
            bytes.append(contentsOf: "NaN".utf8)
            return
        }
        if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
            return
        }
        if value.sign == .minus { bytes.append(UInt8(ascii: "-")) }
        let magnitude = abs(value)
        if precision < 0 {
            let digits = Digits(shortest: magnitude)
            switch format {
            case .e, .upperE: digits.appendE(precision: max(digits.count - 1, 0), upper: format == .upperE, to: &bytes)
            case .f: digits.appendF(precision: max(digits.count - digits.point, 0), to: &bytes)
            case .g, .upperG: digits.appendG(precision: digits.count, shortest: true, upper: format == .upperG, to: &bytes)
            }
        } else {
            switch format {
            case .e, .upperE:
                let digits = Digits(printf: magnitude, conversion: "e", precision: precision)
                digits.appendE(precision: precision, upper: format == .upperE, to: &bytes)
            case .f:
                let digits = Digits(printf: magnitude, conversion: "f", precision: precision)
                digits.appendF(precision: precision, to: &bytes)
            case .g, .upperG:
                let significant = max(precision, 1)
                let digits = Digits(printf: magnitude, conversion: "e", precision: significant - 1)
                digits.appendG(precision: significant, shortest: false, upper: format == .upperG, to: &bytes)
            }
        }
    }
}

/// A non-negative decimal `0.d₁d₂…dₙ × 10^point` without trailing zeros: Go's `decimalSlice`.
/// Zero has no digits and point 0.
private struct Digits {
    var digits: [UInt8] = []
    var point = 0

    var count: Int { digits.count }

    /// The shortest digits that round-trip, read from Swift's `description`, which prints
    /// them either as `123.45` or as `1.2345e-07`.
    init(shortest value: Double) {
        parse(Array(value.description.utf8))
    }

    /// Exactly rounded digits from C's `printf` with `%.<precision><conversion>`.
    init(printf value: Double, conversion: Character, precision: Int) {
        let format = "%.\(precision)\(conversion)"
        var capacity = 64 + precision + 330  // %f of the largest double has 309 integer digits
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let written = buffer.withUnsafeMutableBufferPointer { pointer in
                withVaList([value]) { vsnprintf(pointer.baseAddress, capacity, format, $0) }
            }
            if written >= 0 && Int(written) < capacity {
                parse(buffer[..<Int(written)].map { UInt8(bitPattern: $0) })
                return
            }
            if written < 0 { return }  // printf failure: treat as zero rather than crash
            capacity = Int(written) + 1
        }
    }

    /// Reads `ddd.ddd` with an optional `e±dd` exponent into normalized digits.
    private mutating func parse(_ text: [UInt8]) {
        var mantissa: [UInt8] = []
        var integerDigits = 0
        var seenPoint = false
        var exponent = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                mantissa.append(byte)
                if !seenPoint { integerDigits += 1 }
            } else if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                var negative = false
                index += 1
                if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                    negative = text[index] == UInt8(ascii: "-")
                    index += 1
                }
                while index < text.count {
                    exponent = exponent * 10 + Int(text[index] &- UInt8(ascii: "0"))
                    index += 1
                }
                if negative { exponent = -exponent }
                break
            }
            index += 1
        }
        var first = 0
        while first < mantissa.count && mantissa[first] == UInt8(ascii: "0") { first += 1 }
        var last = mantissa.count
        while last > first && mantissa[last - 1] == UInt8(ascii: "0") { last -= 1 }
        if first == last {
            digits = []
            point = 0
            return
        }
        digits = Array(mantissa[first..<last])
        point = integerDigits - first + exponent
    }

    /// Go's `fmtE`: one digit, `precision` more after the point, then `e±dd`.
    func appendE(precision: Int, upper: Bool, to bytes: inout [UInt8]) {
        bytes.append(digits.first ?? UInt8(ascii: "0"))
        if precision > 0 {
            bytes.append(UInt8(ascii: "."))
            let available = min(digits.count, precision + 1)
            if available > 1 { bytes.append(contentsOf: digits[1..<available]) }
            let padding = precision + 1 - max(available, 1)
            if padding > 0 { bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: padding)) }
        }
        bytes.append(upper ? UInt8(ascii: "E") : UInt8(ascii: "e"))
        var exponent = digits.isEmpty ? 0 : point - 1
        if exponent < 0 {
            bytes.append(UInt8(ascii: "-"))
            exponent = -exponent
        } else {
            bytes.append(UInt8(ascii: "+"))
        }
        if exponent >= 100 { bytes.append(UInt8(ascii: "0") + UInt8(exponent / 100)) }
        bytes.append(UInt8(ascii: "0") + UInt8(exponent / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(exponent % 10))
    }

    /// Go's `fmtF`: the integer part (at least `0`), then `precision` fraction digits.
    func appendF(precision: Int, to bytes: inout [UInt8]) {
        if point > 0 {
            let available = min(digits.count, point)
            bytes.append(contentsOf: digits[0..<available])
            if point > available {
                bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: point - available))
            }
        } else {
            bytes.append(UInt8(ascii: "0"))
        }
        guard precision > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        for i in 1...precision {
            let j = point + i - 1
            bytes.append(j >= 0 && j < digits.count ? digits[j] : UInt8(ascii: "0"))
        }
    }

    /// Go's `%g`: exponent form when the exponent is below -4 or at least the precision
    /// (6 in shortest mode), otherwise plain, never with more digits than it has.
    func appendG(precision requested: Int, shortest: Bool, upper: Bool, to bytes: inout [UInt8]) {
        var precision = requested
        var exponentLimit = precision
        if exponentLimit > digits.count && digits.count >= point { exponentLimit = digits.count }
        if shortest { exponentLimit = 6 }
        let exponent = point - 1
        if exponent < -4 || exponent >= exponentLimit {
            if precision > digits.count { precision = digits.count }
            appendE(precision: precision - 1, upper: upper, to: &bytes)
            return
        }
        if precision > point { precision = digits.count }
        appendF(precision: max(precision - point, 0), to: &bytes)
    }
}
