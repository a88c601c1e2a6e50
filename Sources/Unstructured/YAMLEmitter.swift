/// Block YAML the way go-yaml v2's emitter (`emitterc.go`, a port of libyaml's) writes it,
/// with the same state variables, so that columns, indentation, quoting and folding agree
/// byte for byte:
/// - a string is plain unless it would read back as something else (a YAML 1.1 boolean,
///   null, number, timestamp or base-60 float), which makes it double-quoted; strings with
///   a newline ask for a literal block; the emitter then downgrades the request as libyaml's
///   analysis decides (single quotes for indicators, double quotes for special characters
///   or trailing spaces before a break);
/// - lines are folded at spaces past column 80; keys over 128 bytes use the `? key` form;
///   empty collections are `[]` and `{}`; lists under a key are not indented.
struct YAMLEmitter {
    /// Who the document is for.
    enum Flavor {
        /// Byte-identical to sigs.k8s.io/yaml's `Marshal` (Helm's `toYaml`): keys in go-yaml's
        /// natural order, and every mark the JSON round trip leaves (see `SigsYAML`).
        case helm
        /// Keys in insertion order and numbers that read back as the same kind: for manifests
        /// and kubeconfigs people read, and for `YAML.parse` to read back unchanged.
        case ordered
    }

    private static let bestWidth = 80
    private static let bestIndent = 2
    /// Keys longer than this (in bytes) cannot be simple keys in libyaml.
    private static let maxSimpleKeyLength = 128

    private let flavor: Flavor
    private var output: [UInt8] = []
    /// The column in characters, not bytes, as the emitter counts it.
    private var column = 0
    private var whitespace = true
    private var indention = true
    private var indent = -1
    /// Set in the `.helm` flavor when the value holds something the JSON round trip cannot
    /// carry: `Marshal` fails then, and the document is empty.
    private var failed = false

    private init(flavor: Flavor) {
        self.flavor = flavor
    }

    /// The document for `value`, ending in a newline; "" when the `.helm` flavor's
    /// `Marshal` would fail.
    static func document(_ value: Value, flavor: Flavor) -> String {
        var emitter = YAMLEmitter(flavor: flavor)
        emitter.output.reserveCapacity(256)
        emitter.node(value, mappingContext: false)
        emitter.writeIndent()
        return emitter.failed ? "" : String(decoding: emitter.output, as: UTF8.self)
    }

    // MARK: - Nodes

    private mutating func node(_ value: Value, mappingContext: Bool) {
        switch value {
        case .null: scalar("null", style: .plain, simpleKey: false)
        case let .bool(flag): scalar(flag ? "true" : "false", style: .plain, simpleKey: false)
        case let .int(integer): scalar(String(integer), style: .plain, simpleKey: false)
        case let .int64(integer): scalar(String(integer), style: .plain, simpleKey: false)
        case let .float(number):
            switch flavor {
            case .helm:
                guard number.isFinite else { failed = true; return }
                scalar(SigsYAML.numberText(number), style: .plain, simpleKey: false)
            case .ordered:
                scalar(Self.floatText(number), style: .plain, simpleKey: false)
            }
        case let .string(text):
            guard let text = written(text, isKey: false) else { failed = true; return }
            scalar(text, style: requestedStyle(text), simpleKey: false)
        case let .list(items):
            if items.isEmpty { emptyCollection("[]") } else { sequence(items, mappingContext: mappingContext) }
        case let .map(map):
            if map.isEmpty { emptyCollection("{}") } else { mapping(map) }
        case let .object(object): node(object.representation, mappingContext: mappingContext)
        }
    }

    /// The text of a string or key as the emitter receives it, nil when `Marshal` would fail.
    private func written(_ text: String, isKey: Bool) -> String? {
        flavor == .helm ? SigsYAML.afterJSONRoundTrip(text, isKey: isKey) : text
    }

    /// A float that reads back as a float: `%g`, with `.0` where that looks like an integer.
    private static func floatText(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        let text = GoFloat.format(number)
        return text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") } ? text : text + ".0"
    }

    /// go-yaml's encoder choice before the emitter's analysis: literal for multi-line text,
    /// plain when the text reads back as the same string, double quotes otherwise. go-yaml
    /// writes the string `<<` plain, which its own reader takes for a merge key; the
    /// `.ordered` flavor quotes it so that `YAML.parse` reads back what was written.
    private func requestedStyle(_ text: String) -> ScalarStyle {
        if text.utf8.contains(UInt8(ascii: "\n")) { return .literal }
        if flavor == .ordered && text == "<<" { return .doubleQuoted }
        return YAMLScalar.readsBackAsString(text) ? .plain : .doubleQuoted
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
            guard let key = written(key, isKey: true) else { failed = true; return }
            entries.append((key, value))
        }
        if flavor == .helm {
            var sortable = entries.map { (scalars: Array($0.key.unicodeScalars), entry: $0) }
            sortable.sort { SigsYAML.keyOrder($0.scalars, $1.scalars) }
            entries = sortable.map(\.entry)
        }
        for (key, value) in entries {
            writeIndent()
            let keyStyle = requestedStyle(key)
            let keyAnalysis = ScalarAnalysis(key)
            if key.utf8.count <= Self.maxSimpleKeyLength && !keyAnalysis.multiline {
                scalar(key, style: keyStyle, simpleKey: true, analysis: keyAnalysis)
                writeIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false)
            } else {
                writeIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: true)
                scalar(key, style: keyStyle, simpleKey: false, analysis: keyAnalysis)
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

    // MARK: - Scalars

    enum ScalarStyle { case plain, singleQuoted, doubleQuoted, literal }

    private mutating func scalar(
        _ text: String, style requested: ScalarStyle, simpleKey: Bool, analysis known: ScalarAnalysis? = nil
    ) {
        let analysis = known ?? ScalarAnalysis(text)
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
        if value[i] < 0x80 {
            output.append(value[i])
            column += 1
            i += 1
            return
        }
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
