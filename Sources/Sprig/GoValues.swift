import GoTemplate
import Unstructured

/// How Go sees a `Value` beyond what `fmt` prints (GoTemplate's `GoFormat`): the kind names
/// `kindOf` reports, emptiness, and the conversions of spf13/cast that sprig applies to
/// loosely typed arguments.
enum Go {
    /// `reflect.Value.Kind().String()`.
    static func kindName(_ value: Value) -> String {
        switch value {
        case .null: "invalid"
        case .bool: "bool"
        case .int: "int"
        case .int64: "int64"
        case .float: "float64"
        case .string: "string"
        case .list: "slice"
        case .map: "map"
        case .object: "struct"
        }
    }

    /// sprig's `strval`: strings as they are, everything else as `%v` prints it.
    static func string(_ value: Value) -> String {
        if case let .string(s) = value { return s }
        return GoFormat.string(value)
    }

    /// sprig's `strslice`: a list's non-nil elements as strings; a lone value as a one-element list.
    static func strings(_ value: Value) -> [String] {
        switch value {
        case let .list(items): items.filter { !$0.isNull }.map(string)
        case .null: []
        default: [string(value)]
        }
    }

    /// `cast.ToInt64`: numbers truncate, strings parse with Go's base prefixes, anything
    /// unconvertible is 0.
    static func int64(_ value: Value) -> Int64 {
        switch value {
        case let .int(i): return Int64(i)
        case let .int64(i): return i
        case let .float(d): return d.isFinite && abs(d) < 9.2e18 ? Int64(d) : Int64.min
        case let .bool(b): return b ? 1 : 0
        case let .string(s): return parseInteger(trimmingZeroDecimal(s)).map(Int64.init) ?? 0
        default: return 0
        }
    }

    /// `cast.ToFloat64`: numbers as they are, strings parsed, anything else 0.
    static func float64(_ value: Value) -> Double {
        switch value {
        case let .int(i): Double(i)
        case let .int64(i): Double(i)
        case let .float(d): d
        case let .bool(b): b ? 1 : 0
        case let .string(s): parseFloat(s) ?? 0
        default: 0
        }
    }

    /// cast drops a trailing `.0…` before parsing an integer, so "3.0" is 3 but "3.7" fails.
    private static func trimmingZeroDecimal(_ s: String) -> String {
        guard let dot = s.firstIndex(of: "."), dot != s.startIndex else { return s }
        let fraction = s[s.index(after: dot)...]
        return fraction.allSatisfy { $0 == "0" } ? String(s[..<dot]) : s
    }

    /// `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b`/leading-zero octal,
    /// underscores only between digits of a prefixed number.
    static func parseInteger(_ s: String) -> Int? {
        var text = Substring(s)
        var negative = false
        if let sign = text.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            text = text.dropFirst()
        }
        var radix = 10
        let lower = text.lowercased()
        if lower.hasPrefix("0x") { radix = 16; text = text.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; text = text.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; text = text.dropFirst(2) }
        else if text.count > 1, text.first == "0" { radix = 8; text = text.dropFirst() }
        text = Substring(text.replacing("_", with: ""))
        guard !text.isEmpty, let magnitude = UInt64(text, radix: radix) else { return nil }
        if negative {
            return magnitude <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
    }

    /// `strconv.ParseFloat(s, 64)` for decimal, exponent, `Inf` and `NaN` spellings.
    static func parseFloat(_ s: String) -> Double? {
        let text = s.replacing("_", with: "")
        switch text.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard !text.isEmpty, text.allSatisfy({ "0123456789+-.eExXpPabcdefABCDEF".contains($0) }) else { return nil }
        return Double(text)
    }

    /// Go's emptiness for `default`, `empty`, `coalesce`, `compact`, `all`, `any` and `ternary`:
    /// nil, false, 0, "" and empty collections.
    static func isEmpty(_ value: Value) -> Bool {
        switch value {
        case .null: true
        case let .bool(b): !b
        case let .int(i): i == 0
        case let .int64(i): i == 0
        case let .float(d): d == 0
        case let .string(s): s.isEmpty
        case let .list(l): l.isEmpty
        case let .map(m): m.isEmpty
        case .object: false
        }
    }

    /// `reflect.DeepEqual`: `Value`'s equality (an `int` is not an `int64`), except that host
    /// objects of one type are equal when they hold the same value, as Go's structs are.
    static func deepEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            x.typeName == y.typeName && deepEqual(x.representation, y.representation)
        case let (.list(x), .list(y)):
            x.count == y.count && zip(x, y).allSatisfy { deepEqual($0, $1) }
        case let (.map(x), .map(y)):
            x.count == y.count && x.allSatisfy { key, value in y[key].map { deepEqual(value, $0) } ?? false }
        default:
            a == b
        }
    }

    /// The type name Go's template executor reports when an argument has the wrong type:
    /// a missing value is seen as an empty interface.
    static func argumentTypeName(_ value: Value) -> String {
        value.isNull ? "interface {}" : GoFormat.typeName(value)
    }

    /// Go's runtime message for an out-of-range slice expression `s[start:end]` on a
    /// sequence of `length` elements.
    static func sliceBoundsError(start: Int?, end: Int?, length: Int) -> FunctionError {
        if let end, start == nil || end > length {
            return FunctionError("runtime error: slice bounds out of range [:\(end)] with length \(length)")
        }
        return FunctionError("runtime error: slice bounds out of range [\(start ?? 0):\(end ?? length)]")
    }

    static let nilDereference = FunctionError("runtime error: invalid memory address or nil pointer dereference")
}

/// Typed access to a function's arguments, failing as Go's executor does when a template
/// passes a value of the wrong type to a typed parameter.
extension [Value] {
    func string(_ index: Int) throws -> String {
        guard case let .string(s) = self[index] else { throw wrongType(index, expected: "string") }
        return s
    }

    /// An `int` parameter: an `int64` (sprig's arithmetic, `--set`) is refused, as Go refuses it.
    func int(_ index: Int) throws -> Int {
        guard case let .int(i) = self[index] else { throw wrongType(index, expected: "int") }
        return i
    }

    /// A `map[string]interface{}` parameter; nil is a nil map, as Go passes it.
    func map(_ index: Int) throws -> Value.Map? {
        switch self[index] {
        case let .map(m): return m
        case .null: return nil
        default:
            throw FunctionError("can't handle \(Go.quoted(self[index])) for arg of type map[string]interface {}")
        }
    }

    func wrongType(_ index: Int, expected: String) -> FunctionError {
        FunctionError("wrong type for value; expected \(expected); got \(Go.argumentTypeName(self[index]))")
    }
}

extension Go {
    /// How Go's executor shows an argument in a "can't handle" message: `%#v`-like for strings.
    static func quoted(_ value: Value) -> String {
        if case let .string(s) = value { return "\"\(s)\"" }
        return GoFormat.string(value)
    }
}
