import ArgumentParser
import FoundationEssentials
import KubeClient
import Lifecycle
import Stack
import Unstructured

/// `seldon-operator install -f SPEC`: installs the stack a SeldonOperator describes, or
/// upgrades it to a changed spec; an unchanged spec writes nothing.
struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install or upgrade the Seldon stack a SeldonOperator manifest describes, and wait until it is healthy."
    )

    @Option(name: .shortAndLong, help: "The SeldonOperator manifest.")
    var file: String

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var charts: ChartOptions

    @Option(help: "How long the whole install may take (500ms, 90s, 10m).")
    var timeout = TimeoutOption(seconds: 600)

    @Option(help: "How long one component may take from its start to healthy.")
    var componentTimeout = TimeoutOption(seconds: 300)

    @Option(help: "How long the install's lock outlives a killed install before the next one may take it over.")
    var lockDuration = TimeoutOption(seconds: 30)

    @Flag(help: "Show what would be created, updated and pruned; write nothing.")
    var dryRun = false

    @Option(name: .shortAndLong, help: "text (a live view on a terminal, else one line per event) or json (one event per line).")
    var output: OutputFormat = .text

    func run() async throws {
        let (client, _) = try cluster.connect()
        let planned = try await InstallPlanner(client: client, charts: try charts.source()).plan(file: file)
        let printer = ProgressPrinter(format: output)
        let engine = Engine(
            cluster: KubeCluster(client: client), identity: Identity.current, timeout: timeout.duration,
            componentTimeout: componentTimeout.duration, lockDuration: lockDuration.duration, progress: { printer.report($0) })
        if dryRun {
            let changes = try await engine.preview(planned.install)
            switch output {
            case .text: for change in changes { print(change) }
            case .json:
                for change in changes {
                    print(JSON.string([
                        "component": .string(change.component), "action": .string(change.action.rawValue),
                        "object": .string(change.reference.description),
                    ]))
                }
            }
            return
        }
        try await StackInstaller(client: client, engine: engine).install(planned, output: output, verb: "installed")
    }
}

/// What `install` and `rollback` share: the engine's install, stoppable with Ctrl-C, and
/// its outcome written to the SeldonOperator's status.
struct StackInstaller {
    let client: KubeClient
    let engine: Engine

    /// `verb` starts the closing line: "installed", "rolled back".
    func install(_ planned: InstallPlanner.Planned, output: OutputFormat, verb: String) async throws {
        let writer = StatusWriter(client: client)
        let summary: InstallSummary
        let engine = engine
        do {
            summary = try await SignalCancellation.run { try await engine.install(planned.install) }
        } catch {
            // Record the failure where `kubectl get seldonoperator` shows it; the install's own
            // error is what the user needs, so a failure to record it does not replace it.
            let reports = (try? await engine.status(instance: planned.install.instance, namespace: planned.install.namespace)) ?? []
            try? await writer.write(plan: planned.stack, reports: reports, failure: String(describing: error))
            throw SignalCancellation.commandError(for: error)
        }
        try await writer.write(plan: planned.stack, reports: summary.components)
        if output == .text {
            print("\(verb) \(planned.install.namespace)/\(planned.install.instance)"
                + (summary.revision.map { " (revision \($0), \(summary.writes) objects written)" } ?? " (no changes)"))
        }
    }
}

/// Who holds the lock while a command runs, as another command refused by it will show.
enum Identity {
    static var current: String {
        "\(ProcessInfo.processInfo.hostName)/pid-\(ProcessInfo.processInfo.processIdentifier)"
    }
}
