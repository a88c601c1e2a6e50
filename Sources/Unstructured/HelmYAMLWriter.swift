/// Writes what sigs.k8s.io/yaml's `Marshal` prints, which is what Helm's `toYaml` prints
/// before trimming the final newline.
///
/// `Marshal` goes value → JSON → go-yaml v2 `interface{}` → go-yaml v2's emitter, so:
/// - every map is written with keys in go-yaml's "natural" order (`keyOrder`);
/// - numbers are whatever the JSON text reads back as: integers stay integers, other floats
///   are printed with `%g` (`1e+06`, `1.5e-07`); a NaN or infinity makes `Marshal` fail, and
///   Helm's `toYaml` then prints nothing, so the whole result is empty;
/// - a string is plain unless it would read back as something else (a YAML 1.1 boolean, null,
///   number, timestamp or base-60 float), which makes it double-quoted; strings with a
///   newline ask for a literal block; the emitter then downgrades the request as libyaml's
///   analysis decides (single quotes for indicators, double quotes for special characters
///   or trailing spaces before a break);
/// - lines are folded at spaces past column 80; keys over 128 bytes use the `? key` form;
///   empty collections are `[]` and `{}`; lists under a key are not indented.
///
/// The emitter below mirrors the parts of go-yaml v2's `emitterc.go` (itself a port of
/// libyaml) that such documents reach, with the same state variables, so that columns,
/// indentation and folding agree byte for byte.
struct HelmYAMLWriter {
    private static let bestWidth = 80
    private static let bestIndent = 2
    /// Keys longer than this (in bytes) cannot be simple keys in libyaml.
    private static let maxSimpleKeyLength = 128

    private var output: [UInt8] = []
    /// The column in characters, not bytes, as the emitter counts it.
    private var column = 0
    private var whitespace = true
    private var indention = true
    private var indent = -1

    /// Set when the value holds something the JSON round trip cannot carry: the whole
    /// document is then empty.
    private var failed = false

    /// The document for `value`, or "" when sigs.k8s.io/yaml's `Marshal` would fail.
    static func document(_ value: Value) -> String {
        var writer = HelmYAMLWriter()
        writer.output.reserveCapacity(256)
        writer.node(value, mappingContext: false)
        writer.writeIndent()
        return writer.failed ? "" : String(decoding: writer.output, as: UTF8.self)
    }

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
        if isKey && (hasNEL || jsonLength(text) > maxSimpleKeyCharacters) { return nil }
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

    // MARK: - Nodes

    private mutating func node(_ value: Value, mappingContext: Bool) {
        switch value {
        case .null: scalar("null", style: .plain, simpleKey: false)
        case let .bool(flag): scalar(flag ? "true" : "false", style: .plain, simpleKey: false)
        case let .int(integer): scalar(String(integer), style: .plain, simpleKey: false)
        case let .float(number):
            guard number.isFinite else { failed = true; return }
            scalar(Self.numberText(number), style: .plain, simpleKey: false)
        case let .string(text):
            guard let text = Self.afterJSONRoundTrip(text, isKey: false) else { failed = true; return }
            scalar(text, style: Self.requestedStyle(text), simpleKey: false)
        case let .list(items):
            if items.isEmpty { emptyCollection("[]") } else { sequence(items, mappingContext: mappingContext) }
        case let .map(map):
            if map.isEmpty { emptyCollection("{}") } else { mapping(map) }
        case let .object(object): node(object.representation, mappingContext: mappingContext)
        }
    }

