import FoundationEssentials
import Unstructured

/// The values a user passes on the command line, merged in Helm's fixed order whatever
/// the order of the flags: `-f` files, then `--set-json`, `--set`, `--set-string` and
/// `--set-file`. Later sources override earlier ones key by key; a null is kept (it
/// removes the key later, when coalesced with the chart's values).
public struct ValueOptions: Sendable {
    public var valueFiles: [String] = []
    public var jsonValues: [String] = []
    public var values: [String] = []
    public var stringValues: [String] = []
    public var fileValues: [String] = []

    public init(valueFiles: [String] = [], jsonValues: [String] = [], values: [String] = [], stringValues: [String] = [], fileValues: [String] = []) {
        self.valueFiles = valueFiles
        self.jsonValues = jsonValues
        self.values = values
        self.stringValues = stringValues
        self.fileValues = fileValues
    }

    /// Reads the files relative to `directory` and merges everything.
    public func merged(relativeTo directory: String = FileManager.default.currentDirectoryPath) throws(ValuesError) -> Value.Map {
        var base = Value.Map()
        for path in valueFiles {
            let text = try Self.read(path, relativeTo: directory)
            let document: Value
            do { document = try YAML.parse(text, source: path, numbers: .helm) } catch {
                throw ValuesError("failed to parse \(path): \(error)")
            }
            if document.isNull { continue }
            guard case let .map(map) = document else {
                throw ValuesError("failed to parse \(path): expected a map of values, found \(document.kindName)")
            }
            base = Value.map(base).merging(.map(map)).mapValue ?? base
        }
        for text in jsonValues {
            do { try Strvals.parse(text, typing: .json, into: &base) } catch {
                throw ValuesError("failed parsing --set-json data \(text): \(error)")
            }
        }
        for text in values {
            do { try Strvals.parse(text, typing: .inferred, into: &base) } catch {
                throw ValuesError("failed parsing --set data: \(error)")
            }
        }
        for text in stringValues {
            do { try Strvals.parse(text, typing: .string, into: &base) } catch {
                throw ValuesError("failed parsing --set-string data: \(error)")
            }
        }
        for text in fileValues {
            let reader: @Sendable (String) throws -> String = { path in try Self.read(path, relativeTo: directory) }
            do { try Strvals.parse(text, typing: .file(reader), into: &base) } catch {
                throw ValuesError("failed parsing --set-file data: \(error)")
            }
        }
        return base
    }

    private static func read(_ path: String, relativeTo directory: String) throws(ValuesError) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: directory).appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ValuesError("open \(path): no such file or directory")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Values that cannot be read, merged or validated.
public struct ValuesError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
