/// The case conversions of sprig's string functions, rune by rune as Go's `unicode` does.
enum TextCase {
    /// `strings.Title`: upper-case the first letter after every separator.
    static func title(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            out.append(contentsOf: isTitleSeparator(previous) ? upper(scalar) : [scalar])
            previous = scalar
        }
        return String(out)
    }

    /// Lower-cases the first letter of every whitespace-separated word.
    static func untitle(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var atWordStart = true
        for scalar in text.unicodeScalars {
            if scalar.isGoSpace {
                atWordStart = true
                out.append(scalar)
            } else {
                out.append(contentsOf: atWordStart ? lower(scalar) : [scalar])
                atWordStart = false
            }
        }
        return String(out)
    }

    /// Upper case becomes lower and lower becomes upper; title-case letters become lower.
    static func swapped(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isUppercase || properties.generalCategory == .titlecaseLetter {
                out.append(contentsOf: lower(scalar))
            } else if properties.isLowercase {
                out.append(contentsOf: upper(scalar))
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `xstrings.ToCamelCase`: connectors (`_`, `-`, spaces) are dropped and the letter
    /// after them upper-cased, other letters lower-cased; leading connectors and all but
    /// the last of a run of connectors stay.
    static func camel(_ text: String) -> String {
        var scalars = text.unicodeScalars[...]
        var out = String.UnicodeScalarView()
        while let first = scalars.first, isConnector(first) {
            out.append(first)
            scalars = scalars.dropFirst()
        }
        guard let first = scalars.first else { return String(out) }
        var previous = first
        var pending: [Unicode.Scalar] = upper(first)
        for scalar in scalars.dropFirst() {
            if isConnector(scalar) && isConnector(previous) {
                out.append(previous)
            } else if isConnector(previous) {
                pending = upper(scalar)
            } else {
                out.append(contentsOf: pending)
                pending = isConnector(scalar) ? [scalar] : lower(scalar)
            }
            previous = scalar
        }
        if !isConnector(previous) || text.unicodeScalars.count == 1 { out.append(contentsOf: pending) }
        return String(out)
    }

    /// `xstrings.ToSnakeCase` / `ToKebabCase`: camel-case words and digit runs become
    /// lower-case words joined by `separator`; every connector becomes one separator and
    /// other punctuation stays as it is.
    static func separated(_ text: String, by separator: Unicode.Scalar) -> String {
        let tokens = tokenize(text)
        var out = String.UnicodeScalarView()
        var previous: Token?
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .connector:
                out.append(separator)
            case .punctuation:
                out.append(contentsOf: token.scalars)
            case .word, .number:
                if let previous, previous.kind == .word || previous.kind == .number,
                   needsSeparator(between: previous, and: token, next: index + 1 < tokens.count ? tokens[index + 1] : nil)
                {
                    out.append(separator)
                }
                for scalar in token.scalars { out.append(contentsOf: lower(scalar)) }
            }
            previous = token
        }
        return String(out)
    }

    private struct Token {
        enum Kind { case word, number, connector, punctuation }
        var kind: Kind
        var scalars: [Unicode.Scalar]
        var isLowerWord: Bool { kind == .word && scalars.allSatisfy { !$0.properties.isUppercase } }
    }

    /// A number joins the word before it unless lower-case letters follow it
    /// ("Bld4Floor" → bld4_floor, "a1b" → a_1b); a word after a number starts a new word
    /// unless it is lower case.
    private static func needsSeparator(between previous: Token, and token: Token, next: Token?) -> Bool {
        switch (previous.kind, token.kind) {
        case (.word, .number): return next?.isLowerWord ?? false
        case (.number, .word): return !token.isLowerWord
        default: return true
        }
    }

    /// Splits into words at case changes ("HTTPServer" → HTTP, Server), digit runs,
    /// single connectors and runs of other punctuation.
    private static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isConnector(scalar) {
                tokens.append(Token(kind: .connector, scalars: [scalar]))
                index += 1
            } else if scalar.properties.numericType != nil {
                var end = index
                while end < scalars.count, scalars[end].properties.numericType != nil { end += 1 }
                tokens.append(Token(kind: .number, scalars: Array(scalars[index..<end])))
                index = end
            } else if scalar.properties.isAlphabetic {
                var end = index + 1
                let startsUpper = scalar.properties.isUppercase
                if startsUpper {
                    // An upper-case run: the last capital starts the next word if a lower-case letter follows.
                    while end < scalars.count, scalars[end].properties.isUppercase { end += 1 }
                    if end < scalars.count, scalars[end].properties.isLowercase, end - index > 1 {
                        end -= 1
                    } else {
                        while end < scalars.count, scalars[end].properties.isLowercase { end += 1 }
                    }
                } else {
                    while end < scalars.count, scalars[end].properties.isAlphabetic, !scalars[end].properties.isUppercase { end += 1 }
                }
                tokens.append(Token(kind: .word, scalars: Array(scalars[index..<end])))
                index = end
            } else {
                var end = index + 1
                while end < scalars.count, !isConnector(scalars[end]), !scalars[end].properties.isAlphabetic,
                      scalars[end].properties.numericType == nil { end += 1 }
                tokens.append(Token(kind: .punctuation, scalars: Array(scalars[index..<end])))
                index = end
            }
        }
        return tokens
    }

    private static func isConnector(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar == "-" || scalar.isGoSpace
    }

    /// `strings.Title`'s separators: ASCII other than letters, digits and `_`, and white space.
    private static func isTitleSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let isWordCharacter = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
            return !isWordCharacter
        }
        if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return false }
        return scalar.isGoSpace
    }

    /// One-to-one case mappings, as Go's `unicode.ToUpper` (no "ß" → "SS").
    private static func upper(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let mapped = scalar.properties.uppercaseMapping.unicodeScalars
        return mapped.count == 1 ? Array(mapped) : [scalar]
    }

    private static func lower(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let mapped = scalar.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? Array(mapped) : [scalar]
    }
}
