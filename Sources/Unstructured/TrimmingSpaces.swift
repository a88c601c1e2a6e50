extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (Unicode's space separators and
    /// U+0009): Foundation's `trimmingCharacters(in: .whitespaces)`. Unlike
    /// `trimmingWhitespace()`, line breaks stay, for code whose results must not change when
    /// it leaves Foundation (label selectors, header values, the CLI's tables).
    public func trimmingSpaces() -> String {
        let scalars = Substring(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isSpaceOrTab }),
              let last = scalars.lastIndex(where: { !$0.isSpaceOrTab }) else { return "" }
        return String(Substring(scalars[first...last]))
    }
}

extension Unicode.Scalar {
    fileprivate var isSpaceOrTab: Bool { self == "\t" || properties.generalCategory == .spaceSeparator }
}
