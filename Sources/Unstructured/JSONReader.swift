/// A JSON text that could not be read: where (byte offset, 1-based line and column) and what
/// was wrong, in `encoding/json`'s words ("invalid character 'x' looking for beginning of value").
public struct JSONError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file name or other label the text came from.
    public let source: String
    /// 0-based byte offset of the problem.
    public let offset: Int
    /// 1-based line of the problem.
    public let line: Int
    /// 1-based column (in bytes) of the problem.
    public let column: Int
    /// What was wrong, without position.
    public let message: String

    public init(source: String, offset: Int, line: Int, column: Int, message: String) {
        self.source = source
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(source):\(line):\(column): \(message)" }
}

/// RFC 8259 JSON over UTF-8 bytes, read the way `encoding/json` reads into `interface{}`
/// except that integers stay integers:
/// - a number without fraction or exponent is `.int`, or `.float` when beyond 64 bits;
///   any other number is `.float`;
/// - object keys keep document order; a repeated key keeps its last value;
/// - invalid UTF-8 and lone surrogate escapes become U+FFFD;
/// - anything after the value other than whitespace is an error, and so is nesting deeper
///   than `maxNesting`.
struct JSONReader: ~Copyable {
    /// Deepest nesting of arrays and objects accepted, so hostile input cannot exhaust the stack.
    static let maxNesting = 1000

    private let bytes: UnsafeBufferPointer<UInt8>
    private let source: String
    private var index = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, source: String) {
        self.bytes = bytes
        self.source = source
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>, source: String) throws(JSONError) -> Value {
        var reader = JSONReader(bytes: bytes, source: source)
        reader.skipWhitespace()
        let value = try reader.value()
        reader.skipWhitespace()
        if reader.index < bytes.count {
            throw reader.error("invalid character \(reader.quotedCurrent) after top-level value")
        }
        return value
    }

    // MARK: - Values

    private mutating func value() throws(JSONError) -> Value {
        guard index < bytes.count else { throw error("unexpected end of JSON input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("invalid character \(quotedCurrent) looking for beginning of value")
        }
    }

    private mutating func object() throws(JSONError) -> Value {
        try enter()
        defer { depth -= 1 }
        index += 1
        var map: Value.Map = [:]
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .map(map)
        }
        while true {
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw error("invalid character \(quotedCurrent) looking for beginning of object key string")
            }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            guard bytes[index] == UInt8(ascii: ":") else {
                throw error("invalid character \(quotedCurrent) after object key")
            }
            index += 1
            skipWhitespace()
            map[key] = try value()
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return .map(map)
            default:
                throw error("invalid character \(quotedCurrent) after object key:value pair")
            }
        }
    }

    private mutating func array() throws(JSONError) -> Value {
        try enter()
        defer { depth -= 1 }
        index += 1
        var items: [Value] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .list(items)
        }
        while true {
            items.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return .list(items)
            default:
                throw error("invalid character \(quotedCurrent) after array element")
            }
        }
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        if depth > Self.maxNesting { throw error("exceeded max depth of \(Self.maxNesting)") }
    }

    private mutating func literal(_ word: String) throws(JSONError) {
        for byte in word.utf8 {
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            guard bytes[index] == byte else {
                throw error("invalid character \(quotedCurrent) in literal \(word) (expecting '\(Character(Unicode.Scalar(byte)))')")
            }
            index += 1
        }
    }

    // MARK: - Numbers

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`
    private mutating func number() throws(JSONError) -> Value {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw error("unexpected end of JSON input") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        } else {
            throw error("invalid character \(quotedCurrent) in numeric literal")
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try digits()
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            isInteger = false
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            try digits()
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if isInteger, let integer = Self.integer(text) { return .int(integer) }
        // The syntax was checked above, so Double's parser accepts it; overflow gives ±inf,
        // which Go reports as out of range.
        guard let number = Double(String(decoding: text, as: UTF8.self)), number.isFinite else {
            index = start
            throw error("number \(String(decoding: text, as: UTF8.self)) is out of range")
        }
        return .float(number)
    }

    private mutating func digits() throws(JSONError) {
        guard index < bytes.count else { throw error("unexpected end of JSON input") }
        guard isDigit(bytes[index]) else { throw error("invalid character \(quotedCurrent) in numeric literal") }
        while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }

    /// The integer `text` denotes, or nil when it does not fit in `Int`.
    private static func integer(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        var negative = false
        var position = 0
        if text[0] == UInt8(ascii: "-") {
            negative = true
            position = 1
        }
        var magnitude: UInt64 = 0
        while position < text.count {
            let (scaled, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = scaled.addingReportingOverflow(UInt64(text[position] - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            magnitude = sum
            position += 1
        }
        if negative {
            if magnitude == UInt64(Int.max) + 1 { return Int.min }
            return magnitude <= UInt64(Int.max) ? -Int(magnitude) : nil
        }
        return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: - Strings

    /// The string starting at the current `"`; ends past the closing quote.
    private mutating func string() throws(JSONError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("invalid character \(quotedCurrent) in string literal") }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &decoded)
            case 0..<0x20:
                throw error("invalid character \(quotedCurrent) in string literal")
            default:
                decoded.append(byte)
                index += 1
            }
        }
        throw error("unexpected end of JSON input")
    }

    private mutating func escape(into decoded: inout [UInt8]) throws(JSONError) {
        index += 1
        guard index < bytes.count else { throw error("unexpected end of JSON input") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate needs a low one right after it; otherwise it is U+FFFD.
                let save = index
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = save
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00..<0xE000).contains(scalar) {
                scalar = 0xFFFD
            }
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            decoded.append(contentsOf: String(character).utf8)
        default:
            index -= 1
            throw error("invalid character \(quotedCurrent) in string escape code")
        }
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw error("unexpected end of JSON input") }
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid character \(quotedCurrent) in \\u hexadecimal character escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    // MARK: - Whitespace and errors

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// The byte at the current position quoted as Go quotes it in errors (`'x'`, `'\n'`).
    private var quotedCurrent: String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "'"): return "'\\''"
        case UInt8(ascii: "\""): return "'\"'"
        case 0x0A: return "'\\n'"
        case 0x0D: return "'\\r'"
        case 0x09: return "'\\t'"
        case 0x20..<0x7F: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            let hex = String(byte, radix: 16, uppercase: false)
            return "'\\x\(hex.count == 1 ? "0" + hex : hex)'"
        }
    }

    private func error(_ message: String) -> JSONError {
        let offset = min(index, bytes.count)
        var line = 1
        var lineStart = 0
        for position in 0..<offset where bytes[position] == UInt8(ascii: "\n") {
            line += 1
            lineStart = position + 1
        }
        return JSONError(source: source, offset: offset, line: line, column: offset - lineStart + 1, message: message)
    }
}
