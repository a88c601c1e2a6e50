import ArgumentParser
import Foundation
import Helm
import Sprig

/// Whole-chart rendering as `seldon-operator template` does it, per corpus case.
///
/// Loading, coalescing, rendering and sorting: the time a user waits for `template`. It is
/// printed per case beside the case's output size, as a time per kilobyte makes charts of
/// different sizes comparable.
struct CorpusBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus", abstract: "Time per corpus case of the full `template` pipeline.")

    @OptionGroup var shared: SharedFolder

    @Option(help: "Renders per case.")
    var runs = 20

    func run() throws {
        let widths = [40, 10, 10, 10]
        print(row(["case", "ms", "KiB", "µs/KiB"], widths: widths))
        let engine = Engine(functions: Sprig.library(entropy: StandInEntropy(), clock: FixedClock()))
        for chart in try shared.chartNames() {
            let casesFile = shared.corpus.appendingPathComponent("\(chart)/cases.json")
            guard let cases = try JSONSerialization.jsonObject(with: Data(contentsOf: casesFile)) as? [[String: Any]]
            else { continue }
            for corpusCase in cases where (corpusCase["exitCode"] as? Int) == 0 {
                var action = TemplateAction()
                action.releaseName = corpusCase["release"] as? String ?? "release-name"
                action.namespace = corpusCase["namespace"] as? String ?? "default"
                action.workingDirectory = shared.corpus.path
                guard (corpusCase["args"] as? [String] ?? []).isEmpty else { continue }
                let chartPath = "\(chart)/chart"
                guard let output = try? action.run(chartPath: chartPath, engine: engine) else { continue }
                let ns = nanosecondsPerRun(runs: runs) { _ = try? action.run(chartPath: chartPath, engine: engine) }
                let kib = Double(output.utf8.count) / 1024
                print(row(["\(chart)/\(corpusCase["name"] ?? "")", format(ns / 1e6), format(kib),
                           format(ns / 1000 / max(kib, 0.001))], widths: widths))
            }
        }
    }
}
