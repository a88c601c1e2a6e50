import Crypto
import FoundationEssentials
import Unstructured

/// `bundles/<version>/bundle.yaml`: which chart archives make up a release of the stack,
/// pinned by sha256 so a tampered or corrupted archive is refused before it is read.
public struct BundleManifest: Equatable, Sendable {
    public static let apiVersion = "bundle.seldon-operator.io/v1"

    public struct Entry: Equatable, Sendable {
        public let name: String
        public let version: String
        /// The archive's file name, beside bundle.yaml.
        public let file: String
        /// Lowercase hex sha256 of the archive's bytes.
        public let sha256: String

        public init(name: String, version: String, file: String, sha256: String) {
            self.name = name
            self.version = version
            self.file = file
            self.sha256 = sha256
        }
    }

    public let version: String
    public let charts: [Entry]

    public init(version: String, charts: [Entry]) {
        self.version = version
        self.charts = charts.sorted { $0.name < $1.name }
    }

    public var value: Value {
        [
            "apiVersion": .string(Self.apiVersion),
            "version": .string(version),
            "charts": .list(charts.map { ["name": .string($0.name), "version": .string($0.version),
                                          "file": .string($0.file), "sha256": .string($0.sha256)] }),
        ]
    }

    /// Reads a manifest, naming the field that is missing or wrong.
    public init(value: Value, source: String) throws(BundleError) {
        guard value["apiVersion"].stringValue == Self.apiVersion else {
            throw .malformed(source, "apiVersion: expected \"\(Self.apiVersion)\", got \(value["apiVersion"].stringValue.map { "\"\($0)\"" } ?? value["apiVersion"].kindName)")
        }
        guard let version = value["version"].stringValue else { throw .malformed(source, "version: expected a string") }
        guard let list = value["charts"].listValue else { throw .malformed(source, "charts: expected a list") }
        var entries: [Entry] = []
        for (index, item) in list.enumerated() {
            var fields: [String: String] = [:]
            for key in ["name", "version", "file", "sha256"] {
                guard let text = item[key].stringValue, !text.isEmpty else {
                    throw .malformed(source, "charts[\(index)].\(key): expected a non-empty string")
                }
                fields[key] = text
            }
            let file = fields["file"] ?? ""
            // The file is read from beside bundle.yaml; a path could point anywhere.
            guard !file.contains("/"), file != "..", file != "." else {
                throw .malformed(source, "charts[\(index)].file: expected a file name, got \"\(file)\"")
            }
            entries.append(Entry(name: fields["name"] ?? "", version: fields["version"] ?? "", file: file, sha256: fields["sha256"] ?? ""))
        }
        self.init(version: version, charts: entries)
    }

    public func entry(named name: String) -> Entry? { charts.first { $0.name == name } }
}

public enum BundleError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String, String)
    case missingChart(String, bundle: String)
    case checksumMismatch(file: String, expected: String, actual: String)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case let .malformed(source, message): "\(source): \(message)"
        case let .missingChart(name, bundle): "\(bundle): no chart named \(name) in the bundle"
        case let .checksumMismatch(file, expected, actual):
            "\(file): sha256 is \(actual) but bundle.yaml pins \(expected); the archive was changed or corrupted, refusing to load it"
        case let .unreadable(path, reason): "\(path): \(reason)"
        }
    }
}

enum Checksum {
    static func sha256(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
