import GoTemplate
import Unstructured

/// Helm's and sprig's YAML and JSON functions over the Unstructured codecs. Numbers read
/// back as floats, because Helm decodes through JSON into `interface{}`; host objects are
/// serialized as their representation.
extension Sprig {
    static func serializationFunctions() -> FunctionLibrary {
        [
            "toYaml": .init(arity: 1) { a, _ in .string(helmYAML(a[0])) },
            "mustToYaml": .init(arity: 1) { a, _ in
                let text = YAML.helmString(a[0].plain)
                guard !text.isEmpty else { throw FunctionError("json: unsupported value: \(GoFormat.string(a[0]))") }
                return .string(trimmingNewline(text))
            },
            "fromYaml": .init(arity: 1) { a, _ in
                switch decodeYAML(try a.string(0)) {
                case let .success(.map(map)): return .map(map)
                case .success(.null): return .map([:])
                case let .success(other): return ["Error": .string(unmarshalMessage(other, into: "map[string]interface {}"))]
                case let .failure(error): return ["Error": .string(error.message)]
                }
            },
            "fromYamlArray": .init(arity: 1) { a, _ in
                switch decodeYAML(try a.string(0)) {
                case let .success(.list(items)): return .list(items)
                case .success(.null): return .list([])
                case let .success(other): return [.string(unmarshalMessage(other, into: "[]interface {}"))]
                case let .failure(error): return [.string(error.message)]
                }
            },
            "toJson": .init(arity: 1) { a, _ in .string(JSON.string(a[0].plain, style: .go)) },
            "mustToJson": .init(arity: 1) { a, _ in .string(JSON.string(a[0].plain, style: .go)) },
            "toRawJson": .init(arity: 1) { a, _ in .string(GoJSON.unescapingHTML(JSON.string(a[0].plain, style: .go))) },
            "mustToRawJson": .init(arity: 1) { a, _ in .string(GoJSON.unescapingHTML(JSON.string(a[0].plain, style: .go))) },
            "toPrettyJson": .init(arity: 1) { a, _ in .string(GoJSON.indented(JSON.string(a[0].plain, style: .go))) },
            "mustToPrettyJson": .init(arity: 1) { a, _ in .string(GoJSON.indented(JSON.string(a[0].plain, style: .go))) },
            "fromJson": .init(arity: 1) { a, _ in
                switch decodeJSON(try a.string(0)) {
                case let .success(.map(map)): return .map(map)
                case .success(.null): return .map([:])
                case let .success(other): return ["Error": .string(unmarshalMessage(other, into: "map[string]interface {}", prefix: ""))]
                case let .failure(error): return ["Error": .string(error.message)]
                }
            },
            "fromJsonArray": .init(arity: 1) { a, _ in
                switch decodeJSON(try a.string(0)) {
                case let .success(.list(items)): return .list(items)
                case .success(.null): return .list([])
                case let .success(other): return [.string(unmarshalMessage(other, into: "[]interface {}", prefix: ""))]
                case let .failure(error): return [.string(error.message)]
                }
            },
            "mustFromJson": .init(arity: 1) { a, _ in
                switch decodeJSON(try a.string(0)) {
                case let .success(value): return value
                case let .failure(error): throw error
                }
            },
            "toToml": .init(arity: 1) { a, _ in .string(TOML.string(a[0].plain)) },
        ]
    }

    /// Helm's `toYaml`: sigs.k8s.io/yaml's text without its final newline.
    static func helmYAML(_ value: Value) -> String {
        trimmingNewline(YAML.helmString(value.plain))
    }

    private static func trimmingNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    private static func decodeYAML(_ text: String) -> Result<Value, FunctionError> {
        do {
            return .success(try YAML.parse(text, numbers: .helm))
        } catch {
            return .failure(FunctionError("error converting YAML to JSON: " + error.goText))
        }
    }

    private static func decodeJSON(_ text: String) -> Result<Value, FunctionError> {
        do {
            return .success(floatingNumbers(try JSON.parse(text)))
        } catch {
            return .failure(FunctionError(error.message))
        }
    }

    /// encoding/json decodes every number into `interface{}` as a float64.
    static func floatingNumbers(_ value: Value) -> Value {
        switch value {
        case .int, .int64: .float(value.numberValue ?? 0)
        case let .list(items): .list(items.map(floatingNumbers))
        case let .map(map): .map(map.mapValues(floatingNumbers))
        default: value
        }
    }

    /// encoding/json's complaint about a document of the wrong shape.
    private static func unmarshalMessage(
        _ value: Value, into type: String, prefix: String = "error unmarshaling JSON: while decoding JSON: "
    ) -> String {
        let found: String = switch value {
        case .list: "array"
        case .map: "object"
        case .string: "string"
        case .bool: "bool"
        default: "number"
        }
        return prefix + "json: cannot unmarshal \(found) into Go value of type \(type)"
    }
}

/// Rewrites of encoding/json's compact output.
enum GoJSON {
    /// `json.MarshalIndent(v, "", "  ")`: one member per line, empty containers kept as `{}`/`[]`.
    static func indented(_ compact: String) -> String {
        let bytes = Array(compact.utf8)
        var out: [UInt8] = []
        var depth = 0
        var inString = false
        var index = 0
        func newline() {
            out.append(10)
            out.append(contentsOf: [UInt8](repeating: 32, count: 2 * depth))
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                out.append(byte)
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    out.append(bytes[index + 1])
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                    out.append(byte)
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    out.append(byte)
                    if index + 1 < bytes.count, bytes[index + 1] == (byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        out.append(bytes[index + 1])
                        index += 1
                    } else {
                        depth += 1
                        newline()
                    }
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    newline()
                    out.append(byte)
                case UInt8(ascii: ","):
                    out.append(byte)
                    newline()
                case UInt8(ascii: ":"):
                    out.append(contentsOf: [byte, 32])
                default:
                    out.append(byte)
                }
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An encoder with `SetEscapeHTML(false)`: `<`, `>` and `&` appear as themselves.
    static func unescapingHTML(_ json: String) -> String {
        let replacements: [String: String] = ["u003c": "<", "u003e": ">", "u0026": "&"]
        var out = ""
        var rest = Substring(json)
        while let backslash = rest.firstIndex(of: "\\") {
            out += rest[..<backslash]
            let escape = rest[rest.index(after: backslash)...]
            if let (code, plain) = replacements.first(where: { escape.hasPrefix($0.key) }) {
                out += plain
                rest = escape.dropFirst(code.count)
            } else {
                out += rest[backslash...].prefix(2)
                rest = rest[backslash...].dropFirst(2)
            }
        }
        return out + rest
    }
}
