import Unstructured

/// The contents of `Chart.yaml` (and, for `apiVersion: v1` charts, the dependencies of
/// `requirements.yaml`).
public struct ChartMetadata: Sendable, Equatable {
    public var apiVersion: String
    public var name: String
    public var version: String
    public var appVersion: String
    public var kubeVersion: String
    public var description: String
    public var type: String
    public var home: String
    public var icon: String
    public var condition: String
    public var tags: String
    public var deprecated: Bool
    public var keywords: [String]
    public var sources: [String]
    public var maintainers: [Value]
    public var annotations: [String: String]
    public var dependencies: [ChartDependency]

    public init(apiVersion: String = "v2", name: String, version: String) {
        self.apiVersion = apiVersion
        self.name = name
        self.version = version
        appVersion = ""; kubeVersion = ""; description = ""; type = ""; home = ""; icon = ""
        condition = ""; tags = ""; deprecated = false
        keywords = []; sources = []; maintainers = []; annotations = [:]; dependencies = []
    }

    /// Reads `Chart.yaml`. Helm reads it into typed Go fields through sigs.k8s.io/yaml, so
    /// a number or boolean written where a string belongs becomes its text (`appVersion:
    /// 1.0` reads as "1"), and every string field is stripped of control characters.
    public init(document: Value, source: String) throws(ChartError) {
        guard let map = document.mapValue else {
            throw ChartError("\(source): expected a map, found \(document.kindName)")
        }
        func text(_ key: String) -> String { sanitized(scalarText(map[key] ?? .null)) }
        func texts(_ key: String) -> [String] { (map[key]?.listValue ?? []).map { sanitized(scalarText($0)) } }

        // NOTE: the chart specification requires `apiVersion`, but Helm 2 accepted charts
        // without it and Helm 3 reads them as v1 charts; so do we.
        self.init(apiVersion: text("apiVersion").isEmpty ? "v1" : text("apiVersion"), name: text("name"), version: text("version"))
        appVersion = text("appVersion")
        kubeVersion = text("kubeVersion")
        description = text("description")
        type = text("type")
        home = text("home")
        icon = text("icon")
        condition = text("condition")
        tags = text("tags")
        deprecated = map["deprecated"]?.boolValue ?? false
        keywords = texts("keywords")
        sources = texts("sources")
        maintainers = map["maintainers"]?.listValue ?? []
        for (key, value) in map["annotations"]?.mapValue ?? [:] { annotations[key] = scalarText(value) }
        dependencies = try Self.dependencies(map["dependencies"], source: source)
        try validate(source: source)
    }

    static func dependencies(_ value: Value?, source: String) throws(ChartError) -> [ChartDependency] {
        guard let value, !value.isNull else { return [] }
        guard let list = value.listValue else {
            throw ChartError("\(source): dependencies: expected a list, found \(value.kindName)")
        }
        var result: [ChartDependency] = []
        for (index, entry) in list.enumerated() {
            guard let map = entry.mapValue else {
                throw ChartError("\(source): dependencies[\(index)]: expected a map, found \(entry.kindName)")
            }
            result.append(ChartDependency(map))
        }
        return result
    }

    /// The checks of Helm's `Metadata.Validate` that matter before rendering.
    func validate(source: String) throws(ChartError) {
        if apiVersion.isEmpty { throw ChartError("validation: chart.metadata.apiVersion is required") }
        if name.isEmpty { throw ChartError("validation: chart.metadata.name is required") }
        if name.contains("/") || name.contains("\\") || name == "." || name == ".." {
            throw ChartError("validation: chart.metadata.name \"\(name)\" is invalid")
        }
        if version.isEmpty { throw ChartError("validation: chart.metadata.version is required") }
        if !type.isEmpty && type != "application" && type != "library" {
            throw ChartError("validation: chart.metadata.type must be application or library")
        }
        for dependency in dependencies where dependency.name.isEmpty {
            throw ChartError("validation: dependencies must have a name (\(source))")
        }
        for dependency in dependencies where !dependency.alias.isEmpty {
            let allowed = dependency.alias.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            if !allowed {
                throw ChartError("validation: dependency \"\(dependency.name)\" has disallowed characters in the alias")
            }
        }
    }
}

