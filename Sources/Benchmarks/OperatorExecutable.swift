import ArgumentParser
import Foundation

/// `--seldon-operator PATH`: the CLI the benchmarks run as a child process, spelled and
/// defaulted the same in every benchmark so `make bench` passes it the same way.
struct OperatorExecutable: ParsableArguments {
    @Option(help: "The seldon-operator executable (default: the one beside seldon-bench).")
    var seldonOperator: String?

    var path: String {
        seldonOperator ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("seldon-operator").path
    }
}