    /// A float as it comes back from its JSON text: integral values within 64 bits are
    /// integers again, everything else a float printed with `%g`.
    private static func numberText(_ number: Double) -> String {
        let json = GoFloat.json(number)
        if !json.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }) {
            if let parsed = GoInteger.parse(Array(json.utf8)) {
                if !parsed.negative || parsed.magnitude == 0 { return String(parsed.magnitude) }  // "-0" reads as 0
                if parsed.magnitude <= UInt64(Int.max) + 1 { return json }
            }
        }
        return GoFloat.format(number)
    }

    /// go-yaml's encoder choice before the emitter's analysis: literal for multi-line text,
    /// plain when the text reads back as the same string, double quotes otherwise.
    private static func requestedStyle(_ text: String) -> ScalarStyle {
        if text.utf8.contains(UInt8(ascii: "\n")) { return .literal }
        return readsBackAsString(text) ? .plain : .doubleQuoted
    }

    private static func readsBackAsString(_ text: String) -> Bool {
        switch YAMLScalar.resolvePlain(text) {
        case .string, .merge: break
        default: return false
        }
        return !YAMLTimestamp.matches(text) && !isBase60Float(text)
    }

    /// YAML 1.1's `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`, which go-yaml quotes on
    /// output for other readers although it does not read it.
    private static func isBase60Float(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first,
            first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || isDigit(first),
            bytes.contains(UInt8(ascii: ":"))
        else { return false }
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

    private mutating func sequence(_ items: [Value], mappingContext: Bool) {
        let saved = indent
        indent = indent < 0 ? 0 : (mappingContext && !indention ? indent : indent + Self.bestIndent)
        for item in items {
            writeIndent()
            writeIndicator("-", needWhitespace: true, isWhitespace: false, isIndention: true)
            node(item, mappingContext: false)
        }
        indent = saved
    }

    private mutating func mapping(_ map: Value.Map) {
        let saved = indent
        indent = indent < 0 ? 0 : indent + Self.bestIndent
        var entries: [(key: String, value: Value)] = []
        entries.reserveCapacity(map.count)
        for (key, value) in map {
            guard let key = Self.afterJSONRoundTrip(key, isKey: true) else { failed = true; return }
            entries.append((key, value))
        }
        entries.sort { HelmYAMLWriter.keyOrder($0.key, $1.key) }
        for (key, value) in entries {
            writeIndent()
            let keyStyle = Self.requestedStyle(key)
            let isSimple = key.utf8.count <= Self.maxSimpleKeyLength && !ScalarAnalysis(key).multiline
            if isSimple {
                scalar(key, style: keyStyle, simpleKey: true)
                writeIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false)
            } else {
                writeIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: true)
                scalar(key, style: keyStyle, simpleKey: false)
                writeIndent()
                writeIndicator(":", needWhitespace: true, isWhitespace: false, isIndention: true)
            }
            node(value, mappingContext: true)
        }
        indent = saved
    }

    private mutating func emptyCollection(_ text: StaticString) {
        if !whitespace { put(UInt8(ascii: " ")) }
        text.withUTF8Buffer { output.append(contentsOf: $0) }
        column += 2
        whitespace = false
        indention = false
    }

    // MARK: - Key order

    /// go-yaml v2's `keyList.Less` for string keys: rune by rune; at the first difference,
    /// two letters compare as runes, a letter sorts after a non-letter, and otherwise the
    /// digit runs starting there compare as numbers (then by length, then by rune).
    static func keyOrder(_ a: String, _ b: String) -> Bool {
        let ar = Array(a.unicodeScalars), br = Array(b.unicodeScalars)
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

    // MARK: - Scalars

    enum ScalarStyle { case plain, singleQuoted, doubleQuoted, literal }

    private mutating func scalar(_ text: String, style requested: ScalarStyle, simpleKey: Bool) {
        let analysis = ScalarAnalysis(text)
        var style = requested
        if simpleKey && analysis.multiline { style = .doubleQuoted }
        if style == .plain {
            if !analysis.blockPlainAllowed { style = .singleQuoted }
            if text.isEmpty && simpleKey { style = .singleQuoted }
        }
        if style == .singleQuoted && !analysis.singleQuotedAllowed { style = .doubleQuoted }
        if style == .literal && (!analysis.blockAllowed || simpleKey) { style = .doubleQuoted }

        let saved = indent
        indent = indent < 0 ? Self.bestIndent : indent + Self.bestIndent
        var text = text
        text.withUTF8 { bytes in
            switch style {
            case .plain: writePlain(bytes, allowBreaks: !simpleKey)
            case .singleQuoted: writeSingleQuoted(bytes, allowBreaks: !simpleKey)
            case .doubleQuoted: writeDoubleQuoted(bytes, allowBreaks: !simpleKey)
            case .literal: writeLiteral(bytes)
            }
        }
        indent = saved
    }

    /// Plain text never holds a break: the analysis refuses plain style for it.
    private mutating func writePlain(_ value: UnsafeBufferPointer<UInt8>, allowBreaks: Bool) {
        if !whitespace { put(UInt8(ascii: " ")) }
        var spaces = false
        var i = 0
        while i < value.count {
            if value[i] == UInt8(ascii: " ") {
                if allowBreaks && !spaces && column > Self.bestWidth && !ScalarAnalysis.isSpace(value, i + 1) {
                    writeIndent()
                    i += 1
                } else {
                    write(value, &i)
                }
                spaces = true
            } else {
                write(value, &i)
                indention = false
                spaces = false
            }
        }
        whitespace = false
        indention = false
    }

    private mutating func writeSingleQuoted(_ value: UnsafeBufferPointer<UInt8>, allowBreaks: Bool) {
        writeIndicator("'", needWhitespace: true, isWhitespace: false, isIndention: false)
        var spaces = false
        var breaks = false
        var i = 0
        while i < value.count {
            if value[i] == UInt8(ascii: " ") {
                if allowBreaks && !spaces && column > Self.bestWidth && i > 0 && i < value.count - 1
                    && !ScalarAnalysis.isSpace(value, i + 1)
                {
                    writeIndent()
                    i += 1
                } else {
                    write(value, &i)
                }
                spaces = true
            } else if ScalarAnalysis.isBreak(value, i) {
                if !breaks && value[i] == UInt8(ascii: "\n") { putBreak() }
                writeBreak(value, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                if value[i] == UInt8(ascii: "'") { put(UInt8(ascii: "'")) }
                write(value, &i)
                indention = false
                spaces = false
                breaks = false
            }
        }
        writeIndicator("'", needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    private mutating func writeDoubleQuoted(_ value: UnsafeBufferPointer<UInt8>, allowBreaks: Bool) {
        writeIndicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false)
        // go-yaml's `is_bom` looks at the start of the value whatever the position it is
        // asked about, so a leading byte-order mark escapes every character.
        let startsWithBOM = value.count >= 3 && value[0] == 0xEF && value[1] == 0xBB && value[2] == 0xBF
        var spaces = false
        var i = 0
        while i < value.count {
            let byte = value[i]
            if !ScalarAnalysis.isPrintable(value, i) || startsWithBOM || ScalarAnalysis.isBreak(value, i)
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            {
                let width = ScalarAnalysis.width(byte)
                var scalar = UInt32(byte) & [0x7F, 0x1F, 0x0F, 0x07][max(width - 1, 0)]
                for k in 1..<max(width, 1) where i + k < value.count {
                    scalar = scalar << 6 | UInt32(value[i + k] & 0x3F)
                }
                i += max(width, 1)
                writeEscape(scalar)
                spaces = false
            } else if byte == UInt8(ascii: " ") {
                if allowBreaks && !spaces && column > Self.bestWidth && i > 0 && i < value.count - 1 {
                    writeIndent()
                    if ScalarAnalysis.isSpace(value, i + 1) { put(UInt8(ascii: "\\")) }
                    i += 1
                } else {
                    write(value, &i)
                }
                spaces = true
            } else {
                write(value, &i)
                spaces = false
            }
        }
        writeIndicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    private mutating func writeEscape(_ scalar: UInt32) {
        put(UInt8(ascii: "\\"))
        let short: UInt8? =
            switch scalar {
            case 0x00: UInt8(ascii: "0")
            case 0x07: UInt8(ascii: "a")
            case 0x08: UInt8(ascii: "b")
            case 0x09: UInt8(ascii: "t")
            case 0x0A: UInt8(ascii: "n")
            case 0x0B: UInt8(ascii: "v")
            case 0x0C: UInt8(ascii: "f")
            case 0x0D: UInt8(ascii: "r")
            case 0x1B: UInt8(ascii: "e")
            case 0x22: UInt8(ascii: "\"")
            case 0x5C: UInt8(ascii: "\\")
            case 0x85: UInt8(ascii: "N")
            case 0xA0: UInt8(ascii: "_")
            case 0x2028: UInt8(ascii: "L")
            case 0x2029: UInt8(ascii: "P")
            default: nil
            }
        if let short {
            put(short)
            return
        }
        let (letter, digits): (UInt8, Int) =
            scalar <= 0xFF ? (UInt8(ascii: "x"), 2) : scalar <= 0xFFFF ? (UInt8(ascii: "u"), 4) : (UInt8(ascii: "U"), 8)
        put(letter)
        for k in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            let digit = UInt8((scalar >> UInt32(k)) & 0x0F)
            put(digit < 10 ? digit + UInt8(ascii: "0") : digit - 10 + UInt8(ascii: "A"))
        }
    }

    private mutating func writeLiteral(_ value: UnsafeBufferPointer<UInt8>) {
        writeIndicator("|", needWhitespace: true, isWhitespace: false, isIndention: false)
        writeBlockScalarHints(value)
        putBreak()
        indention = true
        whitespace = true
        var breaks = true
        var i = 0
        while i < value.count {
            if ScalarAnalysis.isBreak(value, i) {
                writeBreak(value, &i)
                indention = true
                breaks = true
            } else {
                if breaks { writeIndent() }
                write(value, &i)
                indention = false
                breaks = false
            }
        }
    }

    /// The indentation indicator for text starting with a space or break, and the chomping
    /// indicator: `-` without a final break, `+` with more than one (or only one).
    private mutating func writeBlockScalarHints(_ value: UnsafeBufferPointer<UInt8>) {
        if ScalarAnalysis.isSpace(value, 0) || ScalarAnalysis.isBreak(value, 0) {
            writeIndicator(String(Self.bestIndent), needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        var chomp: String?
        if value.isEmpty {
            chomp = "-"
        } else {
            var i = value.count - 1
            while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
            if !ScalarAnalysis.isBreak(value, i) {
                chomp = "-"
            } else if i == 0 {
                chomp = "+"
            } else {
                i -= 1
                while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
                if ScalarAnalysis.isBreak(value, i) { chomp = "+" }
            }
        }
        if let chomp { writeIndicator(chomp, needWhitespace: false, isWhitespace: false, isIndention: false) }
    }

    // MARK: - Output primitives (emitterc.go's put, write, write_indent, write_indicator)

    private mutating func put(_ byte: UInt8) {
        output.append(byte)
        column += 1
    }

    private mutating func putBreak() {
        output.append(UInt8(ascii: "\n"))
        column = 0
    }

    /// Copies one character and counts one column.
    private mutating func write(_ value: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        let end = min(i + max(ScalarAnalysis.width(value[i]), 1), value.count)
        output.append(contentsOf: value[i..<end])
        column += 1
        i = end
    }

    private mutating func writeBreak(_ value: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        if value[i] == UInt8(ascii: "\n") {
            putBreak()
            i += 1
        } else {
            write(value, &i)
            column = 0
        }
    }

    private mutating func writeIndent() {
        let target = max(indent, 0)
        if !indention || column > target || (column == target && !whitespace) { putBreak() }
        while column < target { put(UInt8(ascii: " ")) }
        whitespace = true
        indention = true
    }

    private mutating func writeIndicator(_ indicator: String, needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool) {
        if needWhitespace && !whitespace { put(UInt8(ascii: " ")) }
        for byte in indicator.utf8 { put(byte) }
        whitespace = isWhitespace
        indention = indention && isIndention
    }
}

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
