import KubeClient
import Platform
import Stack

/// The cluster `plan` and `render` read when one is at hand. Both work without a cluster, as
/// `helm template` does; with one, `plan` checks prerequisites against it and `render`
/// answers `lookup` from it. Asking for a cluster (`--kubeconfig` or `--context`) makes an
/// unreachable one an error; a kubeconfig merely found ($KUBECONFIG, ~/.kube/config) that
/// does not answer is reported and the command goes on without it.
enum OptionalCluster {
    case connected(KubeClient)
    case absent(reason: String)

    var client: KubeClient? {
        if case let .connected(client) = self { client } else { nil }
    }

    /// What `plan` reports about the prerequisite check.
    var check: PlanReport.ClusterCheck {
        switch self {
        case let .connected(client): .checked(server: client.configuration.server)
        case let .absent(reason): .notChecked(reason: reason)
        }
    }

    /// Gives up quickly on a cluster that does not answer: the commands work without one, and
    /// a user waiting on `plan` should not sit through a full retry schedule.
    private static let probeOptions = ClientOptions(
        transport: TransportOptions(connectTimeout: .seconds(5), requestTimeout: .seconds(30)),
        retry: RetryPolicy(maxAttempts: 2))

    static func resolve(_ options: ClusterOptions, loader: KubeconfigLoader = KubeconfigLoader()) async throws -> OptionalCluster {
        let asked = options.kubeconfig != nil || options.context != nil
        if !asked, (try? loader.load())?.files.isEmpty ?? false, !loader.inCluster.isAvailable(environment: loader.environment) {
            return .absent(reason: "no kubeconfig: none given, none in $KUBECONFIG or ~/.kube/config")
        }
        let client: KubeClient
        do {
            let configuration = try loader.configuration(explicit: options.kubeconfig,
                                                         overrides: KubeconfigOverrides(context: options.context))
            client = try KubeClient(configuration: configuration, options: probeOptions)
        } catch {
            if asked { throw error }
            return .absent(reason: Self.warn("the kubeconfig found is not usable: \(error)"))
        }
        do {
            // Discovery of the core group: every authenticated user may read it.
            _ = try await client.mapping(for: GroupVersionKind(apiVersion: "v1", kind: "Namespace"))
            return .connected(client)
        } catch {
            let problem = "cannot reach the cluster at \(client.configuration.server) (\(client.configuration.origin)): \(error)"
            if asked { throw ClusterUnreachable(description: problem) }
            return .absent(reason: Self.warn(problem))
        }
    }

    /// Says on stderr why the cluster is not used, and returns the reason for the report.
    private static func warn(_ reason: String) -> String {
        StandardStream.error.write("warning: \(reason); going on without a cluster\n")
        return reason
    }
}

/// The cluster the user asked for does not answer.
struct ClusterUnreachable: Error, CustomStringConvertible {
    let description: String
}
