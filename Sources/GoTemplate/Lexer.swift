/// The kinds of token the lexer emits.
enum ItemKind: Equatable, Sendable {
    case error  // the value is the message
    case eof
    case text  // plain text outside actions, already trimmed
    case leftDelim, rightDelim
    case leftParen, rightParen
    case space  // run of spaces inside an action; separates arguments
    case pipe  // |
    case declare  // :=
    case assign  // =
    case char  // a printable ASCII character not otherwise classified, such as ','
    case bool, number, charConstant, string, rawString
    case identifier  // a function name
    case field  // .name
    case variable  // $ or $name
    case dot  // the cursor, a lone '.'
    case keyword(Keyword)
}

enum Keyword: String, Sendable {
    case block, `break`, `continue`, define, `else`, end, `if`, `nil`, range, template, with
}

/// A token with its place in the input: `start..<end` are byte offsets, `line` is 1-based.
struct Item: Sendable {
    let kind: ItemKind
    let start: Int
    let end: Int
    let line: Int
    /// Only for `.error` items: the message.
    var message: String = ""
}

/// Splits template text into items. Whitespace trimming around `{{-` and `-}}` happens
/// entirely here, so the parser never sees trimmed text; comments are dropped here too.
///
/// Unlike Go's goroutine lexer this one runs to completion and ends the item list with
/// `.eof` or a single `.error`; the parser meets the error item exactly where Go's would.
struct Lexer {
    private let input: [UInt8]
    private var items: [Item] = []
    private var position = 0
    private var start = 0
    private var line = 1
    private var startLine = 1
    private var parenDepth = 0

    private static let leftDelim: [UInt8] = Array("{{".utf8)
    private static let rightDelim: [UInt8] = Array("}}".utf8)

    init(_ input: [UInt8]) {
        self.input = input
    }

    static func items(of input: [UInt8]) -> [Item] {
        var lexer = Lexer(input)
        lexer.run()
        return lexer.items
    }

    // MARK: - Primitives

    private func byte(at index: Int) -> UInt8? { index < input.count ? input[index] : nil }

