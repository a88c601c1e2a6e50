extension StringProtocol {
    /// The text with every Unicode scalar that `escapes` has a key for replaced by its
    /// value. It matches scalars, not `Character`s, so the line feed of a `\r\n` cluster is
    /// escaped too: what quoting for line-based formats (Prometheus, Graphviz) needs.
    public func escapingScalars(_ escapes: [Unicode.Scalar: String]) -> String {
        var escaped = ""
        for scalar in unicodeScalars {
            if let escape = escapes[scalar] { escaped += escape } else { escaped.unicodeScalars.append(scalar) }
        }
        return escaped
    }
}
