import ArgumentParser
import Foundation

/// `make bench`: each benchmark measures a reference in the same run and prints ratios
/// against it, so figures stay comparable across machines and loads.
@main
struct Benchmarks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seldon-bench",
        abstract: "Benchmarks of seldon-operator, each printed against a reference measured in the same run.",
        subcommands: [TemplateBenchmark.self, CorpusBenchmark.self, ClientBenchmarkCommand.self, InstallBenchmark.self,
                      ControllerBenchmark.self])
}

/// The `../shared` folder beside the checkout, where the chart corpus lives.
struct SharedFolder: ParsableArguments {
    @Option(help: "The shared folder holding charts-corpus/.")
    var shared: String = "../shared"

    var corpus: URL { URL(fileURLWithPath: shared).appendingPathComponent("charts-corpus") }

    /// The corpus charts, by name, sorted.
    func chartNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path)
            .filter { FileManager.default.fileExists(atPath: corpus.appendingPathComponent("\($0)/cases.json").path) }
            .sorted()
    }
}

/// Wall-clock nanoseconds of `body`, averaged over `runs` calls.
func nanosecondsPerRun(runs: Int, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try clock.measure { for _ in 0..<runs { try body() } }
    let (seconds, attoseconds) = elapsed.components
    return (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(runs)
}

/// A fixed-width table row.
func row(_ cells: [String], widths: [Int]) -> String {
    zip(cells, widths).map { cell, width in
        cell.count >= width ? cell : cell + String(repeating: " ", count: width - cell.count)
    }.joined(separator: " ")
}
