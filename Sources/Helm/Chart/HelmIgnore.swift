import Unstructured

/// The rules of a `.helmignore` file: which files of a chart folder are left out.
///
/// Each non-blank line not starting with `#` is a pattern in `filepath.Match` syntax.
/// A pattern containing `/` matches the path from the chart root (a leading `/` anchors
/// it there too); one without matches the base name only; a trailing `/` matches folders
/// only. Helm gives `!pattern` an unusual meaning which we keep for compatibility: a path
/// that does *not* match a negated pattern is ignored. `**` is not supported, as in Helm.
struct HelmIgnore: Sendable {
    static let fileName = ".helmignore"
    /// Helm always ignores hidden files in `templates/`.
    static let defaults = HelmIgnore(rules: [Rule(pattern: "templates/.?*", negated: false, directoryOnly: false, anchored: true)])

    struct Rule: Sendable {
        let pattern: String
        let negated: Bool
        let directoryOnly: Bool
        /// Matched against the whole path rather than the base name.
        let anchored: Bool

        func matches(_ path: String) -> Bool {
            let subject = anchored ? path : String(path.split(separator: "/").last ?? "")
            return Glob(pattern, style: .filepath).matches(subject)
        }
    }

    private(set) var rules: [Rule]

    init(rules: [Rule]) { self.rules = rules }

    init(text: String) throws(ChartError) {
        rules = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(rawLine.trimmingWhitespace())
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("**") {
                throw ChartError(".helmignore:\(index + 1): double-star (**) syntax is not supported")
            }
            let negated = line.hasPrefix("!")
            if negated { line.removeFirst() }
            let directoryOnly = line.hasSuffix("/")
            if directoryOnly { line.removeLast() }
            let anchored = line.contains("/")
            if line.hasPrefix("/") { line.removeFirst() }
            guard Glob.isValid(line, style: .filepath) else {
                throw ChartError(".helmignore:\(index + 1): syntax error in pattern \"\(rawLine)\"")
            }
            rules.append(Rule(pattern: line, negated: negated, directoryOnly: directoryOnly, anchored: anchored))
        }
    }

    func addingDefaults() -> HelmIgnore { HelmIgnore(rules: rules + Self.defaults.rules) }

    func ignores(_ path: String, isDirectory: Bool) -> Bool {
        if path.isEmpty || path == "." { return false }
        for rule in rules {
            if rule.negated {
                if rule.directoryOnly && !isDirectory { return true }
                if !rule.matches(path) { return true }
                continue
            }
            if rule.directoryOnly && !isDirectory { continue }
            if rule.matches(path) { return true }
        }
        return false
    }
}
