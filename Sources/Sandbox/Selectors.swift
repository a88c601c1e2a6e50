import FoundationEssentials
import Unstructured

/// A label selector in the query-string syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`.
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }
    var requirements: [Requirement] = []

    static func parse(_ text: String) throws(APIError) -> LabelSelector {
        var selector = LabelSelector()
        for clause in splitTopLevel(text) {
            let part = clause.trimmingSpaces()
            if part.isEmpty { continue }
            if let range = part.firstRange(of: " notin ") {
                selector.requirements.append(.notIn(part[..<range.lowerBound].trimmingSpaces(),
                                                    try values(part[range.upperBound...], whole: text)))
            } else if let range = part.firstRange(of: " in ") {
                selector.requirements.append(.isIn(part[..<range.lowerBound].trimmingSpaces(),
                                                   try values(part[range.upperBound...], whole: text)))
            } else if let range = part.firstRange(of: "!=") {
                selector.requirements.append(.notEquals(part[..<range.lowerBound].trimmingSpaces(),
                                                        part[range.upperBound...].trimmingSpaces()))
            } else if let range = part.firstRange(of: "==") ?? part.firstRange(of: "=") {
                selector.requirements.append(.equals(part[..<range.lowerBound].trimmingSpaces(),
                                                     part[range.upperBound...].trimmingSpaces()))
            } else if part.hasPrefix("!") {
                selector.requirements.append(.doesNotExist(part.dropFirst().trimmingSpaces()))
            } else {
                selector.requirements.append(.exists(part))
            }
        }
        return selector
    }

    /// From a `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`), as workloads carry.
    init(object: Value) {
        for (key, value) in object["matchLabels"].mapValue ?? [:] {
            requirements.append(.equals(key, value.stringValue ?? ""))
        }
        for expression in object["matchExpressions"].listValue ?? [] {
            let key = expression["key"].stringValue ?? ""
            let values = Set(expression["values"].listValue?.compactMap(\.stringValue) ?? [])
            switch expression["operator"].stringValue {
            case "In": requirements.append(.isIn(key, values))
            case "NotIn": requirements.append(.notIn(key, values))
            case "Exists": requirements.append(.exists(key))
            case "DoesNotExist": requirements.append(.doesNotExist(key))
            default: break
            }
        }
    }

    init() {}

    init(matchLabels: [String: String]) {
        requirements = matchLabels.sorted { $0.key < $1.key }.map { .equals($0.key, $0.value) }
    }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case let .equals(key, value): labels[key] == value
            case let .notEquals(key, value): labels[key] != value
            case let .isIn(key, values): labels[key].map(values.contains) ?? false
            case let .notIn(key, values): !(labels[key].map(values.contains) ?? false)
            case let .exists(key): labels[key] != nil
            case let .doesNotExist(key): labels[key] == nil
            }
        }
    }

    /// `app=x,tier=web`, as Scale.status.selector prints a selector.
    var text: String {
        requirements.map { requirement in
            switch requirement {
            case let .equals(key, value): "\(key)=\(value)"
            case let .notEquals(key, value): "\(key)!=\(value)"
            case let .isIn(key, values): "\(key) in (\(values.sorted().joined(separator: ",")))"
            case let .notIn(key, values): "\(key) notin (\(values.sorted().joined(separator: ",")))"
            case let .exists(key): key
            case let .doesNotExist(key): "!\(key)"
            }
        }.joined(separator: ",")
    }

    private static func values(_ text: Substring, whole: String) throws(APIError) -> Set<String> {
        let trimmed = text.trimmingSpaces()
        guard trimmed.hasPrefix("("), trimmed.hasSuffix(")") else {
            throw APIError.badRequest("unable to parse requirement: found '\(trimmed)', expected: '('")
        }
        return Set(trimmed.dropFirst().dropLast().split(separator: ",").map { $0.trimmingSpaces() })
    }

    /// Splits on commas that are not inside parentheses.
    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 { parts.append(current); current = "" } else { current.append(character) }
        }
        parts.append(current)
        return parts
    }
}

/// A field selector: `metadata.name=x,status.phase!=Running`. Each resource supports only a few fields.
struct FieldSelector: Sendable {
    var requirements: [(field: String, value: String, equal: Bool)] = []

    static func parse(_ text: String, type: ResourceType) throws(APIError) -> FieldSelector {
        var selector = FieldSelector()
        let supported = supportedFields(type)
        for part in text.split(separator: ",") {
            let clause = String(part)
            let equal: Bool
            let pieces: [Substring]
            if clause.contains("!=") {
                equal = false
                pieces = clause.split(separator: "!=", maxSplits: 1, omittingEmptySubsequences: false).map { $0 }
            } else {
                equal = true
                let cleaned = clause.replacing("==", with: "=")
                pieces = cleaned.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            }
            guard pieces.count == 2 else { throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(clause)'") }
            let field = String(pieces[0])
            guard supported.contains(field) else {
                let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
                throw APIError.badRequest("\"\(field)\" is not a known field selector: only \(list)")
            }
            selector.requirements.append((field, String(pieces[1]), equal))
        }
        return selector
    }

    static func supportedFields(_ type: ResourceType) -> [String] {
        var fields = ["metadata.name", "metadata.namespace"]
        switch (type.group, type.resource) {
        case ("", "pods"): fields += ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                                      "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName"]
        case ("", "secrets"): fields += ["type"]
        case ("", "events"), ("events.k8s.io", "events"):
            fields += ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                       "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                       "reason", "reportingComponent", "source", "type"]
        case ("", "namespaces"): fields += ["status.phase"]
        case ("apps", "replicasets"), ("", "replicationcontrollers"): fields += ["status.replicas"]
        case ("batch", "jobs"): fields += ["status.successful"]
        default: break
        }
        return fields
    }

    func matches(_ object: Value) -> Bool {
        requirements.allSatisfy { requirement in
            let path = requirement.field.split(separator: ".").map(String.init)
            let actual: String
            switch object[path: path] {
            case let .string(s): actual = s
            case let .int(i): actual = String(i)
            default: actual = ""
            }
            return (actual == requirement.value) == requirement.equal
        }
    }
}