    private func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= input.count else { return false }
        for k in 0..<prefix.count where input[index + k] != prefix[k] { return false }
        return true
    }

    private mutating func advance(_ count: Int = 1) {
        for k in position..<min(position + count, input.count) where input[k] == 0x0A { line += 1 }
        position = min(position + count, input.count)
    }

    private mutating func emit(_ kind: ItemKind) {
        items.append(Item(kind: kind, start: start, end: position, line: startLine))
        ignore()
    }

    private mutating func ignore() {
        start = position
        startLine = line
    }

    private mutating func fail(_ message: String) {
        items.append(Item(kind: .error, start: start, end: position, line: startLine, message: message))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// Letters, digits, `_`, and any non-ASCII byte (Go accepts Unicode letters and digits;
    /// the parser only ever sees identifiers the lexer carved out).
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x5F || byte >= 0x80
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    // MARK: - States

    private mutating func run() {
        while true {
            guard lexText() else { return }
            guard lexAction() else { return }
        }
    }

    /// Text up to the next `{{`; returns false at the end of input.
    private mutating func lexText() -> Bool {
        var next = position
        while next < input.count && !hasPrefix(Self.leftDelim, at: next) { next += 1 }
        if next >= input.count {
            position = input.count
            advanceLineCount(from: start)
            if position > start { emit(.text) }
            items.append(Item(kind: .eof, start: position, end: position, line: line))
            return false
        }
        let trimmed = hasLeftTrimMarker(at: next)
        var textEnd = next
        if trimmed {
            while textEnd > start && Self.isSpace(input[textEnd - 1]) { textEnd -= 1 }
        }
        position = textEnd
        advanceLineCount(from: start)
        if position > start { emit(.text) }
        // Skip the trimmed whitespace.
        advance(next - position)
        ignore()
        return true
    }

    private mutating func advanceLineCount(from origin: Int) {
        for k in origin..<position where input[k] == 0x0A { line += 1 }
    }

    private func hasLeftTrimMarker(at delim: Int) -> Bool {
        let marker = delim + Self.leftDelim.count
        guard byte(at: marker) == UInt8(ascii: "-"), let after = byte(at: marker + 1) else { return false }
        return Self.isSpace(after)
    }

    /// Is there ` -}}` (a space, then the trim marker) at `index`?
    private func hasRightTrimMarker(at index: Int) -> Bool {
        guard let first = byte(at: index), Self.isSpace(first) else { return false }
        return byte(at: index + 1) == UInt8(ascii: "-") && hasPrefix(Self.rightDelim, at: index + 2)
    }

    /// Emits the left delimiter (and swallows a comment) then lexes the inside of the action.
    private mutating func lexAction() -> Bool {
        let trimLeft = hasLeftTrimMarker(at: position)
        advance(Self.leftDelim.count)
        if trimLeft { advance(2) }
        // A comment must follow the delimiter directly (after the trim marker).
        if hasPrefix(Array("/*".utf8), at: position) {
            return lexComment()
        }
        let delimStart = start
        start = delimStart
        items.append(Item(kind: .leftDelim, start: delimStart, end: position, line: startLine))
        ignore()
        parenDepth = 0
        return lexInsideAction()
    }

    private mutating func lexComment() -> Bool {
        let commentStart = position
        var close = commentStart + 2
        while close < input.count && !hasPrefix(Array("*/".utf8), at: close) { close += 1 }
        guard close < input.count else {
            fail("unclosed comment")
            return false
        }
        advance(close + 2 - position)
        var trimRight = false
        if hasRightTrimMarker(at: position) {
            trimRight = true
            advance(1 + 1)
        }
        guard hasPrefix(Self.rightDelim, at: position) else {
            fail("comment ends before closing delimiter")
            return false
        }
        advance(Self.rightDelim.count)
        if trimRight { skipLeadingSpace() }
        ignore()
        return true
    }

    private mutating func skipLeadingSpace() {
        var end = position
        while end < input.count && Self.isSpace(input[end]) { end += 1 }
        advance(end - position)
    }

    /// Everything between the delimiters.
    private mutating func lexInsideAction() -> Bool {
        while true {
            // Right delimiter, with or without a trim marker.
            if hasRightTrimMarker(at: position) || hasPrefix(Self.rightDelim, at: position) {
                let trimRight = hasRightTrimMarker(at: position)
                if trimRight {
                    // The space before the marker is not part of the delimiter.
                    advance(1)
                    ignore()
                    advance(1)
                }
                guard parenDepth == 0 else {
                    fail("unclosed left paren")
                    return false
                }
                advance(Self.rightDelim.count)
                emit(.rightDelim)
                if trimRight {
                    skipLeadingSpace()
                    ignore()
                }
                return true
            }
            guard let c = byte(at: position) else {
                fail("unclosed action")
                return false
            }
            switch c {
            case _ where Self.isSpace(c):
                var end = position
                while end < input.count && Self.isSpace(input[end]) && !hasRightTrimMarker(at: end) {
                    end += 1
                }
                advance(end - position)
                emit(.space)
            case UInt8(ascii: "="):
                advance()
                emit(.assign)
            case UInt8(ascii: ":"):
                advance()
                guard byte(at: position) == UInt8(ascii: "=") else {
                    fail("expected :=")
                    return false
                }
                advance()
                emit(.declare)
            case UInt8(ascii: "|"):
                advance()
                emit(.pipe)
            case UInt8(ascii: "\""):
                guard lexQuote() else { return false }
            case UInt8(ascii: "`"):
                guard lexRawQuote() else { return false }
            case UInt8(ascii: "$"):
                advance()
                guard lexFieldOrVariable(.variable) else { return false }
            case UInt8(ascii: "'"):
                guard lexChar() else { return false }
            case UInt8(ascii: "."):
                if let next = byte(at: position + 1), Self.isDigit(next) {
                    guard lexNumber() else { return false }
                } else {
                    advance()
                    guard lexFieldOrVariable(.field) else { return false }
                }
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard lexNumber() else { return false }
            case UInt8(ascii: "("):
                advance()
                emit(.leftParen)
                parenDepth += 1
            case UInt8(ascii: ")"):
                advance()
                emit(.rightParen)
                parenDepth -= 1
                guard parenDepth >= 0 else {
                    fail("unexpected right paren \(GoQuote.unicodeDescription(0x29))")
                    return false
                }
            case _ where Self.isAlphanumeric(c):
                guard lexIdentifier() else { return false }
            case 0x21...0x7E:
                advance()
                emit(.char)
            default:
                let scalar = decodeScalar(at: position)
                advance(scalar.length)
                fail("unrecognized character in action: \(GoQuote.unicodeDescription(scalar.value))")
                return false
            }
        }
    }

    private func decodeScalar(at index: Int) -> (value: UInt32, length: Int) {
        var iterator = input[index...].makeIterator()
        var decoder = UTF8()
        if case let .scalarValue(scalar) = decoder.decode(&iterator) {
            return (scalar.value, String(scalar).utf8.count)
        }
        return (0xFFFD, 1)
    }

    /// Go's atTerminator: what may follow a word without a space.
    private func atTerminator() -> Bool {
        guard let c = byte(at: position) else { return true }
        if Self.isSpace(c) { return true }
        switch c {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: ")"),
            UInt8(ascii: "("):
            return true
        default:
            return hasPrefix(Self.rightDelim, at: position)
        }
    }

    private mutating func badCharacter() -> Bool {
        let scalar = decodeScalar(at: position)
        fail("bad character \(GoQuote.unicodeDescription(scalar.value))")
        return false
    }

    private mutating func lexIdentifier() -> Bool {
        while let c = byte(at: position), Self.isAlphanumeric(c) { advance() }
        guard atTerminator() else { return badCharacter() }
        let word = String(decoding: input[start..<position], as: UTF8.self)
        if let keyword = Keyword(rawValue: word) {
            emit(.keyword(keyword))
        } else if word == "true" || word == "false" {
            emit(.bool)
        } else {
            emit(.identifier)
        }
        return true
    }

    /// A field (`.name`) or variable (`$name`, or `$` alone); a lone `.` is dot.
    private mutating func lexFieldOrVariable(_ kind: ItemKind) -> Bool {
        if atTerminator() {
            emit(kind == .variable ? .variable : .dot)
            return true
        }
        while let c = byte(at: position), Self.isAlphanumeric(c) { advance() }
        guard atTerminator() else { return badCharacter() }
        emit(kind)
        return true
    }

    private mutating func lexChar() -> Bool {
        advance()
        while true {
            guard let c = byte(at: position), c != 0x0A else {
                fail("unterminated character constant")
                return false
            }
            advance()
            if c == UInt8(ascii: "\\") {
                if byte(at: position) != nil && byte(at: position) != 0x0A { advance() }
            } else if c == UInt8(ascii: "'") {
                break
            }
        }
        emit(.charConstant)
        return true
    }

    private mutating func lexQuote() -> Bool {
        advance()
        while true {
            guard let c = byte(at: position), c != 0x0A else {
                fail("unterminated quoted string")
                return false
            }
            advance()
            if c == UInt8(ascii: "\\") {
                if byte(at: position) != nil && byte(at: position) != 0x0A { advance() }
            } else if c == UInt8(ascii: "\"") {
                break
            }
        }
        emit(.string)
        return true
    }

    private mutating func lexRawQuote() -> Bool {
        advance()
        while true {
            guard let c = byte(at: position) else {
                fail("unterminated raw quoted string")
                return false
            }
            advance()
            if c == UInt8(ascii: "`") { break }
        }
        emit(.rawString)
        return true
    }

    /// A number in any of Go's literal forms; the parser checks it is well formed. The scan
    /// is deliberately loose (as Go's is): it takes the longest run that could be a number.
    private mutating func lexNumber() -> Bool {
        if byte(at: position) == UInt8(ascii: "+") || byte(at: position) == UInt8(ascii: "-") { advance() }
        var digits: (UInt8) -> Bool = Self.isDigit
        var exponentMarkers: [UInt8] = Array("eE".utf8)
        if byte(at: position) == UInt8(ascii: "0"), let prefix = byte(at: position + 1) {
            switch prefix | 0x20 {
            case UInt8(ascii: "x"):
                advance(2)
                digits = { Self.isDigit($0) || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "f")) }
                exponentMarkers = Array("pP".utf8)
            case UInt8(ascii: "o"):
                advance(2)
                digits = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
                exponentMarkers = []
            case UInt8(ascii: "b"):
                advance(2)
                digits = { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") }
                exponentMarkers = []
            default: break
            }
        }
        func run(_ accept: (UInt8) -> Bool) {
            while let c = byte(at: position), accept(c) || c == UInt8(ascii: "_") { advance() }
        }
        run(digits)
        if byte(at: position) == UInt8(ascii: ".") {
            advance()
            run(digits)
        }
        if let c = byte(at: position), exponentMarkers.contains(c) {
            advance()
            if byte(at: position) == UInt8(ascii: "+") || byte(at: position) == UInt8(ascii: "-") { advance() }
            run(Self.isDigit)
        }
        if byte(at: position) == UInt8(ascii: "i") { advance() }
        if let c = byte(at: position), Self.isAlphanumeric(c) {
            advance()
            fail("bad number syntax: \(GoQuote.quote(String(decoding: input[start..<position], as: UTF8.self)))")
            return false
        }
        emit(.number)
        return true
    }
}
