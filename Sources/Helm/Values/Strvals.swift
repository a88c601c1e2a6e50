import Unstructured

/// Helm's `--set` syntax (package `strvals`): comma-separated `path=value` pairs merged
/// into a values map.
///
///     name=value,topname.subname=value        name: value
///                                              topname:
///                                                subname: value
///     list={a,b},servers[0].port=80           list: [a, b]
///                                              servers: [{port: 80}]
///
/// A backslash makes the next character literal (`a\.b=1` sets the key `a.b`). Values
/// are typed as Helm types them: `true`/`false` (any case), `null`, integers (as
/// 64-bit integers; a leading zero keeps `010` a string), everything else a string.
/// Indexes are capped at `maxIndex` and nesting at `maxNesting`, against hostile input.
public struct Strvals {
    /// How a value's text becomes a value.
    public enum Typing: Sendable {
        /// `--set`: booleans, null and integers are recognised.
        case inferred
        /// `--set-string`: always a string.
        case string
        /// `--set-json`: each value is a JSON document.
        case json
        /// `--set-file`: each value names a file whose contents become the string value.
        case file(@Sendable (String) throws -> String)
    }

    public static let maxIndex = 65536
    public static let maxNesting = 30

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private let typing: Typing

    private init(_ text: String, typing: Typing) {
        scalars = Array(text.unicodeScalars)
        self.typing = typing
    }

    /// Parses `text` and merges what it sets into `values`.
    public static func parse(_ text: String, typing: Typing = .inferred, into values: inout Value.Map) throws(StrvalsError) {
        var parser = Strvals(text, typing: typing)
        while !parser.atEnd {
            try parser.key(&values, nesting: 0)
        }
    }

    public static func parse(_ text: String, typing: Typing = .inferred) throws(StrvalsError) -> Value.Map {
        var values = Value.Map()
        try parse(text, typing: typing, into: &values)
        return values
    }

    private var atEnd: Bool { position >= scalars.count }

    private func error(_ message: String) -> StrvalsError {
        StrvalsError(text: String(String.UnicodeScalarView(scalars)), position: position, message: message)
    }

