import ArgumentParser
import Foundation
import KubeClient

/// The flags every command that talks to a cluster takes, and the client they describe.
struct ClusterOptions: ParsableArguments {
    @Option(help: "The kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use instead of its current-context.")
    var context: String?

    /// The client, and the namespace commands default to: the context's.
    func connect(namespace: String? = nil, options: ClientOptions = .init()) throws -> (client: KubeClient, namespace: String) {
        let configuration = try KubeconfigLoader().configuration(
            explicit: kubeconfig, overrides: KubeconfigOverrides(context: context, namespace: namespace))
        return (try KubeClient(configuration: configuration, options: options), configuration.namespace)
    }
}
