import FoundationEssentials
import Unstructured

/// Reads typed fields out of a parsed kubeconfig while remembering where it is, so every
/// complaint names the file and the field path.
struct FieldReader {
    let value: Value
    let file: String
    let path: String

    init(_ value: Value, file: String, path: String = "") {
        self.value = value
        self.file = file
        self.path = path
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ message: String) -> KubeconfigError {
        KubeconfigError(file: file, field: key.isEmpty ? path : fieldPath(key), message: message)
    }

    /// A child map; nil when missing or null.
    func map(_ key: String) throws(KubeconfigError) -> FieldReader? {
        switch value[key] {
        case .null: return nil
        case .map: return FieldReader(value[key], file: file, path: fieldPath(key))
        case let other: throw error(key, "expected a map, found \(other.kindName)")
        }
    }

    /// The elements of a child list; empty when missing or null.
    func list(_ key: String) throws(KubeconfigError) -> [FieldReader] {
        switch value[key] {
        case .null: return []
        case let .list(items):
            return items.enumerated().map { FieldReader($1, file: file, path: "\(fieldPath(key))[\($0)]") }
        case let other: throw error(key, "expected a list, found \(other.kindName)")
        }
    }

    /// A string field; nil when missing, null or empty (kubectl treats "" as unset).
    func string(_ key: String) throws(KubeconfigError) -> String? {
        switch value[key] {
        case .null: return nil
        case let .string(text): return text.isEmpty ? nil : text
        // YAML reads `server: 1234` or `name: true` as scalars of other types; kubectl's
        // decoder would refuse them too, but naming the field helps more than a type error.
        case let other: throw error(key, "expected a string, found \(other.kindName)")
        }
    }

    func requiredString(_ key: String) throws(KubeconfigError) -> String {
        guard let text = try string(key) else { throw error(key, "missing") }
        return text
    }

    func bool(_ key: String) throws(KubeconfigError) -> Bool {
        switch value[key] {
        case .null: return false
        case let .bool(flag): return flag
        case let other: throw error(key, "expected true or false, found \(other.kindName)")
        }
    }

    func strings(_ key: String) throws(KubeconfigError) -> [String] {
        try list(key).map { item throws(KubeconfigError) in
            guard let text = item.value.stringValue else {
                throw KubeconfigError(file: file, field: item.path, message: "expected a string, found \(item.value.kindName)")
            }
            return text
        }
    }

    /// A base64 `*-data` field, decoded.
    func base64(_ key: String) throws(KubeconfigError) -> [UInt8]? {
        guard let text = try string(key) else { return nil }
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else { throw error(key, "not valid base64") }
        return Array(data)
    }

    /// A path field, made absolute against the folder of the file that names it, as kubectl does.
    func path(_ key: String) throws(KubeconfigError) -> String? {
        try string(key).map { resolve($0) }
    }

    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let folder = Self.folder(of: file)
        if path.isEmpty { return folder }
        return folder == "/" ? "/" + path : folder + "/" + path
    }

    /// The folder part of `file`, with runs of slashes made one: "." for a bare file name,
    /// "/" for a file at the root. The path is not cleaned further ("a/./b" gives "a/."),
    /// as the relative paths in a kubeconfig are only ever joined onto it.
    static func folder(of file: String) -> String {
        let names = file.split(separator: "/")
        let root = file.hasPrefix("/") ? "/" : ""
        guard names.count > 1 else { return root.isEmpty ? "." : root }
        return root + names.dropLast().joined(separator: "/")
    }
}
