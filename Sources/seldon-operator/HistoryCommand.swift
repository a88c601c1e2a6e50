import ArgumentParser
import Foundation
import Lifecycle

/// `seldon-operator history`: the release records of each component, newest first.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the recorded revisions of installed Seldon stacks, per component, newest first."
    )

    @Argument(help: "The SeldonOperator (default: every one in the namespace).")
    var name: String?

    @Option(name: .shortAndLong, help: "Its namespace (default: the kubeconfig context's).")
    var namespace: String?

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Every namespace.")
    var allNamespaces = false

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if allNamespaces, namespace != nil { throw ValidationError("-A and -n exclude each other") }
    }

    func run() async throws {
        let (client, contextNamespace) = try cluster.connect(namespace: namespace)
        let kube = KubeCluster(client: client)
        let scope = allNamespaces ? nil : contextNamespace
        let selection = InstanceSelection(cluster: kube)
        let instances = try await selection.instances(name: name, namespace: scope)
        guard !instances.isEmpty else {
            print(try await selection.nothingFound(name: name, namespace: scope))
            return
        }
        let formatter = ISO8601DateFormatter()
        for instance in instances {
            let records = try await History(cluster: kube, instance: instance.name, namespace: instance.namespace).records()
            print("SeldonOperator \(instance.namespace)/\(instance.name)")
            let rows = [["REVISION", "COMPONENT", "OUTCOME", "CHART", "OBJECTS", "TIME", "MESSAGE"]] + records.map {
                [String($0.revision), $0.component, $0.outcome.rawValue, $0.chartVersion, String($0.objects.count),
                 formatter.string(from: $0.time), $0.message]
            }
            let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(((0..<6).map { row[$0].padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined() + row[6])
                    .trimmingCharacters(in: .whitespaces))
            }
        }
    }
}
