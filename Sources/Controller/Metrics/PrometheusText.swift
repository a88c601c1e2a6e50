import Unstructured

/// The Prometheus text exposition format (version 0.0.4): `# HELP` and `# TYPE` lines,
/// then one sample per line, label values escaped as the format requires.
enum PrometheusText {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func header(_ name: String, help: String, type: String) -> String {
        "# HELP \(name) \(escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    static func sample(_ name: String, _ labels: [(String, String)], _ value: Double) -> String {
        let rendered = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        return "\(name)\(rendered) \(number(value))\n"
    }

    /// Integers without a fraction, infinities as `+Inf`, as Prometheus prints them.
    static func number(_ value: Double) -> String {
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabel(_ text: String) -> String {
        text.escapingScalars(["\\": "\\\\", "\"": "\\\"", "\n": "\\n"])
    }

    /// Help text escapes backslash and line feed only.
    static func escapeHelp(_ text: String) -> String {
        text.escapingScalars(["\\": "\\\\", "\n": "\\n"])
    }
}
