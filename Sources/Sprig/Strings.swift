import GoTemplate
import Unstructured

/// sprig's string functions. Lengths and offsets count bytes, as Go's string slicing does.
extension Sprig {
    static func stringFunctions(entropy: any EntropySource) -> FunctionLibrary {
        var library: FunctionLibrary = [
            "upper": .init(arity: 1) { a, _ in .string(try a.string(0).uppercased()) },
            "lower": .init(arity: 1) { a, _ in .string(try a.string(0).lowercased()) },
            "title": .init(arity: 1) { a, _ in .string(TextCase.title(try a.string(0))) },
            "untitle": .init(arity: 1) { a, _ in .string(TextCase.untitle(try a.string(0))) },
            "swapcase": .init(arity: 1) { a, _ in .string(TextCase.swapped(try a.string(0))) },
            "snakecase": .init(arity: 1) { a, _ in .string(TextCase.separated(try a.string(0), by: "_")) },
            "kebabcase": .init(arity: 1) { a, _ in .string(TextCase.separated(try a.string(0), by: "-")) },
            "camelcase": .init(arity: 1) { a, _ in .string(TextCase.camel(try a.string(0))) },
            "trim": .init(arity: 1) { a, _ in .string(try a.string(0).trimmingGoSpace()) },
            "trimAll": .init(arity: 2) { a, _ in .string(trim(try a.string(1), cutset: try a.string(0))) },
            "trimSuffix": .init(arity: 2) { a, _ in
                let (suffix, text) = (try a.string(0), try a.string(1))
                let matches = text.utf8.reversed().starts(with: suffix.utf8.reversed())
                return .string(matches ? String(decoding: text.utf8.dropLast(suffix.utf8.count), as: UTF8.self) : text)
            },
            "trimPrefix": .init(arity: 2) { a, _ in
                let (prefix, text) = (try a.string(0), try a.string(1))
                let matches = text.utf8.starts(with: prefix.utf8)
                return .string(matches ? String(decoding: text.utf8.dropFirst(prefix.utf8.count), as: UTF8.self) : text)
            },
            "nospace": .init(arity: 1) { a, _ in
                .string(String(String.UnicodeScalarView(try a.string(0).unicodeScalars.filter { !$0.isGoSpace })))
            },
            "initials": .init(arity: 1) { a, _ in
                .string(String(try a.string(0).split(whereSeparator: { $0.unicodeScalars.allSatisfy(\.isGoSpace) }).compactMap(\.first)))
            },
            "repeat": .init(arity: 2) { a, _ in
                let count = try a.int(0)
                guard count >= 0 else { throw FunctionError("strings: negative Repeat count") }
                return .string(String(repeating: try a.string(1), count: count))
            },
            "substr": .init(arity: 3) { a, _ in .string(try substring(try a.string(2), start: try a.int(0), end: try a.int(1))) },
            "trunc": .init(arity: 2) { a, _ in .string(truncate(try a.string(1), to: try a.int(0))) },
            "abbrev": .init(arity: 2) { a, _ in
                let (width, text) = (try a.int(0), try a.string(1))
                return .string(width < 4 ? text : abbreviate(text, offset: 0, width: width))
            },
            "abbrevboth": .init(arity: 3) { a, _ in
                let (left, right, text) = (try a.int(0), try a.int(1), try a.string(2))
                return .string(right < 4 || (left > 0 && right < 7) ? text : abbreviate(text, offset: left, width: right))
            },
            "wrap": .init(arity: 2) { a, _ in .string(wrap(try a.string(1), width: try a.int(0), newline: "\n", breakLongWords: false)) },
            "wrapWith": .init(arity: 3) { a, _ in
                .string(wrap(try a.string(2), width: try a.int(0), newline: try a.string(1), breakLongWords: true))
            },
            "contains": .init(arity: 2) { a, _ in
                let (needle, haystack) = (try a.string(0), try a.string(1))
                return .bool(needle.isEmpty || haystack.utf8.firstRange(of: needle.utf8) != nil)
            },
            "hasPrefix": .init(arity: 2) { a, _ in .bool(try a.string(1).utf8.starts(with: try a.string(0).utf8)) },
            "hasSuffix": .init(arity: 2) { a, _ in .bool(try a.string(1).utf8.reversed().starts(with: try a.string(0).utf8.reversed())) },
            "quote": .init(atLeast: 0) { a, _ in .string(a.filter { !$0.isNull }.map { GoQuote.quote(Go.string($0)) }.joined(separator: " ")) },
            "squote": .init(atLeast: 0) { a, _ in .string(a.filter { !$0.isNull }.map { "'" + Go.string($0) + "'" }.joined(separator: " ")) },
            "cat": .init(atLeast: 0) { a, _ in .string(a.filter { !$0.isNull }.map(GoFormat.string).joined(separator: " ")) },
            "indent": .init(arity: 2) { a, _ in .string(indent(try a.string(1), by: try a.int(0))) },
            "nindent": .init(arity: 2) { a, _ in .string("\n" + indent(try a.string(1), by: try a.int(0))) },
            "replace": .init(arity: 3) { a, _ in
                .string(replaceAll(in: try a.string(2), try a.string(0), with: try a.string(1)))
            },
            "plural": .init(arity: 3) { a, _ in try a.int(2) == 1 ? .string(try a.string(0)) : .string(try a.string(1)) },
            "toString": .init(arity: 1) { a, _ in .string(Go.string(a[0])) },
            "toStrings": .init(arity: 1) { a, _ in .list(Go.strings(a[0]).map(Value.string)) },
            "split": .init(arity: 2) { a, _ in numbered(split(try a.string(1), separator: try a.string(0), limit: -1)) },
            "splitList": .init(arity: 2) { a, _ in .list(split(try a.string(1), separator: try a.string(0), limit: -1).map(Value.string)) },
            "splitn": .init(arity: 3) { a, _ in numbered(split(try a.string(2), separator: try a.string(0), limit: try a.int(1))) },
            "join": .init(arity: 2) { a, _ in .string(Go.strings(a[1]).joined(separator: try a.string(0))) },
            "sortAlpha": .init(arity: 1) { a, _ in
                let strings = a[0].listValue != nil ? Go.strings(a[0]) : [Go.string(a[0])]
                return .list(strings.sorted(by: Go.less).map(Value.string))
            },
            "randAlphaNum": randomString(.alphanumeric, entropy),
            "randAlpha": randomString(.letters, entropy),
            "randNumeric": randomString(.numeric, entropy),
            "randAscii": randomString(.ascii, entropy),
            "shuffle": .init(arity: 1) { a, _ in .string(String(entropy.shuffled(Array(try a.string(0))))) },
        ]
        library["trimall"] = library["trimAll"]
        return library
    }

