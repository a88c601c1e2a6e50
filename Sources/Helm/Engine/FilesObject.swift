import FoundationEssentials
import GoTemplate
import OrderedCollections
import Unstructured

/// `.Files`: read-only access to the chart's own non-template files. Templates can
/// reach nothing outside the chart, because only the files loaded with it are here.
final class FilesObject: HostObject {
    private let files: OrderedDictionary<String, [UInt8]>

    init(_ files: [ChartFile]) {
        var map = OrderedDictionary<String, [UInt8]>()
        for file in files { map[file.name] = file.data }
        self.files = map
    }

    private init(map: OrderedDictionary<String, [UInt8]>) { self.files = map }

    var typeName: String { "engine.files" }
    var representation: Value { .map(Value.Map(uniqueKeysWithValues: files.map { ($0.key, Value.string(Self.text($0.value))) })) }
    func field(_ name: String) -> Value? { nil }

    func method(_ name: String) -> HostMethod? {
        switch name {
        case "Get": return { [files] arguments in .string(Self.text(files[try Self.path(arguments, name)] ?? [])) }
        case "GetBytes":
            return { [files] arguments in .list((files[try Self.path(arguments, name)] ?? []).map { .int(Int($0)) }) }
        case "Lines":
            return { [files] arguments in
                guard let data = files[try Self.path(arguments, name)] else { return .list([]) }
                var text = Self.text(data)
                if text.hasSuffix("\n") { text.removeLast() }
                return .list(text.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) })
            }
        case "Glob":
            return { [files] arguments in
                let glob = Glob(try Self.path(arguments, name), style: .files)
                return .object(FilesObject(map: files.filter { glob.matches($0.key) }))
            }
        case "AsConfig":
            return { [files] _ in .string(Self.yaml(files.map { (Self.baseName($0.key), Value.string(Self.text($0.value))) })) }
        case "AsSecrets":
            return { [files] _ in .string(Self.yaml(files.map { (Self.baseName($0.key), Value.string(Data($0.value).base64EncodedString())) })) }
        default: return nil
        }
    }

    private static func path(_ arguments: [Value], _ method: String) throws -> String {
        guard arguments.count == 1, case let .string(path) = arguments[0] else {
            throw FunctionError("\(method) takes one string argument (a path inside the chart)")
        }
        return path
    }

    private static func text(_ data: [UInt8]) -> String { String(decoding: data, as: UTF8.self) }

    private static func baseName(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }

    /// Helm's `toYAML` of the entries: sorted keys, the final newline removed.
    private static func yaml(_ entries: [(String, Value)]) -> String {
        var text = YAML.helmString(.map(Value.Map(entries, uniquingKeysWith: { _, last in last })))
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
