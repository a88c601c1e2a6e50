import Unstructured

/// Go's `fmt` for code outside the executor, the function library above all, so that a
/// function prints a value exactly as an action does.
public enum GoFormat {
    /// `fmt.Sprint(value)`, which is `%v`: `map[a:1]`, `[a b]`, `<nil>`, Go's float digits.
    public static func string(_ value: Value) -> String {
        var formatter = GoFormatter()
        formatter.printValue(value)
        return String(decoding: formatter.output, as: UTF8.self)
    }

    /// `fmt.Sprint(values...)`: a space between two operands when neither is a string.
    public static func sprint(_ values: [Value]) -> String {
        var formatter = GoFormatter()
        formatter.print(values)
        return String(decoding: formatter.output, as: UTF8.self)
    }

    /// `fmt.Sprintf("%T", value)`: the Go type a value has in Helm's data.
    public static func typeName(_ value: Value) -> String {
        GoFormatter.typeName(value)
    }
}

/// Go's `fmt` for the values templates hold: `Sprint`, `Sprintln`, `Sprintf` with its verbs,
/// flags, width and precision, and the `%!verb(type=value)` notes Go writes instead of
/// failing. Output goes straight into a byte buffer.
struct GoFormatter {
    var output: [UInt8]

    // The flags of the verb being formatted (Go's `fmtFlags`).
    private var plus = false
    private var minus = false
    private var sharp = false
    private var space = false
    private var zero = false
    private var plusV = false
    private var sharpV = false
    private var width: Int?
    private var precision: Int?

    init(into output: [UInt8] = []) {
        self.output = output
    }

    private mutating func clearFlags() {
        plus = false; minus = false; sharp = false; space = false; zero = false
        plusV = false; sharpV = false; width = nil; precision = nil
    }

    // MARK: - Entry points

    /// `fmt.Sprint`: spaces between operands when neither side is a string.
    mutating func print(_ arguments: [Value]) {
        var previousIsString = false
        for (index, argument) in arguments.enumerated() {
            let isString = if case .string = argument { true } else { false }
            if index > 0 && !isString && !previousIsString { output.append(0x20) }
            printArgument(argument, verb: "v")
            previousIsString = isString
        }
    }

    /// `fmt.Sprintln`: spaces between all operands and a final newline.
    mutating func printLine(_ arguments: [Value]) {
        for (index, argument) in arguments.enumerated() {
            if index > 0 { output.append(0x20) }
            printArgument(argument, verb: "v")
        }
        output.append(0x0A)
    }

    /// `%v` of one value with no flags: how actions print non-string values.
    mutating func printValue(_ value: Value) {
        clearFlags()
        printArgument(value, verb: "v")
    }

