/// A YAML document that could not be read: where (1-based line and column of `source`) and
/// what was wrong.
///
/// `message` is libyaml's or go-yaml's own wording ("mapping values are not allowed in this
/// context"), so it reads like Helm's; `goText` is the whole line go-yaml v2 would print,
/// including its line-number quirks, for callers that must reproduce Helm's output exactly.
public struct YAMLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file name or other label the text came from.
    public let source: String
    /// 1-based line of the problem.
    public let line: Int
    /// 1-based column (in bytes) of the problem.
    public let column: Int
    /// What was wrong, without position.
    public let message: String
    /// go-yaml v2's error text for the same input (`yaml: line 2: did not find expected key`).
    /// go-yaml counts lines oddly (0-based for parser errors, omitted on the first line); this
    /// keeps those numbers because Helm prints them. Helm puts `error converting YAML to JSON: `
    /// in front; that prefix is the caller's. For keys sigs.k8s.io/yaml cannot convert (null,
    /// beyond int64) the wording is ours, not Go's `%#v` dump of the key.
    public let goText: String

    public init(source: String, line: Int, column: Int, message: String, goText: String? = nil) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        self.goText = goText ?? "yaml: " + message
    }

    public var description: String { "\(source):\(line):\(column): \(message)" }
}

/// How a YAML reader represents numbers.
public enum NumberStyle: Sendable {
    /// Integers stay `.int`; what manifests, kubeconfigs and API objects need.
    case exact
    /// Every number becomes `.float`, because Helm reads values through sigs.k8s.io/yaml,
    /// which goes YAML → JSON → `interface{}` and so makes every number a float64 (that is
    /// why Helm prints 1000000 as `1e+06`). Infinities and NaN are errors in this style, as
    /// JSON cannot hold them.
    case helm
}
