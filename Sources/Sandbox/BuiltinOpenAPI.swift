import Unstructured

/// What each group-version's OpenAPI v3 document carries of the generated built-in schemas
/// (`BuiltinSchemas`): its kinds and every schema they reference, as kube-apiserver publishes
/// them, so `kubectl explain deployment.spec.template` can follow the references.
enum BuiltinOpenAPI {
    /// Schemas by group-version (`v1`, `apps/v1`), decoded and gathered once.
    static let schemasByGroupVersion: [String: Value.Map] = {
        guard let all = try? BodyCodec.decode(Array(BuiltinSchemas.json.utf8))["schemas"].mapValue else { return [:] }
        var result: [String: Value.Map] = [:]
        for (name, schema) in all {
            for kind in schema["x-kubernetes-group-version-kind"].listValue ?? [] {
                let key = groupVersion(kind["group"].stringValue ?? "", kind["version"].stringValue ?? "")
                var closure = result[key] ?? [:]
                collect(name, from: all, into: &closure)
                result[key] = closure
            }
        }
        return result
    }()

    static func groupVersion(_ group: String, _ version: String) -> String {
        group.isEmpty ? version : "\(group)/\(version)"
    }

    private static let referencePrefix = "#/components/schemas/"

    private static func collect(_ name: String, from all: Value.Map, into closure: inout Value.Map) {
        guard closure[name] == nil, let schema = all[name] else { return }
        closure[name] = schema
        for reference in references(in: schema) { collect(reference, from: all, into: &closure) }
    }

    private static func references(in value: Value) -> [String] {
        switch value {
        case let .map(map):
            if let reference = map["$ref"]?.stringValue, reference.hasPrefix(referencePrefix) {
                return [String(reference.dropFirst(referencePrefix.count))]
            }
            return map.values.flatMap(references(in:))
        case let .list(items):
            return items.flatMap(references(in:))
        default:
            return []
        }
    }
}
