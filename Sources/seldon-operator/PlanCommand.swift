import ArgumentParser
import Stack
import Unstructured

/// `seldon-operator plan -f SPEC`: what installing the SeldonOperator means, before anything
/// touches a cluster.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the components a SeldonOperator enables or disables (with reasons), the install levels, and the objects each renders."
    )

    @Option(name: .shortAndLong, help: "The SeldonOperator manifest.")
    var file: String

    @Option(name: .shortAndLong, help: "text, json, dot (Graphviz) or mermaid.")
    var output: PlanReport.Format = .text

    @OptionGroup var charts: ChartOptions

    func run() async throws {
        let resource = try SeldonOperatorFile.load(path: file)
        let plan = try await StackPlanner.plan(resource)
        let rendered = try charts.renderer().render(plan)
        let report = PlanReport(plan: plan, objectCounts: Dictionary(uniqueKeysWithValues: rendered.map { ($0.id, $0.countsByKind) }))
        switch output {
        case .text: print(report.text, terminator: "")
        case .json: print(JSON.string(report.value, style: .pretty))
        case .dot: print(report.dot, terminator: "")
        case .mermaid: print(report.mermaid, terminator: "")
        }
    }
}

extension PlanReport.Format: ExpressibleByArgument {}
