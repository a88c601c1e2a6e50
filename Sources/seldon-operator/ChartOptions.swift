import ArgumentParser
import FoundationEssentials
import Stack

/// Where `plan` and `render` take the stack's charts from.
struct ChartOptions: ParsableArguments {
    @Option(help: "Folder holding one chart per component.")
    var charts: String = "charts"

    @Option(help: "A bundle folder (bundles/VERSION) to load checksum-verified chart archives from instead of --charts.")
    var bundle: String?

    /// The chosen charts: the bundle's verified archives, or the folder.
    func source() throws -> ChartSource {
        try bundle.map { .bundle(try ChartBundle.load(folder: URL(fileURLWithPath: $0))) } ?? .folder(URL(fileURLWithPath: charts))
    }
}
