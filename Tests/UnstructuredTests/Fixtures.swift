import Foundation

/// Reads golden files recorded from the Go reference (`shared/tools/gotemplate-ref`), so tests
/// compare against Go's real output without needing Go at run time.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func lines(_ path: String) throws -> [String] {
        try text(path).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
