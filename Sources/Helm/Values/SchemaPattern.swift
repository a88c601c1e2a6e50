/// A JSON-schema `pattern` (or `patternProperties` key), matched anywhere in a string as
/// ICU's `NSRegularExpression` matched it when this module used Foundation. Swift `Regex`
/// reads nearly the same syntax; where real patterns meet a difference, the pattern is
/// rewritten: ICU's `$` also matches before a line terminator that ends the text
/// (`^[a-z]+$` accepts a YAML block scalar's "abc\n") as Swift's `\Z` does, while Swift's
/// `$` matches only at the very end; and ICU takes a "]" that opens a class as a member.
enum SchemaPattern {
    /// A pattern that cannot be compiled is not held against the values.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        guard let expression = try? Regex(swiftSyntax(pattern)) else { return true }
        return (try? expression.firstMatch(in: text)) != nil
    }

    /// `pattern` as Swift reads ICU's: every end-of-text `$` written `\Z`, and a class's
    /// leading "]" escaped. A `$` escaped, in a character class or inside `\Q...\E` is a
    /// literal and stays; in a pattern that turns on multi-line mode (`(?m)`) `$` means
    /// line ends, which Swift's `$` matches as ICU's does, so it stays too.
    static func swiftSyntax(_ pattern: String) -> String {
        let endOfText = turnsOnMultiline(pattern) ? "$" : "\\Z"
        var translated = ""
        var index = pattern.startIndex
        var classDepth = 0
        while index < pattern.endIndex {
            let character = pattern[index]
            index = pattern.index(after: index)
            switch character {
            case "\\" where index < pattern.endIndex:
                let escaped = pattern[index]
                index = pattern.index(after: index)
                translated += "\\\(escaped)"
                if escaped == "Q" {
                    let end = pattern[index...].firstRange(of: "\\E")?.upperBound ?? pattern.endIndex
                    translated += pattern[index..<end]
                    index = end
                }
            case "[":
                classDepth += 1
                translated.append(character)
                // A "]" right after "[" or "[^" is a member for ICU, and an error for Swift
                // unless escaped.
                if pattern[index...].hasPrefix("^") {
                    translated.append("^")
                    index = pattern.index(after: index)
                }
                if index < pattern.endIndex, pattern[index] == "]" {
                    translated += "\\]"
                    index = pattern.index(after: index)
                }
            case "]" where classDepth > 0:
                classDepth -= 1
                translated.append(character)
            case "$" where classDepth == 0:
                translated += endOfText
            default:
                translated.append(character)
            }
        }
        return translated
    }

    /// Whether an inline option group (`(?m)`, `(?im:...)`, `(?sm-x)`) turns on `m`.
    private static func turnsOnMultiline(_ pattern: String) -> Bool {
        var rest = pattern[...]
        while let start = rest.firstRange(of: "(?") {
            let flags = rest[start.upperBound...].prefix { $0.isLetter }
            if flags.contains("m") { return true }
            rest = rest[start.upperBound...]
        }
        return false
    }
}
