import ArgumentParser
import FoundationEssentials
import Lifecycle

/// `seldon-operator rollback --to N`: installs again the SeldonOperator spec that revision N
/// installed, as a new revision. Records keep the spec itself (inside a Secret), not the
/// rendered objects or values: re-rendering it with the charts at hand gives the objects,
/// and generated secrets are never stored anywhere but in the cluster's own Secrets.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Install again the spec an earlier revision installed (see `history`), as a new revision."
    )

    @Option(help: "The revision whose spec to install again.")
    var to: Int

    @Argument(help: "The SeldonOperator; may be left out when its namespace has exactly one.")
    var name: String?

    @Option(name: .shortAndLong, help: "Its namespace (default: the kubeconfig context's).")
    var namespace: String?

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var charts: ChartOptions

    @Option(help: "How long the whole rollback may take (500ms, 90s, 10m).")
    var timeout = TimeoutOption(seconds: 600)

    @Option(help: "How long one component may take from its start to healthy.")
    var componentTimeout = TimeoutOption(seconds: 300)

    @Option(name: .shortAndLong, help: "text (a live view on a terminal, else one line per event) or json (one event per line).")
    var output: OutputFormat = .text

    func validate() throws {
        guard to >= 1 else { throw ValidationError("--to: revisions start at 1; `history` lists them") }
    }

    func run() async throws {
        let (client, namespace) = try cluster.connect(namespace: namespace)
        let kube = KubeCluster(client: client)
        let selection = InstanceSelection(cluster: kube)
        guard let target = try await selection.single(name: name, namespace: namespace) else {
            throw ValidationError(try await selection.nothingFound(name: name, namespace: namespace))
        }
        let history = History(cluster: kube, instance: target.name, namespace: target.namespace)
        guard let spec = try await history.spec(ofRevision: to) else {
            let kept = Set(try await history.records().map(\.revision)).sorted().map(String.init)
            throw ValidationError(
                "revision \(to) of \(target.namespace)/\(target.name) is not in its history; revisions kept: "
                    + (kept.isEmpty ? "none" : kept.joined(separator: ", ")))
        }
        let planned = try await InstallPlanner(client: client, charts: try charts.source()).plan(
            recorded: spec, source: "the spec of revision \(to) of \(target.namespace)/\(target.name)",
            reason: "rollback to revision \(to)")
        let printer = ProgressPrinter(format: output)
        let engine = Engine(
            cluster: kube, identity: Identity.current, timeout: timeout.duration,
            componentTimeout: componentTimeout.duration, progress: { printer.report($0) })
        try await StackInstaller(client: client, engine: engine).install(planned, output: output, verb: "rolled back")
    }
}
