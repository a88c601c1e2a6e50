/// What sigs.k8s.io/yaml's `Marshal` does to a value on its way to go-yaml's emitter:
/// it writes the value as JSON with `encoding/json`, reads that JSON back with go-yaml v2
/// into `interface{}`, and marshals the result. Each step leaves marks that Helm's `toYaml`
/// output shows, and `YAMLEmitter` in its `.helm` flavor asks this type about them.
enum SigsYAML {
    /// The string go-yaml reads back from the JSON text `encoding/json` writes for `text`, or
    /// nil when go-yaml cannot read that JSON text back, which makes `Marshal` fail.
    ///
    /// `encoding/json` leaves U+007F, the C1 controls, U+FFFE and U+FFFF unescaped, and
    /// go-yaml's reader rejects them ("control characters are not allowed"), except U+0085
    /// (NEL), which it reads as a line break inside the double-quoted JSON string and folds:
    /// a run of spaces and NELs becomes one space for one NEL, or a newline for each
    /// further NEL. Because of that break, a NEL followed by `---` or `...` and a blank is a
    /// document marker, and a key with a NEL is no longer a simple key; neither is a key
    /// whose JSON text is longer than YAML's 1024-character simple-key limit.
    static func afterJSONRoundTrip(_ text: String, isKey: Bool) -> String? {
        var hasNEL = false
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x7F { return nil }
            if previous == 0xC2 && byte >= 0x80 && byte <= 0x9F {
                if byte != 0x85 { return nil }
                hasNEL = true
            }
            if beforePrevious == 0xEF && previous == 0xBF && (byte == 0xBE || byte == 0xBF) { return nil }
            beforePrevious = previous
            previous = byte
        }
        // A byte becomes at most six JSON characters, so short keys need no counting.
        if isKey && (hasNEL || (text.utf8.count > (maxSimpleKeyCharacters - 2) / 6 && jsonLength(text) > maxSimpleKeyCharacters)) {
            return nil
        }
        guard hasNEL else { return text }
        if startsDocumentMarkerAfterBreak(text) { return nil }
        var result = ""
        var pendingSpaces = 0
        var breaks = 0
        func flush() {
            if breaks == 0 {
                result += String(repeating: " ", count: pendingSpaces)
            } else {
                result += breaks == 1 ? " " : String(repeating: "\n", count: breaks - 1)
            }
            pendingSpaces = 0
            breaks = 0
        }
        for character in text.unicodeScalars {
            switch character {
            case " ": if breaks == 0 { pendingSpaces += 1 }
            case "\u{85}": breaks += 1
            default:
                flush()
                result.unicodeScalars.append(character)
            }
        }
        flush()
        return result
    }

    /// A float as it comes back from its JSON text: integral values within 64 bits are
    /// integers again, everything else a float printed with `%g`.
    static func numberText(_ number: Double) -> String {
        let json = GoFloat.json(number)
        if !json.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }) {
            if let parsed = GoInteger.parse(Array(json.utf8)) {
                if !parsed.negative || parsed.magnitude == 0 { return String(parsed.magnitude) }  // "-0" reads as 0
                if parsed.magnitude <= UInt64(Int.max) + 1 { return json }
            }
        }
        return GoFloat.format(number)
    }

    /// YAML's limit on the length of a simple key, in characters from its first to the `:`.
    private static let maxSimpleKeyCharacters = 1024

    /// Characters in `encoding/json`'s quoted form of `text`, HTML escapes included.
    private static func jsonLength(_ text: String) -> Int {
        var length = 2
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\", "\n", "\r", "\t": length += 2
            case "<", ">", "&", "\u{2028}", "\u{2029}": length += 6
            default: length += scalar.value < 0x20 ? 6 : 1
            }
        }
        return length
    }

    /// A NEL directly followed by `---` or `...` and a space or another NEL.
    private static func startsDocumentMarkerAfterBreak(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for index in scalars.indices where scalars[index] == "\u{85}" && index + 4 < scalars.count {
            let marker = scalars[index + 1]
            guard marker == "-" || marker == "." else { continue }
            if scalars[index + 2] == marker && scalars[index + 3] == marker
                && (scalars[index + 4] == " " || scalars[index + 4] == "\u{85}")
            {
                return true
            }
        }
        return false
    }

    /// go-yaml v2's `keyList.Less` for string keys: rune by rune; at the first difference,
    /// two letters compare as runes, a letter sorts after a non-letter, and otherwise the
    /// digit runs starting there compare as numbers (then by length, then by rune).
    static func keyOrder(_ a: String, _ b: String) -> Bool {
        keyOrder(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    /// `keyOrder` over keys already split into scalars, so a sort splits each key once.
    static func keyOrder(_ ar: [Unicode.Scalar], _ br: [Unicode.Scalar]) -> Bool {
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] { i += 1; continue }
            let aLetter = isLetter(ar[i]), bLetter = isLetter(br[i])
            if aLetter && bLetter { return ar[i].value < br[i].value }
            if aLetter || bLetter { return bLetter }
            var an: Int64 = 0, bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" { an = 1; bn = 1; break }
                    j -= 1
                }
            }
            var ai = i, bi = i
            while ai < ar.count && isDigit(ar[ai]) {
                an = an &* 10 &+ Int64(ar[ai].value) &- 48
                ai += 1
            }
            while bi < br.count && isDigit(br[bi]) {
                bn = bn &* 10 &+ Int64(br[bi].value) &- 48
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x30 && scalar.value <= 0x39 }
        return scalar.properties.generalCategory == .decimalNumber
    }
}
