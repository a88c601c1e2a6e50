extension StringProtocol {
    /// The text without leading and trailing whitespace and line breaks (Unicode's, as
    /// `Character.isWhitespace` has them): what Go's `strings.TrimSpace` and Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` give, for code that does not
    /// import Foundation.
    public func trimmingWhitespace() -> SubSequence {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        return self[first...last]
    }
}
