import GoTemplate
import Unstructured

/// `semver` and `semverCompare` with Masterminds semver v3 semantics: versions may be
/// partial ("1.2", "v1"), constraints support `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `^`,
/// wildcards, hyphen ranges, `,`/space for "and" and `||` for "or", and a version with a
/// prerelease only satisfies constraints that carry a prerelease themselves.
extension Sprig {
    static func semverFunctions() -> FunctionLibrary {
        [
            "semver": .init(arity: 1) { a, _ in
                guard let version = SemanticVersion(try a.string(0)) else { throw FunctionError("Invalid Semantic Version") }
                return .object(SemverObject(version))
            },
            "semverCompare": .init(arity: 2) { a, _ in
                let constraint = try SemverConstraint(try a.string(0))
                guard let version = SemanticVersion(try a.string(1)) else { throw FunctionError("Invalid Semantic Version") }
                return .bool(constraint.isSatisfied(by: version))
            },
        ]
    }
}

struct SemanticVersion: Comparable, Sendable {
    var major: Int, minor: Int, patch: Int
    var prerelease: String
    var metadata: String
    var original: String

    /// Parses a possibly partial version with an optional `v`; nil when malformed.
    init?(_ text: String) {
        guard let parsed = SemanticVersion.parse(text, allowWildcards: false) else { return nil }
        self = parsed.version
    }

    init(major: Int, minor: Int, patch: Int, prerelease: String, metadata: String, original: String) {
        (self.major, self.minor, self.patch) = (major, minor, patch)
        (self.prerelease, self.metadata, self.original) = (prerelease, metadata, original)
    }

    /// How many leading parts were wildcards or missing: 0 none, 1 patch, 2 minor, 3 major.
    typealias Parsed = (version: SemanticVersion, dirty: Int)

    static func parse(_ text: String, allowWildcards: Bool) -> Parsed? {
        var rest = Substring(text)
        if rest.first == "v" { rest = rest.dropFirst() }
        var metadata = ""
        if let plus = rest.firstIndex(of: "+") {
            metadata = String(rest[rest.index(after: plus)...])
            rest = rest[..<plus]
            guard isIdentifierList(metadata) else { return nil }
        }
        var prerelease = ""
        if let dash = rest.firstIndex(of: "-") {
            prerelease = String(rest[rest.index(after: dash)...])
            rest = rest[..<dash]
            guard isIdentifierList(prerelease) else { return nil }
            for part in prerelease.split(separator: ".") where part.count > 1 && part.first == "0" && part.allSatisfy(\.isNumber) {
                return nil
            }
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        var dirty = 3 - parts.count
        for (index, part) in parts.enumerated() {
            if allowWildcards, part == "x" || part == "X" || part == "*" {
                dirty = max(dirty, 3 - index)
                numbers.append(0)
                continue
            }
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(part) else { return nil }
            numbers.append(dirty >= 3 - index ? 0 : number)
        }
        while numbers.count < 3 { numbers.append(0) }
        let version = SemanticVersion(major: numbers[0], minor: numbers[1], patch: numbers[2],
                                      prerelease: prerelease, metadata: metadata, original: text)
        return (version, allowWildcards ? dirty : 0)
    }

    private static func isIdentifierList(_ text: String) -> Bool {
        !text.isEmpty && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    var description: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease) + (metadata.isEmpty ? "" : "+" + metadata)
    }

    static func == (a: SemanticVersion, b: SemanticVersion) -> Bool { compare(a, b) == 0 }
    static func < (a: SemanticVersion, b: SemanticVersion) -> Bool { compare(a, b) < 0 }

    /// Semantic Versioning 2.0 precedence; build metadata is ignored.
    static func compare(_ a: SemanticVersion, _ b: SemanticVersion) -> Int {
        for (x, y) in [(a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)] where x != y {
            return x < y ? -1 : 1
        }
        switch (a.prerelease.isEmpty, b.prerelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): break
        }
        let left = a.prerelease.split(separator: "."), right = b.prerelease.split(separator: ".")
        for (x, y) in zip(left, right) where x != y {
            switch (Int(x), Int(y)) {
            case let (m?, n?): return m < n ? -1 : 1
            case (.some, nil): return -1
            case (nil, .some): return 1
            case (nil, nil): return Go.less(String(x), String(y)) ? -1 : 1
            }
        }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }
}

/// A parsed constraint: alternatives (`||`) of conjunctions.
struct SemverConstraint {
    enum Operator: String { case equal = "=", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<=", tilde = "~", caret = "^" }

    struct Term {
        var op: Operator
        var version: SemanticVersion
        /// 0: exact; 1: patch is a wildcard; 2: minor too; 3: everything.
        var dirty: Int
    }

    var alternatives: [[Term]]

    init(_ text: String) throws {
        alternatives = try text.split(separator: "||", omittingEmptySubsequences: false).map { alternative in
            try Self.terms(String(alternative).trimmingGoSpace(), whole: text)
        }
    }

    private static let operators: [(String, Operator)] = [
        ("!=", .notEqual), (">=", .greaterOrEqual), ("=>", .greaterOrEqual), ("<=", .lessOrEqual), ("=<", .lessOrEqual),
        ("~>", .tilde), ("=", .equal), (">", .greater), ("<", .less), ("~", .tilde), ("^", .caret),
    ]

