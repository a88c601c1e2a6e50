import FoundationEssentials
import Unstructured

/// The checks a real API server runs before storing: names (DNS-1123), custom resources against
/// their CRD's openAPIV3Schema (types, required, enum, bounds, with unknown fields pruned unless
/// preserved), and a few immutable fields.
enum Validation {
    static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let serviceNameMessage = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

    /// Kinds whose names must be DNS-1123 labels rather than subdomains.
    static let labelNamedResources: Set<StorageKey> = [
        StorageKey(group: "", resource: "namespaces"),
    ]
    /// RBAC and a few others accept any path segment name.
    static let freeNamedResources: Set<String> = ["rbac.authorization.k8s.io"]

    static func isLabel(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 63 else { return false }
        let bytes = Array(name.utf8)
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        guard alnum(bytes[0]), alnum(bytes[bytes.count - 1]) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 45 }
    }

    static func isSubdomain(_ name: String) -> Bool {
        name.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel(String($0)) }
    }

    static func validateName(_ object: Value, type: ResourceType) throws(APIError) {
        let name = object.name
        guard !name.isEmpty else {
            throw APIError.invalid(type, name: "", causes: [.required("metadata.name", "name or generateName is required")])
        }
        if freeNamedResources.contains(type.group) {
            guard !name.contains("/"), name != ".", name != ".." else {
                throw APIError.invalid(type, name: name, causes: [.invalid("metadata.name", value: "\"\(name)\"", "may not contain '/'")])
            }
            return
        }
        if type.storageKey == StorageKey(group: "", resource: "services") {
            let startsAlpha = name.first.map { $0 >= "a" && $0 <= "z" } ?? false
            guard isLabel(name), startsAlpha else {
                throw APIError.invalid(type, name: name, causes: [.invalid("metadata.name", value: "\"\(name)\"", serviceNameMessage)])
            }
            return
        }
        if labelNamedResources.contains(type.storageKey) {
            guard isLabel(name) else {
                throw APIError.invalid(type, name: name, causes: [.invalid("metadata.name", value: "\"\(name)\"", labelMessage)])
            }
            return
        }
        guard isSubdomain(name) else {
            throw APIError.invalid(type, name: name, causes: [.invalid("metadata.name", value: "\"\(name)\"", subdomainMessage)])
        }
        if type.custom == nil, type.kind == "CustomResourceDefinition" {
            try validateCRD(object, type: type)
        }
    }

    private static func validateCRD(_ crd: Value, type: ResourceType) throws(APIError) {
        let spec = crd["spec"]
        var causes: [FieldCause] = []
        let plural = spec["names"]["plural"].stringValue ?? ""
        let group = spec["group"].stringValue ?? ""
        if group.isEmpty { causes.append(.required("spec.group")) }
        if plural.isEmpty { causes.append(.required("spec.names.plural")) }
        if (spec["names"]["kind"].stringValue ?? "").isEmpty { causes.append(.required("spec.names.kind")) }
        if !plural.isEmpty, !group.isEmpty, crd.name != "\(plural).\(group)" {
            causes.append(.invalid("metadata.name", value: "\"\(crd.name)\"", "must be spec.names.plural+\".\"+spec.group"))
        }
        if (spec["versions"].listValue ?? []).isEmpty { causes.append(.required("spec.versions", "must have exactly one version marked as storage version")) }
        if !causes.isEmpty { throw APIError.invalid(type, name: crd.name, causes: causes) }
    }

    /// Validates and prunes a custom resource; other kinds pass through.
    static func admit(_ object: Value, type: ResourceType, fieldValidation: String?,
                      warnings: inout [String]) throws(APIError) -> Value {
        guard let schema = type.custom?.schema else { return object }
        var causes: [FieldCause] = []
        var pruned: [String] = []
        var result = object
        var body = object.mapValue ?? [:]
        let metadata = body.removeValue(forKey: "metadata")
        let apiVersion = body.removeValue(forKey: "apiVersion")
        let kind = body.removeValue(forKey: "kind")
        let defaulted = SchemaDefaults.apply(.map(body), schema: schema)
        var checked = SchemaValidator.validate(defaulted, schema: schema, path: "", causes: &causes, pruned: &pruned)
        if case var .map(map) = checked {
            map["apiVersion"] = apiVersion
            map["kind"] = kind
            map["metadata"] = metadata
            checked = .map(map)
        }
        if !causes.isEmpty { throw APIError.invalid(type, name: object.name, causes: causes) }
        if fieldValidation == "Strict", !pruned.isEmpty {
            let fields = pruned.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
            throw APIError.badRequest("\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): strict decoding error: \(fields)")
        }
        warnings.append(contentsOf: pruned.map { "unknown field \"\($0)\"" })
        result = ObjectShape.sortedKeys(checked)
        return result
    }

    /// Immutable fields of built-in kinds that charts are known to trip over.
    static func checkUpdate(old: Value, new: Value, type: ResourceType) throws(APIError) {
        if type.group == "apps", ["deployments", "statefulsets", "daemonsets", "replicasets"].contains(type.resource),
           !old["spec"]["selector"].isNull, old["spec"]["selector"] != new["spec"]["selector"] {
            throw APIError.invalid(type, name: old.name, causes: [
                .invalid("spec.selector", value: BodyCodec.encodeString(new["spec"]["selector"]), "field is immutable"),
            ])
        }
        if type.group == "batch", type.resource == "jobs", old["spec"]["template"] != new["spec"]["template"],
           !old["spec"]["template"].isNull {
            throw APIError.invalid(type, name: old.name, causes: [
                .invalid("spec.template", value: BodyCodec.encodeString(new["spec"]["template"]), "field is immutable"),
            ])
        }
    }
}