    private static func randomString(_ alphabet: RandomAlphabet, _ entropy: any EntropySource) -> TemplateFunction {
        .init(arity: 1) { a, _ in .string(entropy.randomString(length: try a.int(0), from: alphabet)) }
    }

    /// `strings.Trim(text, cutset)`.
    static func trim(_ text: String, cutset: String) -> String {
        let cut = Set(cutset.unicodeScalars)
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !cut.contains($0) }),
              let last = scalars.lastIndex(where: { !cut.contains($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// sprig's `substr`: a negative start means from the beginning, a negative or too
    /// large end means to the end; other out-of-range offsets fail as Go's slicing does.
    static func substring(_ text: String, start: Int, end: Int) throws -> String {
        let bytes = Array(text.utf8)
        if start < 0 {
            guard end >= 0, end <= bytes.count else { throw Go.sliceBoundsError(start: nil, end: end, length: bytes.count) }
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
        if end < 0 || end > bytes.count {
            guard start <= bytes.count else { throw Go.sliceBoundsError(start: start, end: nil, length: bytes.count) }
            return String(decoding: bytes[start...], as: UTF8.self)
        }
        guard start <= end else { throw Go.sliceBoundsError(start: start, end: end, length: bytes.count) }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// sprig's `trunc`: the first `count` bytes, or for a negative count the last `-count`.
    static func truncate(_ text: String, to count: Int) -> String {
        let bytes = Array(text.utf8)
        if count < 0, -count < bytes.count {
            return String(decoding: bytes[(bytes.count + count)...], as: UTF8.self)
        }
        if count >= 0, count < bytes.count {
            return String(decoding: bytes[..<count], as: UTF8.self)
        }
        return text
    }

    /// Commons-lang style abbreviation with "..." markers: keep `width` bytes in all,
    /// starting near `offset`.
    static func abbreviate(_ text: String, offset requestedOffset: Int, width: Int) -> String {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, width >= 4 else { return bytes.isEmpty ? "" : text }
        if bytes.count <= width { return text }
        var offset = min(max(requestedOffset, 0), bytes.count)
        if bytes.count - offset < width - 3 { offset = bytes.count - (width - 3) }
        if offset <= 4 { return String(decoding: bytes[..<(width - 3)], as: UTF8.self) + "..." }
        guard width >= 7 else { return "" }
        if offset + width - 3 < bytes.count {
            return "..." + abbreviate(String(decoding: bytes[offset...], as: UTF8.self), offset: 0, width: width - 3)
        }
        return "..." + String(decoding: bytes[(bytes.count - (width - 3))...], as: UTF8.self)
    }

    /// Word wrapping at spaces; words longer than `width` are broken only when asked.
    static func wrap(_ text: String, width requestedWidth: Int, newline requestedNewline: String, breakLongWords: Bool) -> String {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return "" }
        let newline = Array((requestedNewline.isEmpty ? "\n" : requestedNewline).utf8)
        let width = max(requestedWidth, 1)
        let space = UInt8(ascii: " ")
        var output: [UInt8] = []
        var offset = 0
        while bytes.count - offset > width {
            if bytes[offset] == space { offset += 1; continue }
            let window = bytes[offset..<min(offset + width + 1, bytes.count)]
            if let spaceAt = window.lastIndex(of: space) {
                output += bytes[offset..<spaceAt] + newline
                offset = spaceAt + 1
            } else if breakLongWords {
                output += bytes[offset..<(offset + width)] + newline
                offset += width
            } else if let spaceAt = bytes[(offset + width)...].firstIndex(of: space) {
                output += bytes[offset..<spaceAt] + newline
                offset = spaceAt + 1
            } else {
                output += bytes[offset...]
                offset = bytes.count
            }
        }
        output += bytes[offset...]
        return String(decoding: output, as: UTF8.self)
    }

    static func indent(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: max(spaces, 0))
        return pad + replaceAll(in: text, "\n", with: "\n" + pad)
    }

    /// `strings.ReplaceAll`, including its rule that an empty `old` matches between runes.
    static func replaceAll(in text: String, _ old: String, with new: String) -> String {
        guard !old.isEmpty else {
            return new + text.unicodeScalars.map { String($0) + new }.joined()
        }
        let bytes = Array(text.utf8)
        let pattern = Array(old.utf8)
        let starts = occurrences(of: pattern, in: bytes)
        guard !starts.isEmpty else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + starts.count * (new.utf8.count - pattern.count))
        var copied = 0
        for start in starts {
            result.append(contentsOf: bytes[copied..<start])
            result.append(contentsOf: new.utf8)
            copied = start + pattern.count
        }
        result.append(contentsOf: bytes[copied...])
        return String(decoding: result, as: UTF8.self)
    }

    /// Where the non-overlapping occurrences of `pattern` (not empty) start in `bytes`, left
    /// to right, at most `limit` of them: Go's strings functions work on UTF-8 bytes, and
    /// so does this, without the cost of Foundation's UTF-16 search on Linux.
    static func occurrences(of pattern: [UInt8], in bytes: [UInt8], limit: Int = .max) -> [Int] {
        var starts: [Int] = []
        guard let first = pattern.first, pattern.count <= bytes.count else { return starts }
        var index = 0
        let last = bytes.count - pattern.count
        while index <= last && starts.count < limit {
            if bytes[index] == first && bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                starts.append(index)
                index += pattern.count
            } else {
                index += 1
            }
        }
        return starts
    }

    /// `strings.SplitN`: an empty separator splits into runes; limit 0 gives nothing,
    /// a negative limit everything.
    static func split(_ text: String, separator: String, limit: Int) -> [String] {
        guard limit != 0 else { return [] }
        var parts: [String]
        if separator.isEmpty {
            parts = text.unicodeScalars.map { String($0) }
            if limit > 0, parts.count > limit {
                parts = Array(parts[..<(limit - 1)]) + [parts[(limit - 1)...].joined()]
            }
            return parts
        }
        let bytes = Array(text.utf8)
        let pattern = Array(separator.utf8)
        parts = []
        var partStart = 0
        for start in occurrences(of: pattern, in: bytes, limit: limit < 0 ? .max : limit - 1) {
            parts.append(String(decoding: bytes[partStart..<start], as: UTF8.self))
            partStart = start + pattern.count
        }
        parts.append(String(decoding: bytes[partStart...], as: UTF8.self))
        return parts
    }

    /// sprig's `split`/`splitn` result: `{_0: first, _1: second, ...}`.
    private static func numbered(_ parts: [String]) -> Value {
        var map = Value.Map()
        for (index, part) in parts.enumerated() { map["_\(index)"] = .string(part) }
        return .map(map)
    }
}

extension Go {
    /// Go orders strings by their bytes.
    static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

extension Unicode.Scalar {
    /// `unicode.IsSpace`.
    var isGoSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: true
        default: value > 0xff && properties.isWhitespace
        }
    }
}

extension String {
    /// `strings.TrimSpace`.
    func trimmingGoSpace() -> String {
        let scalars = Array(unicodeScalars)
        guard let first = scalars.firstIndex(where: { !$0.isGoSpace }),
              let last = scalars.lastIndex(where: { !$0.isGoSpace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