    /// Reads up to one of `stops` (consumed and returned), resolving `\` escapes; `nil`
    /// stop means the text ended.
    private mutating func read(until stops: Set<Unicode.Scalar>) -> (text: String, stop: Unicode.Scalar?) {
        var result = String.UnicodeScalarView()
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            if stops.contains(scalar) { return (String(result), scalar) }
            if scalar == "\\" {
                guard position < scalars.count else { return (String(result), nil) }
                result.append(scalars[position])
                position += 1
                continue
            }
            result.append(scalar)
        }
        return (String(result), nil)
    }

    private mutating func key(_ data: inout Value.Map, nesting: Int) throws(StrvalsError) {
        let start = position
        let (name, stop) = read(until: ["=", "[", ",", "."])
        switch stop {
        case nil:
            if name.isEmpty { return }
            position = start
            throw error("key \"\(name)\" has no value")
        case "["?:
            let index = try listIndex()
            var list: [Value] = []
            if let existing = data[name] {
                guard let existingList = existing.listValue else {
                    throw error("key \"\(name)\" is a \(existing.kindName), not a list")
                }
                list = existingList
            }
            try listItem(&list, index: index, nesting: nesting)
            set(&data, name, .list(list))
        case "="?:
            set(&data, name, try value())
        case ","?:
            set(&data, name, "")
            throw error("key \"\(name)\" has no value (cannot end with ,)")
        default:  // "."
            guard nesting + 1 <= Self.maxNesting else {
                throw error("value name nested level is greater than maximum supported nested level of \(Self.maxNesting)")
            }
            var inner = Value.Map()
            if let existing = data[name] {
                guard let map = existing.mapValue else {
                    throw error("key \"\(name)\" is a \(existing.kindName), not a map")
                }
                inner = map
            }
            try key(&inner, nesting: nesting + 1)
            if inner.isEmpty { throw error("key map \"\(name)\" has no value") }
            set(&data, name, .map(inner))
        }
    }

    private func set(_ data: inout Value.Map, _ key: String, _ value: Value) {
        if !key.isEmpty { data[key] = value }
    }

    private mutating func listIndex() throws(StrvalsError) -> Int {
        let (text, stop) = read(until: ["]"])
        guard stop != nil else { throw error("error parsing index: missing ']'") }
        guard let index = Int(text) else { throw error("error parsing index: \"\(text)\" is not an integer") }
        guard index >= 0 else { throw error("negative \(index) index not allowed") }
        guard index <= Self.maxIndex else {
            throw error("index of \(index) is greater than maximum supported index of \(Self.maxIndex)")
        }
        return index
    }

    private mutating func listItem(_ list: inout [Value], index: Int, nesting: Int) throws(StrvalsError) {
        let (rest, stop) = read(until: ["[", ".", "="])
        if !rest.isEmpty { throw error("unexpected data at end of array index: \"\(rest)\"") }
        switch stop {
        case nil:
            throw error("missing value after array index \(index)")
        case "="?:
            setIndex(&list, index, try value())
        case "["?:
            let next = try listIndex()
            var inner = index < list.count ? (list[index].listValue ?? []) : []
            try listItem(&inner, index: next, nesting: nesting)
            setIndex(&list, index, .list(inner))
        default:  // "."
            var inner = index < list.count ? (list[index].mapValue ?? Value.Map()) : Value.Map()
            try key(&inner, nesting: nesting)
            setIndex(&list, index, .map(inner))
        }
    }

    private func setIndex(_ list: inout [Value], _ index: Int, _ value: Value) {
        if list.count <= index { list.append(contentsOf: repeatElement(.null, count: index + 1 - list.count)) }
        list[index] = value
    }

    /// The value after `=`, up to the next unescaped comma (or the end of a `{...}` list
    /// or JSON document).
    private mutating func value() throws(StrvalsError) -> Value {
        if case .json = typing { return try jsonValue() }
        if position < scalars.count, scalars[position] == "{" {
            position += 1
            return .list(try listValue())
        }
        let (text, _) = read(until: [","])
        return try typed(text)
    }

    private mutating func listValue() throws(StrvalsError) -> [Value] {
        var items: [Value] = []
        while true {
            let (text, stop) = read(until: [",", "}"])
            switch stop {
            case nil: throw error("list must terminate with '}'")
            case "}"?:
                if position < scalars.count, scalars[position] == "," { position += 1 }
                items.append(try typed(text))
                return items
            default:
                items.append(try typed(text))
            }
        }
    }

    private func typed(_ text: String) throws(StrvalsError) -> Value {
        switch typing {
        case .string, .json: return .string(text)
        case let .file(read):
            do { return .string(try read(text)) } catch { throw self.error("cannot read \"\(text)\": \(error)") }
        case .inferred:
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            case "null": return .null
            case "0": return .int64(0)
            default:
                // Helm parses with strconv.ParseInt, so --set numbers are Go int64s.
                if let first = text.first, first != "0", let integer = Int64(text) { return .int64(integer) }
                return .string(text)
            }
        }
    }

    /// One JSON document, then optional blanks and a comma. Helm decodes JSON into Go's
    /// `interface{}`, where every number is a float64.
    private mutating func jsonValue() throws(StrvalsError) -> Value {
        skipBlanks()
        if atEnd { return .null }
        if scalars[position] == "," { position += 1; return .null }
        let start = position
        guard let end = JSONExtent.end(of: scalars, from: start) else {
            throw error("invalid JSON value")
        }
        let text = String(String.UnicodeScalarView(scalars[start..<end]))
        let parsed: Value
        do { parsed = try JSON.parse(text, source: "--set-json") } catch {
            position = start
            throw self.error("invalid JSON value: \(error.message)")
        }
        position = end
        skipBlanks()
        if !atEnd {
            guard scalars[position] == "," else { throw error("unexpected data after JSON value") }
            position += 1
        }
        return parsed.withFloatNumbers
    }

    private mutating func skipBlanks() {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    }
}

/// Finds where the JSON document starting at an offset ends, so that the text after it
/// can be read as more `key=value` pairs.
enum JSONExtent {
    static func end(of scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start
        var depth = 0
        var inString = false
        while index < scalars.count {
            let scalar = scalars[index]
            if inString {
                if scalar == "\\" { index += 1 } else if scalar == "\"" {
                    inString = false
                    if depth == 0 { return index + 1 }
                }
            } else {
                switch scalar {
                case "\"": inString = true
                case "{", "[": depth += 1
                case "}", "]":
                    depth -= 1
                    if depth == 0 { return index + 1 }
                    if depth < 0 { return nil }
                case ",", " ", "\t", "\n", "\r":
                    if depth == 0 { return index == start ? nil : index }
                default: break
                }
            }
            index += 1
        }
        return inString || depth != 0 ? nil : index
    }
}

extension Value {
    /// The value as Go's `encoding/json` and sigs.k8s.io/yaml give it to Helm: every
    /// number a float.
    var withFloatNumbers: Value {
        switch self {
        case .int, .int64: .float(numberValue ?? 0)
        case let .list(l): .list(l.map(\.withFloatNumbers))
        case let .map(m): .map(m.mapValues(\.withFloatNumbers))
        default: self
        }
    }
}

/// A `--set` string Helm would refuse, with the position where reading stopped.
public struct StrvalsError: Error, Sendable, CustomStringConvertible {
    public let text: String
    /// Zero-based offset, in Unicode scalars, into `text`.
    public let position: Int
    public let message: String

    public var description: String { "\(message) (at character \(position + 1) of \"\(text)\")" }
}
