import Foundation
import GoTemplate
import Sprig
import Testing
import Unstructured
@testable import Helm

/// One render case of ../shared/charts-corpus: a real chart, the `helm template`
/// arguments, and Helm's output for them.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    let chart: String
    let name: String
    let release: String
    let namespace: String
    let arguments: [String]
    let exitCode: Int

    var testDescription: String { "\(chart)/\(name)" }

    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/charts-corpus")

    static let all: [CorpusCase] = {
        let charts = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return charts.sorted().flatMap { chart -> [CorpusCase] in
            let file = corpus.appendingPathComponent("\(chart)/cases.json")
            guard let data = FileManager.default.contents(atPath: file.path),
                let cases = try? JSON.parse(String(decoding: data, as: UTF8.self)).listValue
            else { return [] }
            return cases.map { entry in
                CorpusCase(
                    chart: chart, name: entry["name"].stringValue ?? "", release: entry["release"].stringValue ?? "",
                    namespace: entry["namespace"].stringValue ?? "",
                    arguments: (entry["args"].listValue ?? []).compactMap(\.stringValue),
                    exitCode: Int(entry["exitCode"].numberValue ?? -1))
            }
        }
    }()

    /// The action `helm template RELEASE CHART/chart -n NAMESPACE ARGS...` describes.
    func action() throws -> TemplateAction {
        var action = try TemplateAction(release: release, namespace: namespace, flags: arguments)
        action.workingDirectory = Self.corpus.path
        return action
    }

    func expected(_ suffix: String) -> String? {
        let url = Self.corpus.appendingPathComponent("\(chart)/expected/\(name).\(suffix)")
        return FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
    }
}

@Suite struct CorpusTests {
    /// The deterministic stand-ins the expected outputs were rendered with.
    static let engine = Engine(functions: Sprig.library(entropy: StandInEntropy(), clock: FixedClock()))

    @Test func corpusIsComplete() {
        #expect(CorpusCase.all.count == 44)
    }

    @Test(arguments: CorpusCase.all)
    func rendersAsHelmDoes(_ corpusCase: CorpusCase) throws {
        let action = try corpusCase.action()
        let chartPath = CorpusCase.corpus.appendingPathComponent("\(corpusCase.chart)/chart").path
        do {
            let output = try action.run(chartPath: chartPath, engine: Self.engine)
            #expect(corpusCase.exitCode == 0, "rendered, but Helm fails this case")
            let expected = corpusCase.expected("yaml") ?? ""
            #expect(output == expected, "\(firstDifference(output, expected))")
        } catch {
            #expect(corpusCase.exitCode == 1, "failed: \(error)")
            if let expected = corpusCase.expected("stderr") {
                #expect("Error: \(error)\n" == expected)
            }
        }
    }
}

/// Where two texts first differ, with a little context, so a failure is readable
/// without diffing megabytes by hand.
func firstDifference(_ actual: String, _ expected: String) -> String {
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(a.count, e.count) {
        let left = index < a.count ? String(a[index]) : "<end>"
        let right = index < e.count ? String(e[index]) : "<end>"
        if left != right {
            return "line \(index + 1):\n  ours:     \(left.prefix(300))\n  expected: \(right.prefix(300))"
        }
    }
    return "texts differ only in line endings"
}