    /// `fmt.Sprintf`.
    mutating func printFormatted(_ format: String, _ arguments: [Value]) {
        let bytes = Array(format.utf8)
        let end = bytes.count
        var argumentIndex = 0
        var reordered = false
        var index = 0
        while index < end {
            let literalStart = index
            while index < end && bytes[index] != UInt8(ascii: "%") { index += 1 }
            if index > literalStart { output.append(contentsOf: bytes[literalStart..<index]) }
            if index >= end { break }
            index += 1  // the %
            clearFlags()
            flags: while index < end {
                switch bytes[index] {
                case UInt8(ascii: "#"): sharp = true
                case UInt8(ascii: "0"): zero = !minus
                case UInt8(ascii: "+"): plus = true
                case UInt8(ascii: "-"): minus = true; zero = false
                case UInt8(ascii: " "): space = true
                default: break flags
                }
                index += 1
            }
            var goodArgumentIndex = true
            var afterIndex = false
            // An explicit argument index: %[2]d.
            func argumentNumber(_ current: Int) -> Int {
                guard index < end, bytes[index] == UInt8(ascii: "[") else { afterIndex = false; return current }
                reordered = true
                var close = index + 1
                while close < end && bytes[close] != UInt8(ascii: "]") { close += 1 }
                guard close < end else {
                    index += 1
                    goodArgumentIndex = false
                    afterIndex = false
                    return current
                }
                let digits = bytes[(index + 1)..<close]
                index = close + 1
                if !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.count < 7,
                    let number = Int(String(decoding: digits, as: UTF8.self)), number >= 1, number <= arguments.count
                {
                    afterIndex = true
                    return number - 1
                }
                goodArgumentIndex = false
                afterIndex = false
                return current
            }
            func parseNumber() -> Int? {
                var value = 0
                var found = false
                while index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    if value > 1_000_000 {  // Go's tooLarge guard: give up on the rest
                        index = end
                        return nil
                    }
                    value = value * 10 + Int(bytes[index] - 0x30)
                    found = true
                    index += 1
                }
                return found ? value : nil
            }
            func integerArgument(_ at: Int) -> (Int?, Int) {
                guard at < arguments.count else { return (nil, at) }
                if let value = arguments[at].intValue, value.magnitude <= 1_000_000 { return (value, at + 1) }
                return (nil, at + 1)
            }
            argumentIndex = argumentNumber(argumentIndex)
            // Width.
            if index < end && bytes[index] == UInt8(ascii: "*") {
                index += 1
                let (value, next) = integerArgument(argumentIndex)
                argumentIndex = next
                if let value {
                    width = abs(value)
                    if value < 0 { minus = true; zero = false }
                } else {
                    output.append(contentsOf: "%!(BADWIDTH)".utf8)
                }
                afterIndex = false
            } else {
                width = parseNumber()
                if afterIndex && width != nil { goodArgumentIndex = false }
            }
            // Precision.
            if index + 1 < end && bytes[index] == UInt8(ascii: ".") {
                index += 1
                if afterIndex { goodArgumentIndex = false }
                argumentIndex = argumentNumber(argumentIndex)
                if index < end && bytes[index] == UInt8(ascii: "*") {
                    index += 1
                    let (value, next) = integerArgument(argumentIndex)
                    argumentIndex = next
                    if let value, value >= 0 {
                        precision = value
                    } else {
                        precision = nil
                        output.append(contentsOf: "%!(BADPREC)".utf8)
                    }
                    afterIndex = false
                } else {
                    precision = parseNumber() ?? 0
                }
            }
            if !afterIndex { argumentIndex = argumentNumber(argumentIndex) }
            guard index < end else {
                output.append(contentsOf: "%!(NOVERB)".utf8)
                break
            }
            let (verb, length) = Self.decodeScalar(bytes, at: index)
            index += length
            switch verb {
            case "%":
                output.append(UInt8(ascii: "%"))
            case _ where !goodArgumentIndex:
                badArgument(verb, "BADINDEX")
            case _ where argumentIndex >= arguments.count:
                badArgument(verb, "MISSING")
            case "v":
                sharpV = sharp
                sharp = false
                plusV = plus
                plus = false
                printArgument(arguments[argumentIndex], verb: verb)
                argumentIndex += 1
            default:
                printArgument(arguments[argumentIndex], verb: verb)
                argumentIndex += 1
            }
        }
        if !reordered && argumentIndex < arguments.count {
            clearFlags()
            output.append(contentsOf: "%!(EXTRA ".utf8)
            for (position, argument) in arguments[argumentIndex...].enumerated() {
                if position > 0 { output.append(contentsOf: ", ".utf8) }
                if case .null = argument {
                    output.append(contentsOf: "<nil>".utf8)
                } else {
                    output.append(contentsOf: Self.typeName(argument).utf8)
                    output.append(UInt8(ascii: "="))
                    printArgument(argument, verb: "v")
                }
            }
            output.append(UInt8(ascii: ")"))
        }
    }

    private static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int) {
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        if case let .scalarValue(scalar) = decoder.decode(&iterator) {
            return (scalar, String(scalar).utf8.count)
        }
        return ("\u{FFFD}", 1)
    }

    private mutating func badArgument(_ verb: Unicode.Scalar, _ reason: String) {
        output.append(contentsOf: "%!".utf8)
        appendScalar(verb)
        output.append(contentsOf: "(\(reason))".utf8)
    }

    private mutating func appendScalar(_ scalar: Unicode.Scalar) {
        output.append(contentsOf: String(scalar).utf8)
    }

    // MARK: - Types

    /// The Go type each kind of value has in Helm's data (`reflect.TypeOf(v).String()`).
    static func typeName(_ value: Value) -> String {
        switch value {
        case .null: "<nil>"
        case .bool: "bool"
        case .int: "int"
        case .int64: "int64"
        case .float: "float64"
        case .string: "string"
        case .list: "[]interface {}"
        case .map: "map[string]interface {}"
        case let .object(object): object.typeName
        }
    }

    // MARK: - Arguments

    private mutating func printArgument(_ value: Value, verb: Unicode.Scalar, depth: Int = 0) {
        if verb == "T" {
            formatString(Self.typeName(value))
            return
        }
        switch value {
        case .null:
            if depth > 0 {
                output.append(contentsOf: (sharpV ? "interface {}(nil)" : "<nil>").utf8)
            } else if verb == "v" {
                padString("<nil>")
            } else {
                badVerb(verb, value)
            }
        case let .bool(flag):
            if verb == "t" || verb == "v" { padString(flag ? "true" : "false") } else { badVerb(verb, value) }
        case let .int(number):
            formatInteger(number, verb: verb, value: value)
        case let .int64(number):
            formatInteger(Int(number), verb: verb, value: value)
        case let .float(number):
            formatFloat(number, verb: verb, value: value)
        case let .string(text):
            switch verb {
            case "v": if sharpV { formatQuoted(text) } else { formatString(text) }
            case "s": formatString(text)
            case "x": formatHex(text, uppercase: false)
            case "X": formatHex(text, uppercase: true)
            case "q": formatQuoted(text)
            default: badVerb(verb, value)
            }
        case let .list(items):
            if sharpV {
                output.append(contentsOf: "[]interface {}{".utf8)
                for (index, item) in items.enumerated() {
                    if index > 0 { output.append(contentsOf: ", ".utf8) }
                    printArgument(item, verb: verb, depth: depth + 1)
                }
                output.append(UInt8(ascii: "}"))
            } else {
                output.append(UInt8(ascii: "["))
                for (index, item) in items.enumerated() {
                    if index > 0 { output.append(0x20) }
                    printArgument(item, verb: verb, depth: depth + 1)
                }
                output.append(UInt8(ascii: "]"))
            }
        case let .map(map):
            output.append(contentsOf: (sharpV ? "map[string]interface {}{" : "map[").utf8)
            for (index, key) in map.keys.sorted(by: Self.goLess).enumerated() {
                if index > 0 { output.append(contentsOf: (sharpV ? ", " : " ").utf8) }
                printArgument(.string(key), verb: verb, depth: depth + 1)
                output.append(UInt8(ascii: ":"))
                printArgument(map[key] ?? .null, verb: verb, depth: depth + 1)
            }
            output.append(UInt8(ascii: sharpV ? "}" : "]"))
        case let .object(object):
            printArgument(object.representation, verb: verb, depth: depth)
        }
    }

    /// Go orders string map keys by their bytes.
    static func goLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// `%!verb(type=value)` for a verb that does not apply to the value.
    private mutating func badVerb(_ verb: Unicode.Scalar, _ value: Value) {
        output.append(contentsOf: "%!".utf8)
        appendScalar(verb)
        output.append(UInt8(ascii: "("))
        if case .null = value {
            output.append(contentsOf: "<nil>".utf8)
        } else {
            output.append(contentsOf: Self.typeName(value).utf8)
            output.append(UInt8(ascii: "="))
            printArgument(value, verb: "v")
        }
        output.append(UInt8(ascii: ")"))
    }

    // MARK: - Padding

    private mutating func writePadding(_ count: Int) {
        guard count > 0 else { return }
        output.append(contentsOf: repeatElement(zero ? UInt8(ascii: "0") : 0x20, count: count))
    }

    /// Pads to the width, counting characters (runes), on the side the `-` flag says.
    private mutating func pad(_ bytes: some Collection<UInt8>) {
        guard let width, width > 0 else {
            output.append(contentsOf: bytes)
            return
        }
        let runes = bytes.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        if minus {
            output.append(contentsOf: bytes)
            writePadding(width - runes)
        } else {
            writePadding(width - runes)
            output.append(contentsOf: bytes)
        }
    }

    private mutating func padString(_ text: String) { pad(text.utf8) }

    // MARK: - Strings

    private func truncated(_ text: String) -> String {
        guard let precision, text.unicodeScalars.count > precision else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(precision)))
    }

    private mutating func formatString(_ text: String) { padString(truncated(text)) }

    private mutating func formatQuoted(_ text: String) {
        let text = truncated(text)
        if sharp && Self.canBackquote(text) {
            padString("`" + text + "`")
            return
        }
        padString(GoQuote.quote(text, asciiOnly: plus))
    }

    private static func canBackquote(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            scalar != "`" && scalar != "\u{FEFF}" && (scalar == "\t" || !(scalar.value < 0x20 || scalar.value == 0x7F))
        }
    }

    private mutating func formatHex(_ text: String, uppercase: Bool) {
        let digits: [UInt8] = Array((uppercase ? "0123456789ABCDEFX" : "0123456789abcdefx").utf8)
        let bytes = Array(text.utf8)
        var length = bytes.count
        if let precision, precision < length { length = precision }
        var encodedWidth = 2 * length
        if encodedWidth > 0 {
            if space {
                if sharp { encodedWidth *= 2 }
                encodedWidth += length - 1
            } else if sharp {
                encodedWidth += 2
            }
        } else {
            if let width { writePadding(width) }
            return
        }
        if let width, width > encodedWidth, !minus { writePadding(width - encodedWidth) }
        if sharp { output.append(contentsOf: [UInt8(ascii: "0"), digits[16]]) }
        for index in 0..<length {
            if space && index > 0 {
                output.append(0x20)
                if sharp { output.append(contentsOf: [UInt8(ascii: "0"), digits[16]]) }
            }
            output.append(digits[Int(bytes[index] >> 4)])
            output.append(digits[Int(bytes[index] & 0xF)])
        }
        if let width, width > encodedWidth, minus { writePadding(width - encodedWidth) }
    }

    // MARK: - Integers

    private mutating func formatInteger(_ number: Int, verb: Unicode.Scalar, value: Value) {
        switch verb {
        case "v", "d": formatInteger(number, base: 10, verb: verb, uppercase: false)
        case "b": formatInteger(number, base: 2, verb: verb, uppercase: false)
        case "o", "O": formatInteger(number, base: 8, verb: verb, uppercase: false)
        case "x": formatInteger(number, base: 16, verb: verb, uppercase: false)
        case "X": formatInteger(number, base: 16, verb: verb, uppercase: true)
        case "c": pad(String(Self.rune(number)).utf8)
        case "q":
            var quoted = "'"
            GoQuote.appendEscaped(Self.rune(number), quote: "'", asciiOnly: plus, to: &quoted)
            padString(quoted + "'")
        case "U": formatUnicode(number)
        default: badVerb(verb, value)
        }
    }

    private static func rune(_ number: Int) -> Unicode.Scalar {
        guard number >= 0, number <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(number)) else { return "\u{FFFD}" }
        return scalar
    }

    /// Go's `fmtInteger`: precision or zero padding as leading zeros, then prefix and sign.
    private mutating func formatInteger(_ number: Int, base: Int, verb: Unicode.Scalar, uppercase: Bool) {
        let negative = number < 0
        let magnitude = number.magnitude
        var leadingZeros = 0
        if let precision {
            if precision == 0 && magnitude == 0 {
                let savedZero = zero
                zero = false
                writePadding(width ?? 0)
                zero = savedZero
                return
            }
            leadingZeros = precision
        } else if zero, let width {
            leadingZeros = width
            if negative || plus || space { leadingZeros -= 1 }
        }
        var digits = Array(String(magnitude, radix: base, uppercase: uppercase).utf8)
        if digits.count < leadingZeros {
            digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: leadingZeros - digits.count), at: 0)
        }
        var prefix: [UInt8] = []
        if sharp {
            switch base {
            case 2: prefix = Array("0b".utf8)
            case 8: if digits.first != UInt8(ascii: "0") { prefix = [UInt8(ascii: "0")] }
            case 16: prefix = Array((uppercase ? "0X" : "0x").utf8)
            default: break
            }
        }
        if verb == "O" { prefix = Array("0o".utf8) + prefix }
        if negative { prefix.insert(UInt8(ascii: "-"), at: 0) }
        else if plus { prefix.insert(UInt8(ascii: "+"), at: 0) }
        else if space { prefix.insert(0x20, at: 0) }
        let savedZero = zero
        zero = false
        pad(prefix + digits)
        zero = savedZero
    }

    private mutating func formatUnicode(_ number: Int) {
        let magnitude = UInt64(bitPattern: Int64(number))
        var digits = String(magnitude, radix: 16, uppercase: true)
        let minimum = max(4, precision ?? 4)
        if digits.count < minimum { digits = String(repeating: "0", count: minimum - digits.count) + digits }
        var text = "U+" + digits
        if sharp, number >= 0, number <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(number)),
            GoQuote.isPrintable(scalar)
        {
            text += " '" + String(Character(scalar)) + "'"
        }
        let savedZero = zero
        zero = false
        padString(text)
        zero = savedZero
    }

    // MARK: - Floats

    private mutating func formatFloat(_ number: Double, verb: Unicode.Scalar, value: Value) {
        let format: GoFloat.Format
        var defaultPrecision = -1
        switch verb {
        case "v", "g": format = .g
        case "G": format = .upperG
        case "e": format = .e; defaultPrecision = 6
        case "E": format = .upperE; defaultPrecision = 6
        case "f", "F": format = .f; defaultPrecision = 6
        case "b":
            padSigned(Self.binaryExponent(number))
            return
        case "x", "X":
            padSigned(Self.hexadecimal(number, precision: precision ?? -1, uppercase: verb == "X"))
            return
        default:
            badVerb(verb, value)
            return
        }
        let digitsPrecision = sharpV ? -1 : (precision ?? defaultPrecision)
        var digits: [UInt8] = []
        GoFloat.append(number, format, precision: digitsPrecision, to: &digits)
        padSigned(digits, sharp: sharp ? (verb, digitsPrecision) : nil)
    }

    /// Go's tail of `fmtFloat`: the sign position reserved, `NaN`/`Inf` never zero padded, the
    /// `#` flag applied, then a sign only when asked for or negative, zero padding after it.
    private mutating func padSigned(_ formatted: [UInt8], sharp: (verb: Unicode.Scalar, precision: Int)? = nil) {
        var text = formatted
        if text.first != UInt8(ascii: "-") && text.first != UInt8(ascii: "+") { text.insert(UInt8(ascii: "+"), at: 0) }
        if space && text[0] == UInt8(ascii: "+") && !plus { text[0] = 0x20 }
        if text.count > 1 && (text[1] == UInt8(ascii: "I") || text[1] == UInt8(ascii: "N")) {
            let savedZero = zero
            zero = false
            if text[1] == UInt8(ascii: "N") && !space && !plus { text.removeFirst() }
            pad(text)
            zero = savedZero
            return
        }
        if let sharp { text = Self.applySharp(text, verb: sharp.verb, precision: sharp.precision) }
        if plus || text[0] != UInt8(ascii: "+") {
            if zero, let width, width > text.count {
                output.append(text[0])
                writePadding(width - text.count)
                output.append(contentsOf: text[1...])
                return
            }
            pad(text)
            return
        }
        pad(text[1...])
    }

    /// Go's `%b` of a float: decimal mantissa and binary exponent, `6755399441055744p-52`.
    private static func binaryExponent(_ number: Double) -> [UInt8] {
        var exponent = Int(number.bitPattern >> 52 & 0x7FF)
        var mantissa = number.bitPattern & (1 << 52 - 1)
        if exponent == 0 { exponent += 1 } else { mantissa |= 1 << 52 }
        exponent += -1023 - 52
        let sign = number.sign == .minus ? "-" : ""
        return Array("\(sign)\(mantissa)p\(exponent >= 0 ? "+" : "")\(exponent)".utf8)
    }

    /// Go's `%x` of a float: `0x1.8p+00`, rounded to `precision` hex digits when given.
    private static func hexadecimal(_ number: Double, precision: Int, uppercase: Bool) -> [UInt8] {
        if !number.isFinite {
            return Array((number.isNaN ? "NaN" : number < 0 ? "-Inf" : "+Inf").utf8)
        }
        var exponent = Int(number.bitPattern >> 52 & 0x7FF)
        var mantissa = number.bitPattern & (1 << 52 - 1)
        if exponent == 0 { exponent += 1 } else { mantissa |= 1 << 52 }
        exponent -= 1023
        if mantissa == 0 { exponent = 0 }
        mantissa <<= 60 - 52
        while mantissa != 0 && mantissa & (1 << 60) == 0 {
            mantissa <<= 1
            exponent -= 1
        }
        if precision >= 0 && precision < 15 {
            let shift = UInt64(precision * 4)
            let extra = (mantissa << shift) & (1 << 60 - 1)
            mantissa >>= 60 - shift
            if extra | (mantissa & 1) > 1 << 59 { mantissa += 1 }
            mantissa <<= 60 - shift
            if mantissa & (1 << 61) != 0 {
                mantissa >>= 1
                exponent += 1
            }
        }
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var text: [UInt8] = number.sign == .minus ? [UInt8(ascii: "-")] : []
        text += [UInt8(ascii: "0"), UInt8(ascii: uppercase ? "X" : "x"), UInt8(ascii: "0") + UInt8(mantissa >> 60 & 1)]
        mantissa <<= 4
        if precision < 0 && mantissa != 0 {
            text.append(UInt8(ascii: "."))
            while mantissa != 0 {
                text.append(digits[Int(mantissa >> 60 & 15)])
                mantissa <<= 4
            }
        } else if precision > 0 {
            text.append(UInt8(ascii: "."))
            for _ in 0..<precision {
                text.append(digits[Int(mantissa >> 60 & 15)])
                mantissa <<= 4
            }
        }
        text.append(UInt8(ascii: uppercase ? "P" : "p"))
        text.append(UInt8(ascii: exponent < 0 ? "-" : "+"))
        let magnitude = String(abs(exponent))
        if magnitude.count < 2 { text.append(UInt8(ascii: "0")) }
        text += Array(magnitude.utf8)
        return text
    }

    /// The `#` flag: always a decimal point, and for `%g` the trailing zeros kept.
    private static func applySharp(_ text: [UInt8], verb: Unicode.Scalar, precision: Int) -> [UInt8] {
        var digits = 0
        if verb == "v" || verb == "g" || verb == "G" {
            digits = precision == -1 ? 6 : precision
        }
        var body = text
        var tail: [UInt8] = []
        var hasPoint = false
        var sawNonzero = false
        var index = 1
        while index < body.count {
            let byte = body[index]
            if byte == UInt8(ascii: ".") {
                hasPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                tail = Array(body[index...])
                body = Array(body[..<index])
                break
            } else {
                if byte != UInt8(ascii: "0") { sawNonzero = true }
                if sawNonzero { digits -= 1 }
            }
            index += 1
        }
        if !hasPoint {
            if body.count == 2 && body[1] == UInt8(ascii: "0") { digits -= 1 }
            body.append(UInt8(ascii: "."))
        }
        if digits > 0 { body.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits)) }
        return body + tail
    }
}
