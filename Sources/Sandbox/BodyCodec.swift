import Unstructured

/// Reads and writes request and response bodies. Every body the Sandbox touches goes through
/// these two calls, so the codec behind them can change without touching the API logic.
///
/// The project's `JSON` codec lives in `Unstructured`; until it is available this file carries a
/// small RFC 8259 reader and a compact writer that keeps insertion order.
enum BodyCodec {
    struct DecodeError: Error, CustomStringConvertible {
        let offset: Int
        let message: String
        var description: String { message }
    }

    static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Value {
        var reader = JSONReader(bytes: bytes)
        reader.skipSpace()
        let value = try reader.readValue()
        reader.skipSpace()
        guard reader.atEnd else {
            throw DecodeError(offset: reader.index, message: "invalid character '\(reader.currentCharacter)' after top-level value")
        }
        return value
    }

    static func encode(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    static func encodeString(_ value: Value) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    private static func write(_ value: Value, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case let .bool(b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case let .int(i): out.append(contentsOf: Array(String(i).utf8))
        case let .float(d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
                out.append(contentsOf: Array(String(Int(d)).utf8))
            } else if d.isFinite {
                out.append(contentsOf: Array(String(d).utf8))
            } else {
                out.append(contentsOf: Array("null".utf8))
            }
        case let .string(s): writeString(s, into: &out)
        case let .list(items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .map(map):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, item) in map {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let .object(host): write(host.representation, into: &out)
        }
    }

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A recursive-descent JSON reader with Go-like error messages (kubectl users see them in Status bodies).
private struct JSONReader {
    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }
    var currentCharacter: Character { atEnd ? " " : Character(Unicode.Scalar(bytes[index])) }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    func fail(_ message: String) -> BodyCodec.DecodeError { BodyCodec.DecodeError(offset: index, message: message) }
    func unexpected(_ looking: String) -> BodyCodec.DecodeError {
        atEnd ? fail("unexpected end of JSON input") : fail("invalid character '\(currentCharacter)' \(looking)")
    }

    mutating func readValue() throws(BodyCodec.DecodeError) -> Value {
        guard !atEnd else { throw fail("unexpected end of JSON input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw unexpected("looking for beginning of value")
        }
    }

    mutating func readLiteral(_ word: String) throws(BodyCodec.DecodeError) {
        for expected in word.utf8 {
            guard !atEnd else { throw fail("unexpected end of JSON input") }
            guard bytes[index] == expected else { throw unexpected("in literal \(word) (expecting '\(Character(Unicode.Scalar(expected)))')") }
            index += 1
        }
    }

    mutating func readObject() throws(BodyCodec.DecodeError) -> Value {
        depth += 1
        guard depth < 10_000 else { throw fail("exceeded max depth") }
        index += 1
        var map = Value.Map()
        skipSpace()
        if !atEnd, bytes[index] == UInt8(ascii: "}") { index += 1; depth -= 1; return .map(map) }
        while true {
            skipSpace()
            guard !atEnd, bytes[index] == UInt8(ascii: "\"") else { throw unexpected("looking for beginning of object key string") }
            let key = try readString()
            skipSpace()
            guard !atEnd, bytes[index] == UInt8(ascii: ":") else { throw unexpected("after object key") }
            index += 1
            skipSpace()
            map[key] = try readValue()
            skipSpace()
            guard !atEnd else { throw fail("unexpected end of JSON input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; break }
            throw unexpected("after object key:value pair")
        }
        depth -= 1
        return .map(map)
    }

    mutating func readArray() throws(BodyCodec.DecodeError) -> Value {
        depth += 1
        guard depth < 10_000 else { throw fail("exceeded max depth") }
        index += 1
        var items: [Value] = []
        skipSpace()
        if !atEnd, bytes[index] == UInt8(ascii: "]") { index += 1; depth -= 1; return .list(items) }
        while true {
            skipSpace()
            items.append(try readValue())
            skipSpace()
            guard !atEnd else { throw fail("unexpected end of JSON input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; break }
            throw unexpected("after array element")
        }
        depth -= 1
        return .list(items)
    }

    mutating func readHex4() throws(BodyCodec.DecodeError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard !atEnd else { throw fail("unexpected end of JSON input") }
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw unexpected("in \\u hexadecimal character escape")
            }
            code = code * 16 + digit
            index += 1
        }
        return code
    }

    mutating func readString() throws(BodyCodec.DecodeError) -> String {
        index += 1
        var buffer: [UInt8] = []
        while true {
            guard !atEnd else { throw fail("unexpected end of JSON input") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard !atEnd else { throw fail("unexpected end of JSON input") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = try readHex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try readHex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    index -= 1
                    throw unexpected("in string escape code")
                }
            case 0..<0x20:
                index -= 1
                throw fail("invalid character in string literal")
            default:
                buffer.append(byte)
            }
        }
    }

    mutating func readNumber() throws(BodyCodec.DecodeError) -> Value {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        guard !atEnd, isDigit(bytes[index]) else { throw unexpected("in numeric literal") }
        while !atEnd, isDigit(bytes[index]) { index += 1 }
        if !atEnd, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard !atEnd, isDigit(bytes[index]) else { throw unexpected("after decimal point in numeric literal") }
            while !atEnd, isDigit(bytes[index]) { index += 1 }
        }
        if !atEnd, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if !atEnd, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard !atEnd, isDigit(bytes[index]) else { throw unexpected("in exponent of numeric literal") }
            while !atEnd, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let int = Int(text) { return .int(int) }
        return .float(Double(text) ?? 0)
    }
}
