import ArgumentParser
import Foundation
import Lifecycle
import Stack

/// `seldon-operator uninstall [NAME]`: removes a stack in the order that lets operators
/// clear their own finalizers; rerunning it after an interruption finishes the job.
struct UninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove an installed Seldon stack: custom resources first, while their operators still run."
    )

    @Argument(help: "The SeldonOperator to remove; may be left out when the cluster has exactly one.")
    var name: String?

    @Option(name: .shortAndLong, help: "Its namespace (default: found by name in any namespace).")
    var namespace: String?

    @Flag(help: "Also delete volume claims, the stack's namespaces and its CRDs.")
    var purge = false

    @Flag(help: "Remove finalizers still holding objects at the timeout instead of stopping there.")
    var forceRemoveFinalizers = false

    @Option(help: "How long the uninstall may take (500ms, 90s, 10m).")
    var timeout = TimeoutOption(seconds: 300)

    @Option(name: .shortAndLong, help: "text or json (one event per line).")
    var output: OutputFormat = .text

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let (client, _) = try cluster.connect()
        let kube = KubeCluster(client: client)
        let found = try await InstanceSelection(cluster: kube).instances(name: name, namespace: namespace)
        let target: (name: String, namespace: String)
        switch (found.count, name) {
        case (1, _):
            target = found[0]
        case (0, nil):
            print("No SeldonOperator is installed\(namespace.map { " in namespace \($0)" } ?? ""); nothing to uninstall.")
            return
        case let (0, name?):
            // The SeldonOperator may be gone while its records remain (an interrupted
            // uninstall): the engine finishes from the records.
            target = (name, namespace ?? SeldonOperatorResource.defaultNamespace)
        default:
            let names = found.map { "\($0.namespace)/\($0.name)" }.joined(separator: ", ")
            throw ValidationError("several SeldonOperators are installed (\(names)); name the one to uninstall, with -n for its namespace")
        }
        let printer = ProgressPrinter(format: output)
        let engine = Engine(cluster: kube, identity: Identity.current, timeout: timeout.duration, progress: { printer.report($0) })
        let definition = ObjectReference(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
                                         name: SeldonOperatorCRD.name)
        try await engine.uninstall(UninstallRequest(
            instance: target.name, namespace: target.namespace, purge: purge, forceRemoveFinalizers: forceRemoveFinalizers,
            operatorDefinition: purge ? definition : nil))
        if output == .text { print("uninstalled \(target.namespace)/\(target.name)") }
    }
}
