import Unstructured

/// A structural OpenAPI v3 schema, the single definition from which both the CRD's
/// `openAPIV3Schema` and the operator's strict decoder are derived, so what the API
/// server accepts and what the operator accepts cannot drift apart.
///
/// Only the subset Kubernetes calls "structural" is expressible: every node has a type,
/// objects list their properties, and free-form maps say so explicitly.
public struct Schema: Sendable {
    public indirect enum Kind: Sendable {
        case boolean
        case integer(minimum: Int?)
        case string(allowed: [String]?, format: String?)
        /// A closed object: fields not listed are errors.
        case object([Property], required: [String])
        /// An open map of arbitrary content (Helm values): `x-kubernetes-preserve-unknown-fields`.
        case freeForm
        case list(Schema, mapKeys: [String]?)
    }

    public struct Property: Sendable {
        public let name: String
        public let schema: Schema
        public init(_ name: String, _ schema: Schema) {
            self.name = name
            self.schema = schema
        }
    }

    public let kind: Kind
    public let description: String
    /// Filled in when the field is absent or null, as the API server's defaulting does.
    public let defaultValue: Value?

    public init(_ kind: Kind, _ description: String, default defaultValue: Value? = nil) {
        self.kind = kind
        self.description = description
        self.defaultValue = defaultValue
    }

    public static func boolean(_ description: String, default value: Bool) -> Schema {
        Schema(.boolean, description, default: .bool(value))
    }

    public static func string(_ description: String, allowed: [String]? = nil, format: String? = nil) -> Schema {
        Schema(.string(allowed: allowed, format: format), description)
    }

    public static func integer(_ description: String, minimum: Int? = nil) -> Schema {
        Schema(.integer(minimum: minimum), description)
    }

    /// A closed object that defaults to `{}`, so the defaults of its fields apply even when
    /// the user leaves the whole object out (the API server defaults nested fields only
    /// inside objects that exist).
    public static func object(_ description: String, required: [String] = [], defaultEmpty: Bool = true,
                              _ properties: [Property]) -> Schema {
        Schema(.object(properties, required: required), description, default: defaultEmpty ? .map([:]) : nil)
    }

    public static func freeForm(_ description: String) -> Schema {
        Schema(.freeForm, description, default: .map([:]))
    }

    public static func list(_ description: String, of items: Schema, mapKeys: [String]? = nil) -> Schema {
        Schema(.list(items, mapKeys: mapKeys), description)
    }
}

// MARK: - OpenAPI

extension Schema {
    /// The schema as the CRD's `openAPIV3Schema` (or one of its properties) spells it.
    public var openAPI: Value {
        var node: Value.Map = [:]
        switch kind {
        case .boolean:
            node["type"] = "boolean"
        case let .integer(minimum):
            node["type"] = "integer"
            if let minimum { node["minimum"] = .int(minimum) }
        case let .string(allowed, format):
            node["type"] = "string"
            if let format { node["format"] = .string(format) }
            if let allowed { node["enum"] = .list(allowed.map(Value.string)) }
        case let .object(properties, required):
            node["type"] = "object"
            if !properties.isEmpty {
                node["properties"] = .map(Value.Map(uniqueKeysWithValues: properties.map { ($0.name, $0.schema.openAPI) }))
            }
            if !required.isEmpty { node["required"] = .list(required.map(Value.string)) }
        case .freeForm:
            node["type"] = "object"
            node["x-kubernetes-preserve-unknown-fields"] = true
        case let .list(items, mapKeys):
            node["type"] = "array"
            node["items"] = items.openAPI
            if let mapKeys {
                node["x-kubernetes-list-type"] = "map"
                node["x-kubernetes-list-map-keys"] = .list(mapKeys.map(Value.string))
            }
        }
        node["description"] = .string(description)
        if let defaultValue { node["default"] = defaultValue }
        return .map(node)
    }
}

// MARK: - Strict decoding

extension Schema {
    /// Checks `value` against the schema and returns it with defaults filled in. Every
    /// problem is appended to `issues` (not thrown) so one pass reports all of them.
    /// A null is treated as absent, as the API server prunes nulls before defaulting.
    public func decode(_ value: Value, at path: FieldPath, issues: inout [SpecIssue]) -> Value {
        switch (kind, value) {
        case (.boolean, .bool), (.freeForm, .map):
            return value
        case let (.integer(minimum), .int(number)):
            if let minimum, number < minimum {
                issues.append(SpecIssue(path, "must be at least \(minimum), got \(number)"))
            }
            return value
        case let (.integer(minimum), .float(number)) where number.rounded() == number && abs(number) < 9e15:
            return Schema(.integer(minimum: minimum), description).decode(.int(Int(number)), at: path, issues: &issues)
        case let (.string(allowed, _), .string(text)):
            if let allowed, !allowed.contains(text) {
                issues.append(SpecIssue(path, "unsupported value \"\(text)\"; expected one of: \(allowed.joined(separator: ", "))"))
            }
            return value
        case let (.object(properties, required), .map(fields)):
            return .map(decodeObject(fields, properties: properties, required: required, at: path, issues: &issues))
        case let (.list(items, _), .list(elements)):
            return .list(elements.enumerated().map { items.decode($1, at: path.appending(index: $0), issues: &issues) })
        default:
            issues.append(SpecIssue(path, "expected \(expectedName), got \(value.kindName)"))
            return value
        }
    }

    private func decodeObject(_ fields: Value.Map, properties: [Property], required: [String],
                              at path: FieldPath, issues: inout [SpecIssue]) -> Value.Map {
        let known = Set(properties.map(\.name))
        for key in fields.keys where !known.contains(key) {
            issues.append(SpecIssue(path.appending(key), "unknown field",
                                    fix: "remove it; known fields here: \(properties.map(\.name).joined(separator: ", "))"))
        }
        var result: Value.Map = [:]
        for property in properties {
            let fieldPath = path.appending(property.name)
            let given = fields[property.name] ?? .null
            if !given.isNull {
                result[property.name] = property.schema.decode(given, at: fieldPath, issues: &issues)
            } else if let fallback = property.schema.defaultValue {
                result[property.name] = property.schema.decode(fallback, at: fieldPath, issues: &issues)
            } else if required.contains(property.name) {
                issues.append(SpecIssue(fieldPath, "required field is missing"))
            }
        }
        return result
    }

    /// What the schema expects, for "expected X, got Y" messages.
    var expectedName: String {
        switch kind {
        case .boolean: "a boolean"
        case .integer: "an integer"
        case .string: "a string"
        case .object, .freeForm: "a map"
        case .list: "a list"
        }
    }
}
