import Foundation
import Testing
@testable import Unstructured

/// The real charts' expected `helm template` outputs in ../shared/charts-corpus are a large
/// body of real-world YAML: every document must parse, and write back with `YAML.string`
/// to text that parses to the same value.
@Suite struct CorpusDocumentsTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/charts-corpus").standardized

    static let outputs: [String] = {
        let manager = FileManager.default
        let charts = (try? manager.contentsOfDirectory(atPath: corpus.path)) ?? []
        return charts.sorted().flatMap { chart -> [String] in
            let folder = corpus.appendingPathComponent(chart).appendingPathComponent("expected")
            let files = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
            return files.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(chart)/expected/\($0)" }
        }
    }()

    @Test func corpusIsPresent() {
        #expect(Self.outputs.count >= 40)
    }

    @Test(arguments: outputs)
    func everyDocumentParsesAndRoundTrips(path: String) throws {
        let text = try String(contentsOf: Self.corpus.appendingPathComponent(path), encoding: .utf8)
        let documents = try YAML.parseDocuments(text, source: path)
        for document in documents {
            #expect(try YAML.parse(YAML.string(document)) == document)
            #expect(try JSON.parse(JSON.string(document)) == document)
        }
    }
}
