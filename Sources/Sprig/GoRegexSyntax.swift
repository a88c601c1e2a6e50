/// Rewrites a Go (RE2) pattern into the syntax of Swift's `Regex` where the two read the
/// same text differently, so a chart's pattern matches what it matches under Helm:
/// - `\d`, `\s`, `\w` and the POSIX classes (`[[:alpha:]]`) are ASCII-only in Go;
/// - `.` excludes only `\n` in Go, while Swift's excludes every line break, and in
///   multi-line mode Go's `$` is before `\n` only;
/// - `\v` is the vertical tab in Go, any vertical space in Swift;
/// - `\pL` (a one-letter property name) is Go's, Swift wants `\p{L}`;
/// - `\101` is an octal escape in Go, a backreference in Swift; Go has no backreferences;
/// - `{` that does not start a valid repetition (`{,2}`, `{x}`) is a literal in Go, and so
///   are `[`, `&&` and `~~` inside a class, where Swift reads nested classes and set operations.
enum GoRegexSyntax {
    struct Unsupported: Error {}

    /// Go's Perl classes, as the characters they stand for inside brackets.
    private static let perlClasses: [Character: String] = ["d": "0-9", "s": "\\t\\n\\f\\r ", "w": "0-9A-Za-z_"]

    /// Go's ASCII POSIX classes, likewise.
    private static let posixClasses: [String: String] = [
        "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x{0}-\\x{7F}", "blank": "\\t ",
        "cntrl": "\\x{0}-\\x{1F}\\x{7F}", "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~",
        "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\x{B}\\f\\r ", "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
    ]

    static func translate(_ pattern: String) throws -> String {
        let characters = Array(pattern)
        // Flags are taken as set for the whole pattern when any group sets them: with `(?s)`,
        // `.` is left to Swift, whose dot then also matches everything.
        let dotMatchesNewline = pattern.contains(/\(\?[imsU]*s/)
        let multiline = pattern.contains(/\(\?[imsU]*m/)
        var out = ""
        var index = 0
        var inClass = false
        func next() -> Character? { index + 1 < characters.count ? characters[index + 1] : nil }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\\":
                guard let escaped = next() else { throw Unsupported() }
                index += 2
                try out += escape(escaped, inClass: inClass, characters: characters, index: &index)
                continue
            case "[" where !inClass:
                inClass = true
                out.append("[")
                if next() == "^" { out.append("^"); index += 1 }
                // A `]` first in a class is a literal, and so is a `:` (Swift would read `[:alpha:]` as a POSIX class).
                if next() == "]" { out += "\\]"; index += 1 } else if next() == ":" { out += "\\:"; index += 1 }
            case "[":
                // Inside a class, `[:name:]` is a POSIX class and any other `[` a literal
                // (Swift would read a nested class).
                let rest = String(characters[(index + 1)...])
                guard next() == ":", let close = rest.dropFirst().firstRange(of: ":]") else {
                    out += "\\["
                    break
                }
                let name = String(rest[rest.index(after: rest.startIndex)..<close.lowerBound])
                out += posixClasses[name] ?? "[:" + name + ":]"
                index += 1 + rest.distance(from: rest.startIndex, to: close.upperBound)
                continue
            case "&" where inClass, "~" where inClass:
                // Literals in Go; doubled, Swift's set operators.
                out += "\\" + String(character)
            case "]" where inClass:
                inClass = false
                out.append("]")
            case "." where !inClass && !dotMatchesNewline:
                out += "[^\\n]"
            case "$" where !inClass && multiline:
                out += "(?=\\n|\\z)"
            case "{" where !inClass:
                let rest = String(characters[(index + 1)...])
                out += rest.prefixMatch(of: /[0-9]+(,[0-9]*)?\}/) == nil ? "\\{" : "{"
            default:
                out.append(character)
            }
            index += 1
        }
        return out
    }

    /// The Swift spelling of Go's escape `\escaped`; `index` is past it and moves past any
    /// further characters the escape takes (octal digits, `\Q…\E` text).
    private static func escape(_ escaped: Character, inClass: Bool, characters: [Character], index: inout Int) throws -> String {
        if let ranges = perlClasses[escaped] {
            return inClass ? ranges : "[" + ranges + "]"
        }
        if let ranges = perlClasses[Character(escaped.lowercased())], escaped.isUppercase, !inClass {
            return "[^" + ranges + "]"
        }
        switch escaped {
        case "p", "P":
            guard index < characters.count else { throw Unsupported() }
            guard characters[index] == "{" else {
                index += 1
                return "\\" + String(escaped) + "{" + String(characters[index - 1]) + "}"
            }
            guard let close = characters[index...].firstIndex(of: "}") else { throw Unsupported() }
            defer { index = close + 1 }
            return "\\" + String(escaped) + String(characters[index...close])
        case "0"..."7":
            // Go reads up to three octal digits, and a lone `\1`…`\7` is a backreference it refuses.
            var digits = String(escaped)
            while digits.count < 3, index < characters.count, ("0"..."7").contains(characters[index]) {
                digits.append(characters[index])
                index += 1
            }
            guard escaped == "0" || digits.count > 1, let code = Int(digits, radix: 8) else { throw Unsupported() }
            return "\\x{" + String(code, radix: 16) + "}"
        case "v":
            return "\\x{B}"
        case "8", "9":
            throw Unsupported()
        case "Q":
            // Literal text up to `\E`, each character escaped so that a repetition after
            // `\E` applies to the last one, as in Go.
            let rest = characters[index...]
            let end = rest.indices.first { rest[$0] == "\\" && $0 + 1 < characters.count && characters[$0 + 1] == "E" }
            index = end.map { $0 + 2 } ?? characters.count
            return rest[..<(end ?? characters.count)].map { #"\.+*?()|[]{}^$-&~:"#.contains($0) ? "\\" + String($0) : String($0) }.joined()
        default:
            return "\\" + String(escaped)
        }
    }
}
