import ArgumentParser
import FoundationEssentials
import Lifecycle
import Stack

/// `seldon-operator uninstall [NAME]`: removes a stack in the order that lets operators
/// clear their own finalizers; rerunning it after an interruption finishes the job.
struct UninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove an installed Seldon stack: custom resources first, while their operators still run."
    )

    @Argument(help: "The SeldonOperator to remove; may be left out when its namespace has exactly one.")
    var name: String?

    @Option(name: .shortAndLong, help: "Its namespace (default: the kubeconfig context's).")
    var namespace: String?

    @Flag(help: "Also delete volume claims, the stack's namespaces and its CRDs.")
    var purge = false

    @Flag(help: "Remove finalizers still holding objects near the timeout instead of stopping there.")
    var forceRemoveFinalizers = false

    @Option(help: "How long the uninstall may take, forcing finalizers included (500ms, 90s, 10m).")
    var timeout = TimeoutOption(seconds: 300)

    @Option(name: .shortAndLong, help: "text or json (one event per line).")
    var output: OutputFormat = .text

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let (client, namespace) = try cluster.connect(namespace: namespace)
        let kube = KubeCluster(client: client)
        let selection = InstanceSelection(cluster: kube)
        let target: InstanceSelection.Instance
        if let found = try await selection.single(name: name, namespace: namespace) {
            target = found
        } else if let name {
            // The SeldonOperator may be gone while its records remain (an interrupted
            // uninstall): the engine finishes from the records.
            target = (name, namespace)
        } else {
            print(try await selection.nothingFound(name: nil, namespace: namespace) + " Nothing to uninstall.")
            return
        }
        let printer = ProgressPrinter(format: output)
        let engine = Engine(cluster: kube, identity: Identity.current, timeout: timeout.duration, progress: { printer.report($0) })
        let definition = ObjectReference(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
                                         name: SeldonOperatorCRD.name)
        let request = UninstallRequest(
            instance: target.name, namespace: target.namespace, purge: purge, forceRemoveFinalizers: forceRemoveFinalizers,
            operatorDefinition: purge ? definition : nil)
        do {
            try await SignalCancellation.run { try await engine.uninstall(request) }
        } catch {
            throw SignalCancellation.commandError(for: error)
        }
        if output == .text { print("uninstalled \(target.namespace)/\(target.name)") }
    }
}
