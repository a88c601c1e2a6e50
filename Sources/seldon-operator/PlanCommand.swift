import ArgumentParser
import Stack
import Unstructured

/// `seldon-operator plan -f SPEC`: what installing the SeldonOperator means, before anything
/// is written. With a cluster at hand it also says which APIs the cluster lacks and which
/// components they keep out; without one it says the prerequisites were not checked.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the components a SeldonOperator enables or disables (with reasons), the install levels, the objects each renders, and the cluster APIs it lacks.",
        discussion: """
        The cluster is the one --kubeconfig/--context name, else the kubeconfig of $KUBECONFIG or \
        ~/.kube/config when there is one. A cluster named with --kubeconfig or --context must answer; \
        one merely found that does not is reported and the plan goes on without checking prerequisites.
        """
    )

    @Option(name: .shortAndLong, help: "The SeldonOperator manifest.")
    var file: String

    @Option(name: .shortAndLong, help: "text, json, dot (Graphviz) or mermaid.")
    var output: PlanReport.Format = .text

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var charts: ChartOptions

    func run() async throws {
        let resource = try SeldonOperatorFile.load(path: file)
        let target = try await OptionalCluster.resolve(cluster)
        let plan = try await StackPlanner.plan(resource, discovery: target.client.map { KubeDiscovery(client: $0) })
        let rendered = try await ClusterRendering(charts: try charts.source(), client: target.client).render(plan)
        let report = PlanReport(plan: plan, objectCounts: Dictionary(uniqueKeysWithValues: rendered.map { ($0.id, $0.countsByKind) }),
                                cluster: target.check)
        switch output {
        case .text: print(report.text, terminator: "")
        case .json: print(JSON.string(report.value, style: .pretty))
        case .dot: print(report.dot, terminator: "")
        case .mermaid: print(report.mermaid, terminator: "")
        }
    }
}

extension PlanReport.Format: ExpressibleByArgument {}
