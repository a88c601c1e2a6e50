extension StringProtocol {
    /// The text cut or padded with trailing spaces to exactly `width` characters, so
    /// columns of a plain-text table line up: what Foundation's
    /// `padding(toLength:withPad: " ", startingAt: 0)` gives for the ASCII names and states
    /// those tables hold, for code that does not import Foundation.
    public func fitted(toWidth width: Int) -> String {
        let cut = prefix(Swift.max(0, width))
        return String(cut) + String(repeating: " ", count: Swift.max(0, width - cut.count))
    }
}
