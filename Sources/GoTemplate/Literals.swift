/// Go's quoting rules (`strconv.Quote`, `Unquote`, `%#U`), which template literals and
/// error messages follow.
public enum GoQuote {
    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// `strconv.Quote`, or `QuoteToASCII` when `asciiOnly`: what `%q` prints for a string.
    public static func quote(_ text: String, asciiOnly: Bool = false, quote: Character = "\"") -> String {
        var result = String(quote)
        for scalar in text.unicodeScalars {
            appendEscaped(scalar, quote: quote, asciiOnly: asciiOnly, to: &result)
        }
        result.append(quote)
        return result
    }

    static func appendEscaped(_ scalar: Unicode.Scalar, quote: Character, asciiOnly: Bool, to result: inout String) {
        if Character(scalar) == quote || scalar == "\\" {
            result.append("\\")
            result.unicodeScalars.append(scalar)
            return
        }
        if isPrintable(scalar) && (!asciiOnly || scalar.value < 0x80) {
            result.unicodeScalars.append(scalar)
            return
        }
        switch scalar {
        case "\u{07}": result += "\\a"
        case "\u{08}": result += "\\b"
        case "\u{0C}": result += "\\f"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\u{0B}": result += "\\v"
        default:
            let value = scalar.value
            if value < 0x20 || value == 0x7F {
                result += "\\x" + hex(value, digits: 2)
            } else if value < 0x10000 {
                result += "\\u" + hex(value, digits: 4)
            } else {
                result += "\\U" + hex(value, digits: 8)
            }
        }
    }

