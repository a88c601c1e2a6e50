/// A shell-style pattern over `/`-separated paths.
///
/// Two dialects exist in Helm and both are needed: `filepath.Match` for `.helmignore`
/// and `--show-only` (`*`, `?`, `[a-z]`, `[^a]`, `\` escapes), and gobwas/glob for
/// `.Files.Glob`, which adds `**` (crossing `/`), `{a,b}` alternatives and `[!a]`.
/// In both, `*` and `?` never match `/`.
struct Glob: Sendable {
    enum Style: Sendable { case filepath, files }

    private let pattern: [Character]
    private let style: Style

    init(_ pattern: String, style: Style) {
        self.pattern = Array(pattern)
        self.style = style
    }

    /// Whether the pattern is well formed (balanced brackets and braces, no dangling escape).
    static func isValid(_ pattern: String, style: Style) -> Bool {
        let characters = Array(pattern)
        var index = 0
        var braces = 0
        while index < characters.count {
            switch characters[index] {
            case "\\":
                if index + 1 >= characters.count { return false }
                index += 1
            case "[":
                guard let end = classEnd(characters[...], from: index) else { return false }
                index = end
            case "{" where style == .files: braces += 1
            case "}" where style == .files:
                braces -= 1
                if braces < 0 { return false }
            default: break
            }
            index += 1
        }
        return braces == 0
    }

    func matches(_ text: String) -> Bool {
        match(pattern[...], Array(text)[...])
    }

    private func match(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        let rest = pattern.dropFirst()
        switch first {
        case "*":
            if style == .files, rest.first == "*" {
                let after = rest.dropFirst()
                for split in text.indices + [text.endIndex] where match(after, text[split...]) { return true }
                return false
            }
            var split = text.startIndex
            while true {
                if match(rest, text[split...]) { return true }
                if split == text.endIndex || text[split] == "/" { return false }
                split += 1
            }
        case "?":
            guard let character = text.first, character != "/" else { return false }
            return match(rest, text.dropFirst())
        case "[":
            guard let character = text.first, character != "/",
                let end = Self.classEnd(pattern, from: pattern.startIndex)
            else { return false }
            guard classContains(pattern[(pattern.startIndex + 1)..<end], character) else { return false }
            return match(pattern[(end + 1)...], text.dropFirst())
        case "{" where style == .files:
            guard let (alternatives, after) = alternatives(pattern) else { return false }
            return alternatives.contains { match($0 + after, text) }
        case "\\":
            guard let escaped = rest.first, text.first == escaped else { return false }
            return match(rest.dropFirst(), text.dropFirst())
        default:
            guard text.first == first else { return false }
            return match(rest, text.dropFirst())
        }
    }

    /// The index of the `]` closing the class that opens at `start`.
    static func classEnd(_ pattern: ArraySlice<Character>, from start: Int) -> Int? {
        var index = start + 1
        if index < pattern.endIndex, pattern[index] == "^" || pattern[index] == "!" { index += 1 }
        if index < pattern.endIndex, pattern[index] == "]" { index += 1 }
        while index < pattern.endIndex {
            if pattern[index] == "\\" { index += 2; continue }
            if pattern[index] == "]" { return index }
            index += 1
        }
        return nil
    }

    private func classContains(_ body: ArraySlice<Character>, _ character: Character) -> Bool {
        var items = Array(body)
        var negated = false
        if let first = items.first, first == "^" || (first == "!" && style == .files) {
            negated = true
            items.removeFirst()
        }
        var found = false
        var index = 0
        while index < items.count {
            var low = items[index]
            if low == "\\", index + 1 < items.count { index += 1; low = items[index] }
            var high = low
            if index + 2 < items.count, items[index + 1] == "-" {
                high = items[index + 2]
                if high == "\\", index + 3 < items.count { index += 1; high = items[index + 2] }
                index += 2
            }
            if low <= character && character <= high { found = true }
            index += 1
        }
        return found != negated
    }

    /// Splits `{a,b}rest` into its alternatives and what follows the closing brace.
    private func alternatives(_ pattern: ArraySlice<Character>) -> ([ArraySlice<Character>], ArraySlice<Character>)? {
        var depth = 0
        var options: [ArraySlice<Character>] = []
        var start = pattern.startIndex + 1
        var index = start
        while index < pattern.endIndex {
            switch pattern[index] {
            case "\\": index += 1
            case "{": depth += 1
            case "}" where depth > 0: depth -= 1
            case "}":
                options.append(pattern[start..<index])
                return (options, pattern[(index + 1)...])
            case "," where depth == 0:
                options.append(pattern[start..<index])
                start = index + 1
            default: break
            }
            index += 1
        }
        return nil
    }
}
