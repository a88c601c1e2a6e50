import ArgumentParser
import Foundation
import Helm
import Sprig
import Stack

/// Where `plan` and `render` take the stack's charts from.
struct ChartOptions: ParsableArguments {
    @Option(help: "Folder holding one chart per component.")
    var charts: String = "charts"

    @Option(help: "A bundle folder (bundles/VERSION) to load checksum-verified chart archives from instead of --charts.")
    var bundle: String?

    /// A renderer over the chosen charts. Without a cluster `lookup` finds nothing, so
    /// generated secrets are fresh on every render.
    func renderer() throws -> StackRenderer {
        let source: ChartSource = try bundle.map { .bundle(try ChartBundle.load(folder: URL(fileURLWithPath: $0))) }
            ?? .folder(URL(fileURLWithPath: charts))
        return StackRenderer(charts: source, engine: Engine(functions: Sprig.library(entropy: SystemEntropy(), clock: SystemClock())))
    }
}
