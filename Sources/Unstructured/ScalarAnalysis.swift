/// libyaml's `yaml_emitter_analyze_scalar`: which styles can carry a string unchanged.
struct ScalarAnalysis {
    var multiline = false
    var blockPlainAllowed = true
    var singleQuotedAllowed = true
    var blockAllowed = true

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { ScalarAnalysis($0) }
    }

    init(_ value: UnsafeBufferPointer<UInt8>) {
        guard !value.isEmpty else {
            blockAllowed = false
            return
        }
        var blockIndicators = false
        var lineBreaks = false
        var specialCharacters = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false
        var previousSpace = false, previousBreak = false

        if value.count >= 3 {
            let (a, b, c) = (value[0], value[1], value[2])
            if (a == UInt8(ascii: "-") && b == a && c == a) || (a == UInt8(ascii: ".") && b == a && c == a) {
                blockIndicators = true
            }
        }
        var precededByWhitespace = true
        var i = 0
        while i < value.count {
            let byte = value[i]
            let width = max(Self.width(byte), 1)
            let followedByWhitespace = i + width >= value.count || Self.isBlank(value, i + width)
            if i == 0 {
                switch byte {
                case UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                    UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
                    UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
                    UInt8(ascii: "`"):
                    blockIndicators = true
                case UInt8(ascii: "?"), UInt8(ascii: ":"):
                    if followedByWhitespace { blockIndicators = true }
                case UInt8(ascii: "-"):
                    if followedByWhitespace { blockIndicators = true }
                default: break
                }
            } else {
                switch byte {
                case UInt8(ascii: ":"):
                    if followedByWhitespace { blockIndicators = true }
                case UInt8(ascii: "#"):
                    if precededByWhitespace { blockIndicators = true }
                default: break
                }
            }
            if !Self.isPrintable(value, i) { specialCharacters = true }
            if byte == UInt8(ascii: " ") {
                if i == 0 { leadingSpace = true }
                if i + width == value.count { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if Self.isBreak(value, i) {
                lineBreaks = true
                if i == 0 { leadingBreak = true }
                if i + width == value.count { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = Self.isBlank(value, i) || Self.isBreak(value, i) || byte == 0
            i += width
        }
        multiline = lineBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak { blockPlainAllowed = false }
        if trailingSpace { blockAllowed = false }
        if breakSpace {
            blockPlainAllowed = false
            singleQuotedAllowed = false
        }
        if spaceBreak || specialCharacters {
            blockPlainAllowed = false
            singleQuotedAllowed = false
            blockAllowed = false
        }
        if lineBreaks || blockIndicators { blockPlainAllowed = false }
    }

    static func width(_ byte: UInt8) -> Int {
        if byte & 0x80 == 0 { return 1 }
        if byte & 0xE0 == 0xC0 { return 2 }
        if byte & 0xF0 == 0xE0 { return 3 }
        if byte & 0xF8 == 0xF0 { return 4 }
        return 0
    }

    static func isSpace(_ value: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i < value.count && value[i] == UInt8(ascii: " ")
    }

    static func isBlank(_ value: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i < value.count && (value[i] == UInt8(ascii: " ") || value[i] == UInt8(ascii: "\t"))
    }

    /// `\r`, `\n`, U+0085, U+2028, U+2029.
    static func isBreak(_ value: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i < value.count else { return false }
        switch value[i] {
        case UInt8(ascii: "\r"), UInt8(ascii: "\n"): return true
        case 0xC2: return i + 1 < value.count && value[i + 1] == 0x85
        case 0xE2: return i + 2 < value.count && value[i + 1] == 0x80 && (value[i + 2] == 0xA8 || value[i + 2] == 0xA9)
        default: return false
        }
    }

    /// libyaml's printable set: tab and other C0 controls, DEL, C1 controls, surrogates,
    /// U+FEFF, U+FFFE, U+FFFF and everything beyond the BMP are not printable.
    static func isPrintable(_ value: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = value[i]
        func next(_ k: Int) -> UInt8 { i + k < value.count ? value[i + k] : 0 }
        if b == 0x0A || (b >= 0x20 && b <= 0x7E) { return true }
        if b == 0xC2 { return next(1) >= 0xA0 }
        if b > 0xC2 && b < 0xED { return true }
        if b == 0xED { return next(1) < 0xA0 }
        if b == 0xEE { return true }
        if b == 0xEF {
            return !(next(1) == 0xBB && next(2) == 0xBF) && !(next(1) == 0xBF && (next(2) == 0xBE || next(2) == 0xBF))
        }
        return false
    }
}