/// One entry of `dependencies`: which subchart, whether it is enabled, under which name
/// it appears, and which of its values the parent imports.
public struct ChartDependency: Sendable, Equatable {
    public var name: String
    public var version: String
    public var repository: String
    public var condition: String
    public var tags: [String]
    public var alias: String
    /// Either strings (a key under the child's `exports`) or `{child, parent}` maps.
    public var importValues: [Value]
    public var enabled: Bool

    public init(name: String, version: String = "", alias: String = "", condition: String = "", tags: [String] = [], importValues: [Value] = []) {
        self.name = name
        self.version = version
        self.repository = ""
        self.condition = condition
        self.tags = tags
        self.alias = alias
        self.importValues = importValues
        self.enabled = true
    }

    init(_ map: Value.Map) {
        self.init(
            name: sanitized(scalarText(map["name"] ?? .null)),
            version: scalarText(map["version"] ?? .null),
            alias: scalarText(map["alias"] ?? .null),
            condition: sanitized(scalarText(map["condition"] ?? .null)),
            tags: (map["tags"]?.listValue ?? []).map { sanitized(scalarText($0)) },
            importValues: map["import-values"]?.listValue ?? [])
        repository = scalarText(map["repository"] ?? .null)
        enabled = map["enabled"]?.boolValue ?? true
    }

    /// The name the subchart's values and templates appear under.
    public var effectiveName: String { alias.isEmpty ? name : alias }
}

/// The text of a scalar read into a Go string field through sigs.k8s.io/yaml: strings as
/// they are, integers in decimal, floats in Go's shortest `%g` at 32-bit precision,
/// booleans as `true`/`false`, null as empty.
func scalarText(_ value: Value) -> String {
    switch value {
    case let .string(s): return s
    case let .int(i): return String(i)
    case let .bool(b): return b ? "true" : "false"
    case let .float(d): return shortFloatText(Float(d))
    default: return ""
    }
}

/// Go's `strconv.FormatFloat(x, 'g', -1, 32)`: shortest digits, exponent form when the
/// exponent is below -4 or at least 6.
private func shortFloatText(_ number: Float) -> String {
    if number.isNaN { return "NaN" }
    if number.isInfinite { return number < 0 ? "-Inf" : "+Inf" }
    if number == 0 { return number.sign == .minus ? "-0" : "0" }
    // Swift's description holds the shortest round-tripping digits; take them apart.
    var text = "\(abs(number))"
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        exponent = Int(text[text.index(after: e)...]) ?? 0
        text = String(text[..<e])
    }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let integerPart = String(parts[0]), fractionPart = parts.count > 1 ? String(parts[1]) : ""
    var digits = integerPart + fractionPart
    var pointPosition = integerPart.count + exponent
    while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); pointPosition -= 1 }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    let decimalExponent = pointPosition - 1
    let sign = number < 0 ? "-" : ""
    if decimalExponent < -4 || decimalExponent >= 6 {
        let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
        let magnitude = abs(decimalExponent)
        return "\(sign)\(mantissa)e\(decimalExponent < 0 ? "-" : "+")\(magnitude < 10 ? "0" : "")\(magnitude)"
    }
    if pointPosition <= 0 { return sign + "0." + String(repeating: "0", count: -pointPosition) + digits }
    if pointPosition >= digits.count { return sign + digits + String(repeating: "0", count: pointPosition - digits.count) }
    let split = digits.index(digits.startIndex, offsetBy: pointPosition)
    return sign + digits[..<split] + "." + digits[split...]
}

/// Helm replaces whitespace by spaces and drops unprintable characters in metadata.
func sanitized(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        if scalar.properties.isWhitespace {
            result.unicodeScalars.append(" ")
        } else if scalar.value >= 0x20 && scalar.value != 0x7f && !(0x80..<0xa0).contains(scalar.value) {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}

/// A chart that cannot be loaded or does not satisfy Helm's rules.
public struct ChartError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
