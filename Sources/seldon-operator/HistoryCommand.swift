import ArgumentParser
import FoundationEssentials
import Lifecycle

/// `seldon-operator history`: the release records of each component, newest first.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the recorded revisions of installed Seldon stacks, per component, newest first."
    )

    @OptionGroup var scope: InstanceScopeOptions
    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let selected = try await scope.select(on: cluster)
        guard !selected.instances.isEmpty else {
            print(try await selected.nothingFound())
            return
        }
        let formatter = Date.ISO8601FormatStyle()
        for instance in selected.instances {
            let records = try await History(cluster: selected.cluster, instance: instance.name, namespace: instance.namespace).records()
            print("SeldonOperator \(instance.namespace)/\(instance.name)")
            let rows = [["REVISION", "COMPONENT", "OUTCOME", "CHART", "OBJECTS", "TIME", "MESSAGE"]] + records.map {
                [String($0.revision), $0.component, $0.outcome.rawValue, $0.chartVersion, String($0.objects.count),
                 formatter.format($0.time), $0.message]
            }
            TextTable.lines(rows).forEach { print($0) }
        }
    }
}
