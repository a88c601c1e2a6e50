import ArgumentParser
import FoundationEssentials
import Platform
import Stack

/// `seldon-operator render -f SPEC`: every object of the stack, components in install order,
/// exactly as `install` would apply them: with a cluster at hand, generated Secrets and the
/// webhook CA are read back through `lookup` instead of being generated afresh, and
/// components the cluster cannot take (missing APIs) are left out as install leaves them out.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the whole stack a SeldonOperator describes, components in dependency order.",
        discussion: """
        With a cluster (--kubeconfig/--context, else $KUBECONFIG or ~/.kube/config when there is one),         Helm's lookup reads it, so Secrets the stack generated there are reused; without one, lookup         finds nothing, as in helm template, and generated passwords and certificates are new.
        """
    )

    @Option(name: .shortAndLong, help: "The SeldonOperator manifest.")
    var file: String

    @Option(help: "Write one file per component (NN-COMPONENT.yaml) here instead of printing.")
    var outputDir: String?

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var charts: ChartOptions

    func run() async throws {
        let resource = try SeldonOperatorFile.load(path: file)
        let target = try await OptionalCluster.resolve(cluster)
        // Planned against the cluster as install plans: what install would leave out, render leaves out.
        let plan = try await StackPlanner.plan(resource, discovery: target.client.map { KubeDiscovery(client: $0) })
        let blocked = plan.entries.filter { if case .blocked = $0.state { true } else { false } }
        for warning in plan.warnings + blocked.map({ "\($0.id) is not rendered: \($0.reason)" }) {
            StandardStream.error.write("warning: \(warning)\n")
        }
        let components = try await ClusterRendering(charts: try charts.source(), client: target.client).render(plan)
        guard let outputDir else {
            print(components.map(\.text).joined(), terminator: "")
            return
        }
        let folder = URL(fileURLWithPath: outputDir)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (index, component) in components.enumerated() {
            try Data(component.text.utf8).write(to: folder.appendingPathComponent(Self.fileName(index, component.id.rawValue)),
                                                 options: .atomic)
        }
    }

    /// `03-core.yaml`: the install position first, so a listing shows the install order.
    static func fileName(_ index: Int, _ component: String) -> String {
        (index < 10 ? "0\(index)" : "\(index)") + "-\(component).yaml"
    }
}
