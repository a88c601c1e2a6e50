import GoTemplate
import Unstructured

/// sprig's regular expression functions over Swift's `Regex`, with Go's conventions:
/// `(?P<name>…)` groups, `$1`/`${name}` replacement templates, and Go's rule that an
/// empty match right after a previous match does not count.
extension Sprig {
    static func regexFunctions() -> FunctionLibrary {
        var library: FunctionLibrary = [
            "regexMatch": .init(arity: 2) { a, _ in
                guard let regex = try? GoRegex(try a.string(0)) else { return false }
                return .bool(regex.matches(in: try a.string(1), limit: 1).isEmpty == false)
            },
            "mustRegexMatch": .init(arity: 2) { a, _ in
                do {
                    return .bool(try GoRegex(try a.string(0)).matches(in: try a.string(1), limit: 1).isEmpty == false)
                } catch let error as GoRegex.CompileError {
                    throw FunctionError(error.parseMessage)
                }
            },
            "regexQuoteMeta": .init(arity: 1) { a, _ in .string(GoRegex.quoteMeta(try a.string(0))) },
        ]
        for must in [false, true] {
            let prefix = must ? "must" : ""
            let compile: @Sendable (String) throws -> GoRegex = { pattern in
                do {
                    return try GoRegex(pattern)
                } catch let error as GoRegex.CompileError {
                    // sprig's plain forms panic in regexp.MustCompile; the must forms return the parse error.
                    throw FunctionError(must ? error.parseMessage : "regexp: Compile(`\(pattern)`): \(error.parseMessage)")
                }
            }
            library[prefix + (must ? "RegexFind" : "regexFind")] = .init(arity: 2) { a, _ in
                let text = try a.string(1)
                return .string(try compile(try a.string(0)).matches(in: text, limit: 1).first.map { GoRegex.substring(text, $0.range) } ?? "")
            }
            library[prefix + (must ? "RegexFindAll" : "regexFindAll")] = .init(arity: 3) { a, _ in
                let text = try a.string(1)
                let matches = try compile(try a.string(0)).matches(in: text, limit: try a.int(2))
                return .list(matches.map { .string(GoRegex.substring(text, $0.range)) })
            }
            library[prefix + (must ? "RegexReplaceAll" : "regexReplaceAll")] = .init(arity: 3) { a, _ in
                .string(try compile(try a.string(0)).replace(in: try a.string(1), with: try a.string(2), literal: false))
            }
            library[prefix + (must ? "RegexReplaceAllLiteral" : "regexReplaceAllLiteral")] = .init(arity: 3) { a, _ in
                .string(try compile(try a.string(0)).replace(in: try a.string(1), with: try a.string(2), literal: true))
            }
            library[prefix + (must ? "RegexSplit" : "regexSplit")] = .init(arity: 3) { a, _ in
                .list(try compile(try a.string(0)).split(try a.string(1), limit: try a.int(2)).map(Value.string))
            }
        }
        return library
    }
}

/// A compiled Go-syntax regular expression, matched on Unicode scalars as Go matches runes.
struct GoRegex {
    /// A pattern Go's syntax or Swift's engine refuses; the messages follow Go's `regexp` wording.
    struct CompileError: Error {
        let pattern: String
        var parseMessage: String { "error parsing regexp: invalid or unsupported syntax: `\(pattern)`" }
    }

    typealias Match = Regex<AnyRegexOutput>.Match

    private let expression: Regex<AnyRegexOutput>
    /// Go's `Split` gives an empty text one empty part, unless the pattern is empty too.
    private let isEmptyPattern: Bool

    init(_ pattern: String) throws {
        isEmptyPattern = pattern.isEmpty
        do {
            // `\b` is Go's ASCII word boundary.
            expression = try Regex(try GoRegexSyntax.translate(pattern)).matchingSemantics(.unicodeScalar)
                .wordBoundaryKind(.simple).asciiOnlyWordCharacters()
        } catch {
            throw CompileError(pattern: pattern)
        }
    }

    /// Matches left to right, at most `limit` of them (all when negative), skipping empty
    /// matches that touch the end of the previous match.
    func matches(in text: String, limit: Int) -> [Match] {
        guard limit != 0 else { return [] }
        var results: [Match] = []
        var previousEnd: String.Index?
        for match in text.matches(of: expression) {
            if match.range.isEmpty, match.range.lowerBound == previousEnd { continue }
            results.append(match)
            previousEnd = match.range.upperBound
            if limit > 0, results.count == limit { break }
        }
        return results
    }

    /// The text of `range`, which may split a grapheme cluster as Go's rune matching may.
    static func substring(_ text: String, _ range: Range<String.Index>) -> String {
        String(text.unicodeScalars[range])
    }

    func replace(in text: String, with template: String, literal: Bool) -> String {
        var out = String.UnicodeScalarView()
        var cursor = text.startIndex
        for match in matches(in: text, limit: -1) {
            out.append(contentsOf: text.unicodeScalars[cursor..<match.range.lowerBound])
            out.append(contentsOf: (literal ? template : expand(template, match: match, in: text)).unicodeScalars)
            cursor = match.range.upperBound
        }
        out.append(contentsOf: text.unicodeScalars[cursor...])
        return String(out)
    }

    /// Go's `Regexp.Expand`: `$name` takes the longest run of letters, digits and `_`;
    /// `${name}` is explicit; `$$` is a dollar; an unknown group expands to nothing.
    private func expand(_ template: String, match: Match, in text: String) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            let name: Substring
            if rest.first == "{" {
                guard let close = rest.firstIndex(of: "}"), close > rest.index(after: rest.startIndex) else {
                    out += "$"
                    continue
                }
                name = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") || !$0.isASCII } ?? rest.endIndex
                guard end > rest.startIndex else {
                    out += "$"
                    continue
                }
                name = rest[..<end]
                rest = rest[end...]
            }
            let group = Int(name).flatMap { $0 < match.output.count ? match.output[$0] : nil } ?? match.output[String(name)]
            if let range = group?.range { out += Self.substring(text, range) }
        }
        return out + rest
    }

    /// Go's `Regexp.Split`.
    func split(_ text: String, limit: Int) -> [String] {
        guard limit != 0 else { return [] }
        if text.isEmpty && !isEmptyPattern { return [""] }
        var parts: [String] = []
        var begin = text.startIndex
        var end = text.startIndex
        for match in matches(in: text, limit: limit) {
            if limit > 0, parts.count == limit - 1 { break }
            end = match.range.lowerBound
            if match.range.upperBound != text.startIndex { parts.append(Self.substring(text, begin..<end)) }
            begin = match.range.upperBound
        }
        if end != text.endIndex { parts.append(Self.substring(text, begin..<text.endIndex)) }
        return parts
    }

    /// Go's `regexp.QuoteMeta`.
    static func quoteMeta(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\.+*?()|[]{}^$".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
