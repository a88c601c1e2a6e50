/// How `JSON.string` lays out and escapes its output.
public enum JSONStyle: Sendable {
    /// No whitespace, keys in insertion order: request bodies and stored objects.
    case compact
    /// Two-space indentation, `"key": value`, keys in insertion order: for people.
    case pretty
    /// Byte-identical to Go's `encoding/json.Marshal` (Helm's `toJson`): no whitespace, keys
    /// sorted by their bytes, and `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` etc.
    case go
}

/// Writes `Value`s as JSON into a byte buffer. Numbers are printed as Go prints them
/// (integers as integers; floats with `GoFloat.json`, so `1e+21` and `1e-7`); NaN and
/// infinities, which JSON cannot hold, are written as `null`.
struct JSONWriter {
    private let style: JSONStyle
    private var output: [UInt8] = []

    static func string(_ value: Value, style: JSONStyle) -> String {
        var writer = JSONWriter(style: style)
        writer.output.reserveCapacity(128)
        writer.write(value, indent: 0)
        return String(decoding: writer.output, as: UTF8.self)
    }

    private init(style: JSONStyle) {
        self.style = style
    }

    private mutating func write(_ value: Value, indent: Int) {
        switch value {
        case .null: append("null")
        case let .bool(flag): append(flag ? "true" : "false")
        case let .int(integer): append(String(integer))
        case let .int64(integer): append(String(integer))
        case let .float(number):
            if number.isFinite { GoFloat.appendJSON(number, to: &output) } else { append("null") }
        case let .string(text): writeString(text)
        case let .list(items): writeList(items, indent: indent)
        case let .map(map): writeMap(map, indent: indent)
        case let .object(object): write(object.representation, indent: indent)
        }
    }

    private mutating func writeList(_ items: [Value], indent: Int) {
        output.append(UInt8(ascii: "["))
        guard !items.isEmpty else {
            output.append(UInt8(ascii: "]"))
            return
        }
        for (position, item) in items.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            newline(indent: indent + 1)
            write(item, indent: indent + 1)
        }
        newline(indent: indent)
        output.append(UInt8(ascii: "]"))
    }

    private mutating func writeMap(_ map: Value.Map, indent: Int) {
        output.append(UInt8(ascii: "{"))
        guard !map.isEmpty else {
            output.append(UInt8(ascii: "}"))
            return
        }
        var first = true
        func entry(_ key: String, _ value: Value) {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            newline(indent: indent + 1)
            writeString(key)
            output.append(UInt8(ascii: ":"))
            if style == .pretty { output.append(UInt8(ascii: " ")) }
            write(value, indent: indent + 1)
        }
        if style == .go {
            // Go sorts map keys as strings, which compares their UTF-8 bytes.
            for key in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                if let value = map[key] { entry(key, value) }
            }
        } else {
            for (key, value) in map { entry(key, value) }
        }
        newline(indent: indent)
        output.append(UInt8(ascii: "}"))
    }

    private mutating func newline(indent: Int) {
        guard style == .pretty else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A quoted string: `"` and `\` escaped, control characters as `\n`, `\r`, `\t`, `\b`,
    /// `\f` or `\u00XX`; in the `.go` style also Go's HTML-safe escapes.
    private mutating func writeString(_ text: String) {
        output.append(UInt8(ascii: "\""))
        let escapeHTML = style == .go
        let utf8 = text.utf8
        var runStart = utf8.startIndex
        var position = utf8.startIndex
        while position != utf8.endIndex {
            let byte = utf8[position]
            var replacement: [UInt8]?
            var length = 1
            switch byte {
            case UInt8(ascii: "\""): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: replacement = [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: replacement = [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: replacement = [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: replacement = [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: replacement = [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20: replacement = Self.unicodeEscape(UInt32(byte))
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                if escapeHTML { replacement = Self.unicodeEscape(UInt32(byte)) }
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8/A9) break JavaScript string literals.
                let second = utf8.index(after: position)
                if escapeHTML, second != utf8.endIndex, utf8[second] == 0x80 {
                    let third = utf8.index(after: second)
                    if third != utf8.endIndex, utf8[third] == 0xA8 || utf8[third] == 0xA9 {
                        replacement = Self.unicodeEscape(utf8[third] == 0xA8 ? 0x2028 : 0x2029)
                        length = 3
                    }
                }
            default: break
            }
            if let replacement {
                output.append(contentsOf: utf8[runStart..<position])
                output.append(contentsOf: replacement)
                position = utf8.index(position, offsetBy: length)
                runStart = position
            } else {
                position = utf8.index(after: position)
            }
        }
        output.append(contentsOf: utf8[runStart..<position])
        output.append(UInt8(ascii: "\""))
    }

    private static func unicodeEscape(_ scalar: UInt32) -> [UInt8] {
        [UInt8(ascii: "\\"), UInt8(ascii: "u"),
         hexDigits[Int(scalar >> 12 & 0xF)], hexDigits[Int(scalar >> 8 & 0xF)],
         hexDigits[Int(scalar >> 4 & 0xF)], hexDigits[Int(scalar & 0xF)]]
    }
}
