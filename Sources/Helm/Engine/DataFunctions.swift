import GoTemplate
import Unstructured

/// Helm's conversions between values and YAML or JSON text (`toYaml`, `fromYaml`,
/// `toJson`, ...). As in Helm, the `from*` functions do not fail: a document that cannot
/// be read comes back as `{"Error": message}` (or `[message]` for arrays), and numbers
/// are read as Helm reads values, all floats.
enum DataFunctions {
    static var library: FunctionLibrary {
        [
            "toYaml": TemplateFunction(arity: 1) { arguments, _ in .string(yaml(arguments[0])) },
            "mustToYaml": TemplateFunction(arity: 1) { arguments, _ in .string(yaml(arguments[0])) },
            "toJson": TemplateFunction(arity: 1) { arguments, _ in .string(JSON.string(arguments[0].plain, style: .go)) },
            "mustToJson": TemplateFunction(arity: 1) { arguments, _ in .string(JSON.string(arguments[0].plain, style: .go)) },
            "fromYaml": TemplateFunction(arity: 1) { arguments, _ in
                document(arguments[0], wantList: false) { text throws in try YAML.parse(text, source: "fromYaml", numbers: .helm) }
            },
            "fromYamlArray": TemplateFunction(arity: 1) { arguments, _ in
                document(arguments[0], wantList: true) { text throws in try YAML.parse(text, source: "fromYamlArray", numbers: .helm) }
            },
            "fromJson": TemplateFunction(arity: 1) { arguments, _ in
                document(arguments[0], wantList: false) { text throws in try JSON.parse(text, source: "fromJson").withFloatNumbers }
            },
            "fromJsonArray": TemplateFunction(arity: 1) { arguments, _ in
                document(arguments[0], wantList: true) { text throws in try JSON.parse(text, source: "fromJsonArray").withFloatNumbers }
            },
        ]
    }

    /// `sigs.k8s.io/yaml.Marshal` with the final newline removed.
    static func yaml(_ value: Value) -> String {
        var text = YAML.helmString(value.plain)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    private static func document(_ argument: Value, wantList: Bool, parse: (String) throws -> Value) -> Value {
        let text = argument.stringValue ?? ""
        func failure(_ message: String) -> Value { wantList ? .list([.string(message)]) : .map(["Error": .string(message)]) }
        let parsed: Value
        do { parsed = try parse(text) } catch let error as YAMLError {
            return failure("error converting YAML to JSON: \(error.goText)")
        } catch {
            return failure("\(error)")
        }
        switch (parsed, wantList) {
        case (.null, false): return .map([:])
        case (.null, true): return .list([])
        case (.map, false), (.list, true): return parsed
        default:
            let goType = wantList ? "[]interface {}" : "map[string]interface {}"
            let found = parsed.mapValue != nil ? "object" : parsed.listValue != nil ? "array" : parsed.kindName
            return failure("error unmarshaling JSON: json: cannot unmarshal \(found) into Go value of type \(goType)")
        }
    }
}
