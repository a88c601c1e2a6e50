import ArgumentParser
import FoundationEssentials
import Stack

/// `seldon-operator bundle`: the release bundle of the stack's charts.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Pack every chart into a deterministic .tgz and write bundles/VERSION/bundle.yaml with their sha256."
    )

    @Option(help: "Folder holding one chart per component.")
    var charts: String = "charts"

    @Option(help: "Where bundles go; the bundle is written to OUTPUT/VERSION.")
    var output: String = "bundles"

    @Option(help: "The bundle's version (default: the operator's).")
    var version: String = SeldonOperatorCommand.configuration.version

    func run() throws {
        let bundle = try ChartBundle.build(charts: URL(fileURLWithPath: charts), version: version, output: URL(fileURLWithPath: output))
        for entry in bundle.manifest.charts {
            print("\(entry.sha256)  \(bundle.folder.appendingPathComponent(entry.file).path)")
        }
    }
}
