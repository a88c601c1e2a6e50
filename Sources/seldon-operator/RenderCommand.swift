import ArgumentParser
import Foundation
import Stack

/// `seldon-operator render -f SPEC`: every object of the stack, components in install order.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the whole stack a SeldonOperator describes, components in dependency order."
    )

    @Option(name: .shortAndLong, help: "The SeldonOperator manifest.")
    var file: String

    @Option(help: "Write one file per component (NN-COMPONENT.yaml) here instead of printing.")
    var outputDir: String?

    @OptionGroup var charts: ChartOptions

    func run() async throws {
        let plan = try await StackPlanner.plan(try SeldonOperatorFile.load(path: file))
        for warning in plan.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        let components = try charts.renderer().render(plan)
        guard let outputDir else {
            print(components.map(\.text).joined(), terminator: "")
            return
        }
        let folder = URL(fileURLWithPath: outputDir)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (index, component) in components.enumerated() {
            let name = String(format: "%02d-%@.yaml", index, component.id.rawValue)
            try Data(component.text.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
        }
    }
}
