import ArgumentParser
import FoundationEssentials
import KubeClient

/// The flags every command that talks to a cluster takes, and the client they describe.
struct ClusterOptions: ParsableArguments {
    @Option(help: "The kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use instead of its current-context.")
    var context: String?

    @Option(help: "How long one API request may go unanswered before it is abandoned and retried (e.g. 5s, 1m); a watch must start streaming within it too.")
    var requestTimeout = TimeoutOption(seconds: 60)

    /// The client, and the namespace commands default to: the context's.
    func connect(namespace: String? = nil, options: ClientOptions = .init()) throws -> (client: KubeClient, namespace: String) {
        let configuration = try KubeconfigLoader().configuration(
            explicit: kubeconfig, overrides: KubeconfigOverrides(context: context, namespace: namespace))
        var options = options
        options.transport.requestTimeout = requestTimeout.duration
        return (try KubeClient(configuration: configuration, options: options), configuration.namespace)
    }
}
