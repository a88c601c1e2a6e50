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
        var totalNanoseconds = 0.0
        var totalKiB = 0.0
        var rendered = 0
        for chart in try shared.chartNames() {
            let casesFile = shared.corpus.appendingPathComponent("\(chart)/cases.json")
            guard let cases = try JSONSerialization.jsonObject(with: Data(contentsOf: casesFile)) as? [[String: Any]]
            else { continue }
            for corpusCase in cases where (corpusCase["exitCode"] as? Int) == 0 {
                let name = "\(chart)/\(corpusCase["name"] ?? "")"
                let chartPath = shared.corpus.appendingPathComponent("\(chart)/chart").path
                let output: String
                var action: TemplateAction
                do {
                    action = try TemplateAction(
                        release: corpusCase["release"] as? String ?? "release-name",
                        namespace: corpusCase["namespace"] as? String ?? "default",
                        flags: corpusCase["args"] as? [String] ?? [])
                    action.workingDirectory = shared.corpus.path
                    output = try action.run(chartPath: chartPath, engine: engine)
                } catch {
                    print(row([name, "-", "-", "-"], widths: widths) + " failed: \(error)")
                    continue
                }
                let ns = nanosecondsPerRun(runs: runs) { _ = try? action.run(chartPath: chartPath, engine: engine) }
                let kib = Double(output.utf8.count) / 1024
                totalNanoseconds += ns
                totalKiB += kib
                rendered += 1
                print(row([name, format(ns / 1e6), format(kib),
                           format(ns / 1000 / max(kib, 0.001))], widths: widths))
            }
        }
        print(row(["all \(rendered) cases", format(totalNanoseconds / 1e6), format(totalKiB),
                   format(totalNanoseconds / 1000 / max(totalKiB, 0.001))], widths: widths))
    }
}
