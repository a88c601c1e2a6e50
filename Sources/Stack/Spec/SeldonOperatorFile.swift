import FoundationEssentials
import Unstructured

/// Reading a SeldonOperator manifest from disk, as `plan`, `render` and `install` take it.
public enum SeldonOperatorFile {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The one SeldonOperator in the file at `path`; errors name the file and, for YAML,
    /// the line and column, and for the spec every bad field.
    public static func load(path: String) throws -> SeldonOperatorResource {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Failure(description: "\(path): cannot read: \(readFailureReason(error))")
        }
        let documents = try YAML.parseDocuments(text, source: path).filter { !$0.isNull }
        guard documents.count == 1, let document = documents.first else {
            throw Failure(description: "\(path): expected one SeldonOperator document, found \(documents.count)")
        }
        return try SeldonOperatorResource(decoding: document, source: path)
    }
}