/// Structural defaulting, as kube-apiserver runs it on every write and on every read from storage:
/// a property is defaulted, then defaulting descends into it too, so `spec: {default: {}}` comes
/// out with its nested defaults on the very first write (otherwise the next write would see them
/// appear as a spec change and bump generation). A null where the schema allows none is dropped
/// first, so its default applies.
enum SchemaDefaults {
    static func apply(_ value: Value, schema: Value) -> Value {
        switch value {
        case var .map(map):
            let properties = schema["properties"].mapValue ?? [:]
            for (key, childSchema) in properties {
                if map[key]?.isNull == true, childSchema["nullable"].boolValue != true { map.removeValue(forKey: key) }
                if map[key] == nil, !childSchema["default"].isNull { map[key] = childSchema["default"] }
            }
            let additional = schema["additionalProperties"]
            for (key, child) in map {
                if let childSchema = properties[key] {
                    map[key] = apply(child, schema: childSchema)
                } else if case .map = additional {
                    map[key] = apply(child, schema: additional)
                }
            }
            return .map(map)
        case let .list(items):
            let itemSchema = schema["items"]
            guard case .map = itemSchema else { return value }
            return .list(items.map { apply($0, schema: itemSchema) })
        default:
            return value
        }
    }
}

/// openAPIV3Schema structural validation with the real server's messages.
enum SchemaValidator {
    static func validate(_ value: Value, schema: Value, path: String, causes: inout [FieldCause],
                         pruned: inout [String]) -> Value {
        if value.isNull, schema["nullable"].boolValue == true { return value }
        if schema["x-kubernetes-int-or-string"].boolValue == true {
            switch value {
            case .int, .string: return value
            default:
                causes.append(typeCause(path, value, "integer-or-string"))
                return value
            }
        }
        let type = schema["type"].stringValue
        if let type, !matches(value, type: type) {
            causes.append(typeCause(path, value, type))
            return value
        }
        if let allowed = schema["enum"].listValue, !allowed.isEmpty, !allowed.contains(value) {
            let list = allowed.map(BodyCodec.encodeString).joined(separator: ", ")
            causes.append(FieldCause(reason: "FieldValueNotSupported",
                                     message: "Unsupported value: \(BodyCodec.encodeString(value)): supported values: \(list)",
                                     field: path))
        }
        if let number = value.numberValue {
            let shown = BodyCodec.encodeString(value)
            if let maximum = schema["maximum"].numberValue, number > maximum {
                causes.append(.invalid(path, value: shown, "\(path) in body should be less than or equal to \(BodyCodec.encodeString(schema["maximum"]))"))
            }
            if let minimum = schema["minimum"].numberValue, number < minimum {
                causes.append(.invalid(path, value: shown, "\(path) in body should be greater than or equal to \(BodyCodec.encodeString(schema["minimum"]))"))
            }
        }
        if let text = value.stringValue {
            if let maxLength = schema["maxLength"].intValue, text.count > maxLength {
                causes.append(FieldCause(reason: "FieldValueTooLong", message: "Too long: may not be more than \(maxLength) bytes", field: path))
            }
            if let minLength = schema["minLength"].intValue, text.count < minLength {
                causes.append(.invalid(path, value: "\"\(text)\"", "\(path) in body should be at least \(minLength) chars long"))
            }
        }
        switch value {
        case let .map(map):
            let properties = schema["properties"].mapValue ?? [:]
            let additional = schema["additionalProperties"]
            let preserve = schema["x-kubernetes-preserve-unknown-fields"].boolValue == true
            var result = Value.Map()
            for key in map.keys.sorted() {
                let child = map[key] ?? .null
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let childSchema = properties[key] {
                    result[key] = validate(child, schema: childSchema, path: childPath, causes: &causes, pruned: &pruned)
                } else if case .map = additional {
                    result[key] = validate(child, schema: additional, path: childPath, causes: &causes, pruned: &pruned)
                } else if preserve || additional.boolValue == true || schema["x-kubernetes-embedded-resource"].boolValue == true {
                    result[key] = child
                } else {
                    pruned.append(childPath)
                }
            }
            for required in schema["required"].listValue?.compactMap(\.stringValue) ?? [] where map[required] == nil {
                causes.append(.required(path.isEmpty ? required : "\(path).\(required)"))
            }
            return .map(result)
        case let .list(items):
            let itemSchema = schema["items"]
            guard !itemSchema.isNull else { return value }
            return .list(items.enumerated().map { index, item in
                validate(item, schema: itemSchema, path: "\(path)[\(index)]", causes: &causes, pruned: &pruned)
            })
        default:
            return value
        }
    }

    private static func matches(_ value: Value, type: String) -> Bool {
        switch (type, value) {
        case ("object", .map), ("array", .list), ("string", .string), ("boolean", .bool), ("integer", .int),
             ("number", .int), ("number", .float): true
        case ("integer", .float(let d)): d == d.rounded()
        default: false
        }
    }

    private static func typeCause(_ path: String, _ value: Value, _ type: String) -> FieldCause {
        let actual: String
        switch value {
        case .map: actual = "object"
        case .list: actual = "array"
        case .string: actual = "string"
        case .bool: actual = "boolean"
        case .int: actual = "integer"
        case .float: actual = "number"
        default: actual = "null"
        }
        return FieldCause(reason: "FieldValueTypeInvalid",
                          message: "Invalid value: \"\(actual)\": \(path) in body must be of type \(type): \"\(actual)\"",
                          field: path)
    }
}