    /// Splits one alternative into terms, rewriting "A - B" as ">= A, <= B".
    private static func terms(_ text: String, whole: String) throws -> [Term] {
        var tokens = text.replacing(",", with: " ").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var index = 0
        var result: [Term] = []
        // Operators may stand apart from their version ("> 1.2").
        var merged: [String] = []
        while index < tokens.count {
            if operators.contains(where: { $0.0 == tokens[index] }), index + 1 < tokens.count {
                merged.append(tokens[index] + tokens[index + 1])
                index += 2
            } else {
                merged.append(tokens[index])
                index += 1
            }
        }
        tokens = merged
        index = 0
        while index < tokens.count {
            if index + 2 < tokens.count, tokens[index + 1] == "-" {
                result.append(try term(">=" + tokens[index], whole: whole))
                result.append(try term("<=" + tokens[index + 2], whole: whole))
                index += 3
            } else {
                result.append(try term(tokens[index], whole: whole))
                index += 1
            }
        }
        guard !result.isEmpty else { throw FunctionError("improper constraint: \(whole)") }
        return result
    }

    private static func term(_ token: String, whole: String) throws -> Term {
        var op = Operator.equal
        var versionText = Substring(token)
        if let (spelling, found) = operators.first(where: { token.hasPrefix($0.0) }) {
            op = found
            versionText = versionText.dropFirst(spelling.count)
        }
        guard let (version, dirty) = SemanticVersion.parse(String(versionText), allowWildcards: true) else {
            throw FunctionError("improper constraint: \(whole)")
        }
        return Term(op: op, version: version, dirty: dirty)
    }

    func isSatisfied(by version: SemanticVersion) -> Bool {
        alternatives.contains { terms in terms.allSatisfy { $0.isSatisfied(by: version) } }
    }
}

extension SemverConstraint.Term {
    func isSatisfied(by v: SemanticVersion) -> Bool {
        let c = version
        // Masterminds exempts only an exact "!=" from its rule that prereleases need a prerelease constraint.
        if op != .notEqual || dirty > 0, !v.prerelease.isEmpty, c.prerelease.isEmpty { return false }
        let majorDirty = dirty >= 3, minorDirty = dirty >= 2, patchDirty = dirty >= 1
        switch op {
        case .equal:
            return dirty == 0 ? v == c : withinWildcard(v)
        case .notEqual:
            return dirty == 0 ? v != c : !withinWildcard(v)
        case .greater:
            if dirty == 0 { return v > c }
            if majorDirty { return false }
            if minorDirty { return v.major > c.major }
            return v.major > c.major || (v.major == c.major && v.minor > c.minor)
        case .less:
            return v < c
        case .greaterOrEqual:
            return v >= c
        case .lessOrEqual:
            if dirty == 0 { return v <= c }
            if majorDirty { return true }
            if minorDirty { return v.major <= c.major }
            return v.major < c.major || (v.major == c.major && v.minor <= c.minor)
        case .tilde:
            if v < c { return false }
            if majorDirty { return true }
            if v.major != c.major { return false }
            return minorDirty || v.minor == c.minor
        case .caret:
            if v < c { return false }
            if c.major > 0 || minorDirty { return v.major == c.major }
            if v.major > 0 { return false }
            if c.minor > 0 || patchDirty { return v.minor == c.minor }
            if v.minor > 0 { return false }
            return v.patch == c.patch
        }
    }

    /// Whether `v` lies in the range a wildcard version names ("1.2.x" → 1.2.*).
    private func withinWildcard(_ v: SemanticVersion) -> Bool {
        if dirty >= 3 { return true }
        if v.major != version.major { return false }
        if dirty >= 2 { return true }
        return v.minor == version.minor
    }
}

/// The object `semver` returns, with the fields and methods of Masterminds' `*Version`.
final class SemverObject: HostObject {
    let version: SemanticVersion
    init(_ version: SemanticVersion) { self.version = version }

    var typeName: String { "*semver.Version" }
    var representation: Value { .string(version.description) }

    func field(_ name: String) -> Value? {
        switch name {
        case "Major": .int(version.major)
        case "Minor": .int(version.minor)
        case "Patch": .int(version.patch)
        case "Prerelease": .string(version.prerelease)
        case "Metadata": .string(version.metadata)
        case "Original": .string(version.original)
        case "String": .string(version.description)
        default: nil
        }
    }

    func method(_ name: String) -> HostMethod? {
        if let value = field(name) { return { _ in value } }
        let comparison: (@Sendable (Int) -> Bool)? = switch name {
        case "LessThan": { $0 < 0 }
        case "GreaterThan": { $0 > 0 }
        case "Equal": { $0 == 0 }
        default: nil
        }
        if let comparison {
            return { [version] arguments in
                guard case let .object(other as SemverObject)? = arguments.first else {
                    throw FunctionError("\(name) needs a *semver.Version argument")
                }
                return .bool(comparison(SemanticVersion.compare(version, other.version)))
            }
        }
        if name == "Compare" {
            return { [version] arguments in
                guard case let .object(other as SemverObject)? = arguments.first else {
                    throw FunctionError("Compare needs a *semver.Version argument")
                }
                return .int(SemanticVersion.compare(version, other.version))
            }
        }
        return nil
    }
}
