/// What a YAML scalar means, decided as go-yaml v2 decides it (YAML 1.1 with go-yaml's
/// choices), because Helm reads every values file and `fromYaml` through go-yaml v2.
///
/// - Booleans: `y Y yes Yes YES true True TRUE on On ON` and their `n`/`no`/`false`/`off`
///   counterparts, in exactly those spellings (`yEs` is a string).
/// - Null: empty, `~`, `null Null NULL`.
/// - Integers: Go's `ParseInt(s, 0, 64)` after removing `_`: decimal, `0x`, `0o`, `0b`, and a
///   leading `0` for octal; too big for int64 but fitting uint64 is an unsigned integer.
/// - Floats: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `.inf`, `-.inf`, `.nan`;
///   a float that overflows to infinity stays a string (Go's `ParseFloat` reports a range error).
/// - Timestamps look like timestamps but stay strings: go-yaml v2 keeps them as strings when
///   decoding into `interface{}`, for backward compatibility.
enum YAMLScalar: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// Only for values above `Int.max` that fit in 64 unsigned bits.
    case unsigned(UInt64)
    case float(Double)
    case string(String)
    /// The `<<` merge key, recognised only when plain or tagged `!!merge`.
    case merge

    /// The meaning of the plain (unquoted, untagged) scalar `text`.
    static func resolvePlain(_ text: String) -> YAMLScalar {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"),
            UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"),
            UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "~"):
            return keyword(text) ?? .string(text)
        case UInt8(ascii: "."):
            if let special = keyword(text) { return special }
            if let value = Double(text), value.isFinite { return .float(value) }
            return .string(text)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            if let special = keyword(text) { return special }
            return number(text.utf8) ?? .string(text)
        case UInt8(ascii: "<"):
            return text == "<<" ? .merge : .string(text)
        default:
            return .string(text)
        }
    }

    /// The fixed words of go-yaml's resolve table.
    private static func keyword(_ text: String) -> YAMLScalar? {
        guard text.utf8.count <= 5 else { return nil }  // the longest words are five bytes
        return switch text {
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": .bool(true)
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": .bool(false)
        case "~", "null", "Null", "NULL": .null
        case ".nan", ".NaN", ".NAN": .float(.nan)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": .float(-.infinity)
        default: nil
        }
    }

    /// An integer or float starting with a digit or sign, or nil when it is neither.
    private static func number(_ text: String.UTF8View) -> YAMLScalar? {
        var plain: [UInt8] = []
        plain.reserveCapacity(text.count)
        for byte in text where byte != UInt8(ascii: "_") { plain.append(byte) }
        if let integer = GoInteger.parse(plain) {
            if let signed = Int(exactly: integer.magnitude), !integer.negative { return .int(signed) }
            if integer.negative {
                if integer.magnitude <= UInt64(Int.max) { return .int(-Int(integer.magnitude)) }
                if integer.magnitude == UInt64(Int.max) + 1 { return .int(Int.min) }
            } else if plain.first != UInt8(ascii: "+") {
                // ParseUint, go-yaml's second try, accepts no sign.
                return .unsigned(integer.magnitude)
            }
        }
        guard isYAMLFloat(plain), let value = Double(String(decoding: plain, as: UTF8.self)), value.isFinite
        else { return nil }
        return .float(value)
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, go-yaml's float syntax.
    private static func isYAMLFloat(_ bytes: [UInt8]) -> Bool {
        var i = 0
        let n = bytes.count
        func isDigit(_ index: Int) -> Bool {
            index < n && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        } else {
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
            if i < n, bytes[i] == UInt8(ascii: ".") {
                i += 1
                while isDigit(i) { i += 1 }
            }
        }
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        return i == n
    }
}

extension YAMLScalar {
    /// Whether `text`, written plain, reads back as the same string in go-yaml v2 and
    /// other YAML 1.1 readers; when not, writers must quote it.
    static func readsBackAsString(_ text: String) -> Bool {
        switch resolvePlain(text) {
        case .string, .merge: break
        default: return false
        }
        return !YAMLTimestamp.matches(text) && !isBase60Float(text)
    }

    /// YAML 1.1's `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`, which go-yaml quotes on
    /// output for other readers although it does not read it.
    private static func isBase60Float(_ text: String) -> Bool {
        guard let first = text.utf8.first,
            first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || isDigit(first),
            text.utf8.contains(UInt8(ascii: ":"))
        else { return false }
        let bytes = Array(text.utf8)
        var i = 0
        if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { return false }
        while i < bytes.count, isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") { i += 1 }
        var groups = 0
        while i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            i += 1
            // [0-5]?[0-9]
            if i + 1 < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "5"), isDigit(bytes[i + 1]) {
                i += 2
            } else if i < bytes.count, isDigit(bytes[i]) {
                i += 1
            } else {
                return false
            }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") { i += 1 }
        }
        return i == bytes.count
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

/// Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint` syntax: optional sign, then `0x`, `0o`,
/// `0b` or a leading `0` (octal) prefix, or decimal; nil on bad syntax or beyond 64 bits.
enum GoInteger {
    static func parse(_ bytes: [UInt8]) -> (negative: Bool, magnitude: UInt64)? {
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var base: UInt64 = 10
        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "0") {
            switch bytes[i + 1] | 0x20 {
            case UInt8(ascii: "x"): base = 16; i += 2
            case UInt8(ascii: "o"): base = 8; i += 2
            case UInt8(ascii: "b"): base = 2; i += 2
            default: base = 8; i += 1
            }
        }
        guard i < bytes.count else { return nil }
        var magnitude: UInt64 = 0
        while i < bytes.count {
            let byte = bytes[i]
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < base else { return nil }
            let (scaled, overflowScale) = magnitude.multipliedReportingOverflow(by: base)
            let (sum, overflowAdd) = scaled.addingReportingOverflow(digit)
            if overflowScale || overflowAdd { return nil }
            magnitude = sum
            i += 1
        }
        return (negative, magnitude)
    }
}