    static func hex(_ value: UInt32, digits: Int, uppercase: Bool = false) -> String {
        let text = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// Go's `%#U`: `U+0041 'A'` (the character only when printable).
    static func unicodeDescription(_ value: UInt32) -> String {
        var text = "U+" + hex(value, digits: 4, uppercase: true)
        if let scalar = Unicode.Scalar(value), isPrintable(scalar) {
            text += " '" + String(Character(scalar)) + "'"
        }
        return text
    }

    /// `strconv.Unquote` for `"..."` and `` `...` `` literals; nil when malformed.
    static func unquote(_ literal: String) -> String? {
        let bytes = Array(literal.utf8)
        guard bytes.count >= 2, let first = bytes.first, bytes.last == first else { return nil }
        let inner = bytes[1..<(bytes.count - 1)]
        if first == UInt8(ascii: "`") {
            guard !inner.contains(UInt8(ascii: "`")) else { return nil }
            return String(decoding: inner.filter { $0 != 0x0D }, as: UTF8.self)
        }
        guard first == UInt8(ascii: "\"") else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(inner.count)
        var index = inner.startIndex
        while index < inner.endIndex {
            let byte = inner[index]
            if byte == UInt8(ascii: "\"") || byte == 0x0A { return nil }
            if byte != UInt8(ascii: "\\") {
                output.append(byte)
                index += 1
                continue
            }
            guard let (decoded, next) = unescape(inner, at: index, quote: UInt8(ascii: "\"")) else { return nil }
            output.append(contentsOf: decoded)
            index = next
        }
        return String(decoding: output, as: UTF8.self)
    }

    enum CharacterLiteral: Equatable {
        case rune(UInt32)
        /// The first character or escape is not valid (Go: "invalid syntax").
        case invalid
        /// A valid first character followed by more (Go: "malformed character constant").
        case malformed
    }

    /// The rune of a `'x'` character literal, judged as Go's parser judges it.
    static func unquoteCharacter(_ literal: String) -> CharacterLiteral {
        let bytes = Array(literal.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "'"), bytes.last == UInt8(ascii: "'") else {
            return .invalid
        }
        let inner = bytes[1...]
        guard let first = inner.first, first != UInt8(ascii: "'"), first != 0x0A else { return .invalid }
        let value: UInt32
        let next: Int
        if first == UInt8(ascii: "\\") {
            guard let (decoded, end) = unescape(inner, at: inner.startIndex, quote: UInt8(ascii: "'")) else {
                return .invalid
            }
            if decoded.count == 1 {
                value = UInt32(decoded[0])  // \x and octal escapes are bytes
            } else {
                guard let scalar = String(decoding: decoded, as: UTF8.self).unicodeScalars.first else { return .invalid }
                value = scalar.value
            }
            next = end
        } else {
            guard let scalar = String(decoding: inner.dropLast(), as: UTF8.self).unicodeScalars.first else {
                return .invalid
            }
            value = scalar.value
            next = inner.startIndex + String(scalar).utf8.count
        }
        return next == bytes.count - 1 ? .rune(value) : .malformed
    }

    /// One backslash escape starting at `index`: its bytes (UTF-8 for `\u`, raw for `\x`)
    /// and the index after it.
    private static func unescape(_ bytes: ArraySlice<UInt8>, at index: Int, quote: UInt8) -> ([UInt8], Int)? {
        let escape = index + 1
        guard escape < bytes.endIndex else { return nil }
        func hexValue(_ count: Int) -> UInt32? {
            guard escape + count < bytes.endIndex || escape + count == bytes.endIndex - 0 else { return nil }
            guard escape + 1 + count <= bytes.endIndex else { return nil }
            var value: UInt32 = 0
            for byte in bytes[(escape + 1)..<(escape + 1 + count)] {
                guard let digit = hexDigit(byte) else { return nil }
                value = value * 16 + UInt32(digit)
            }
            return value
        }
        switch bytes[escape] {
        case UInt8(ascii: "a"): return ([0x07], escape + 1)
        case UInt8(ascii: "b"): return ([0x08], escape + 1)
        case UInt8(ascii: "f"): return ([0x0C], escape + 1)
        case UInt8(ascii: "n"): return ([0x0A], escape + 1)
        case UInt8(ascii: "r"): return ([0x0D], escape + 1)
        case UInt8(ascii: "t"): return ([0x09], escape + 1)
        case UInt8(ascii: "v"): return ([0x0B], escape + 1)
        case UInt8(ascii: "\\"): return ([UInt8(ascii: "\\")], escape + 1)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            guard bytes[escape] == quote else { return nil }
            return ([quote], escape + 1)
        case UInt8(ascii: "x"):
            guard let value = hexValue(2) else { return nil }
            return ([UInt8(value)], escape + 3)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = bytes[escape] == UInt8(ascii: "u") ? 4 : 8
            guard let value = hexValue(count), let scalar = Unicode.Scalar(value) else { return nil }
            return (Array(String(Character(scalar)).utf8), escape + 1 + count)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard escape + 3 <= bytes.endIndex else { return nil }
            var value: UInt32 = 0
            for byte in bytes[escape..<(escape + 3)] {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") else { return nil }
                value = value * 8 + UInt32(byte - UInt8(ascii: "0"))
            }
            guard value <= 255 else { return nil }
            return ([UInt8(value)], escape + 3)
        default:
            return nil
        }
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Go's number literals (`strconv.ParseInt`/`ParseFloat` with base 0) and the type
/// `text/template` gives each: an int unless written with a point or an exponent.
enum GoNumber {
    enum Parsed: Equatable {
        case integer(Int)
        case float(Double)
        /// A valid unsigned literal above `Int.max`: Go fails when it is used, not when parsed.
        case overflowsInt
        /// An integer too large even for a float-free reading: Go's "integer overflow".
        case integerOverflow
        case imaginary
        case invalid
    }

    static func parse(_ literal: String) -> Parsed {
        var text = Substring(literal)
        if text.hasSuffix("i") { return .imaginary }
        var negative = false
        if let sign = text.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            text = text.dropFirst()
        }
        guard !text.isEmpty else { return .invalid }
        let lower = text.lowercased()
        let isHex = lower.hasPrefix("0x")
        if let magnitude = integerMagnitude(lower) {
            switch magnitude {
            case .some(let value):
                if negative {
                    if value <= UInt64(Int64.max) + 1 { return .integer(Int(truncatingIfNeeded: 0 &- value)) }
                    return .integerOverflow
                }
                if value <= UInt64(Int.max) { return .integer(Int(value)) }
                return .overflowsInt
            case .none:
                return isHex ? .invalid : .integerOverflow
            }
        }
        // Not an integer: a float, if Go's ParseFloat would take it.
        guard underscoresAreValid(lower) else { return .invalid }
        let plain = String(lower.filter { $0 != "_" })
        if lower.hasPrefix("0o") || lower.hasPrefix("0b") { return .invalid }
        if isHex && !plain.contains("p") { return .invalid }
        guard let value = Double(plain), value.isFinite else { return .invalid }
        if !plain.contains(where: { ".ep".contains($0) }) { return .integerOverflow }
        return .float(negative ? -value : value)
    }

    /// The magnitude of an integer literal: nil when the text is not an integer at all,
    /// `.some(nil)` when it is one but exceeds 64 bits.
    private static func integerMagnitude(_ text: String) -> UInt64?? {
        var digits = Substring(text)
        var radix: UInt64 = 10
        if digits.hasPrefix("0x") { radix = 16; digits = digits.dropFirst(2) }
        else if digits.hasPrefix("0o") { radix = 8; digits = digits.dropFirst(2) }
        else if digits.hasPrefix("0b") { radix = 2; digits = digits.dropFirst(2) }
        else if digits.hasPrefix("0") && digits.count > 1 { radix = 8; digits = digits.dropFirst(1) }
        guard underscoresAreValid(text) else { return nil }
        let plain = digits.filter { $0 != "_" }
        guard !plain.isEmpty || radix == 8 else { return nil }
        var value: UInt64 = 0
        var overflow = false
        for character in plain.utf8 {
            guard let digit = GoQuote.hexDigit(character), UInt64(digit) < radix else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: radix)
            let (sum, o2) = shifted.addingReportingOverflow(UInt64(digit))
            overflow = overflow || o1 || o2
            value = sum
        }
        return .some(overflow ? nil : value)
    }

    /// Go's `underscoreOK`: underscores only between digits, or after a base prefix.
    private static func underscoresAreValid(_ text: String) -> Bool {
        guard text.contains("_") else { return true }
        let bytes = Array(text.utf8)
        var index = 0
        var previous: UInt8 = UInt8(ascii: "^")  // start
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "0"),
            [UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "b")].contains(bytes[1])
        {
            index = 2
            previous = UInt8(ascii: "0")  // a prefix counts as a digit
        }
        let isHex = bytes.count >= 2 && bytes[1] == UInt8(ascii: "x")
        while index < bytes.count {
            let byte = bytes[index]
            let isDigit = (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (isHex && GoQuote.hexDigit(byte) != nil)
            if byte == UInt8(ascii: "_") {
                guard previous == UInt8(ascii: "0") else { return false }
                previous = UInt8(ascii: "_")
            } else if isDigit {
                previous = UInt8(ascii: "0")
            } else {
                guard previous != UInt8(ascii: "_") else { return false }
                previous = UInt8(ascii: "!")
            }
            index += 1
        }
        return previous != UInt8(ascii: "_")
    }
}
