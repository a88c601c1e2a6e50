import ArgumentParser
import Dispatch
import Lifecycle
import Platform
import Sandbox
import Stack
import Synchronization
import Unstructured
#if canImport(Glibc)
import Glibc
#endif

/// `--timeout 10m`: a duration as kubectl writes them (`500ms`, `90s`, `10m`).
struct TimeoutOption: ExpressibleByArgument {
    let duration: Duration

    init?(argument: String) {
        guard let seconds = parseDuration(argument), seconds > 0 else { return nil }
        duration = .milliseconds(Int64((seconds * 1000).rounded()))
    }

    init(seconds: Int) { duration = .seconds(seconds) }

    var defaultValueDescription: String { "\(duration.components.seconds)s" }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes progress events as they come, from whichever task reports them: one line per
/// event, one JSON object per line, or (on a terminal) the live view redrawn in place.
final class ProgressPrinter: Sendable {
    enum Mode { case lines, json, live }

    /// The live view and how many lines of it are on the terminal.
    private struct Screen {
        var view = LiveView()
        var drawn = 0
    }

    private let mode: Mode
    /// Events arrive from concurrently running components.
    private let screen = Mutex(Screen())

    init(format: OutputFormat) {
        switch format {
        case .json: mode = .json
        case .text: mode = isatty(STDOUT_FILENO) == 1 ? .live : .lines
        }
    }

    func report(_ event: ProgressEvent) {
        screen.withLock { screen in
            switch mode {
            case .lines: StandardStream.output.write(event.line + "\n")
            case .json: StandardStream.output.write(JSON.string(event.value) + "\n")
            case .live:
                screen.view.apply(event)
                let lines = screen.view.lines(width: Self.terminalWidth)
                // Move back over the previous frame and clear it, then draw the new one.
                let rewind = screen.drawn > 0 ? "\u{1B}[\(screen.drawn)A\u{1B}[J" : ""
                StandardStream.output.write(rewind + lines.map { $0 + "\n" }.joined())
                screen.drawn = lines.count
            }
        }
    }

    private static var terminalWidth: Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
        return Int(size.ws_col)
    }
}

/// Which SeldonOperators a command means: the one named, or every one in the namespace
/// given (nil: in every namespace). Commands give the `-n` namespace, else the kubeconfig
/// context's, as kubectl does; only `-A` looks everywhere.
struct InstanceSelection {
    typealias Instance = (name: String, namespace: String)

    let cluster: KubeCluster

    func instances(name: String?, namespace: String?) async throws -> [Instance] {
        let all = try await cluster.list(apiVersion: SeldonOperatorResource.apiVersion, kind: SeldonOperatorResource.kind,
                                         namespace: namespace, labelSelector: nil)
        return all.compactMap { object -> Instance? in
            guard let objectName = object["metadata"]["name"].stringValue,
                  let objectNamespace = object["metadata"]["namespace"].stringValue,
                  name == nil || name == objectName else { return nil }
            return (objectName, objectNamespace)
        }.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    /// The one SeldonOperator a command that changes a stack acts on, in `namespace`: the
    /// one named, or the only one there; nil when there is none to name.
    func single(name: String?, namespace: String) async throws -> Instance? {
        let found = try await instances(name: name, namespace: namespace)
        guard found.count <= 1 else {
            let names = found.map(\.name).joined(separator: ", ")
            throw ValidationError("several SeldonOperators are installed in namespace \(namespace) (\(names)); name one")
        }
        return found.first
    }

    /// Says that nothing matched and, when SeldonOperators exist in other namespaces,
    /// where: someone who installed into seldon-system from a context whose namespace is
    /// `default` should not be left guessing.
    func nothingFound(name: String?, namespace: String?) async throws -> String {
        let named = name.map { " named \($0)" } ?? ""
        guard let namespace else { return "No SeldonOperator\(named) is installed." }
        let elsewhere = try await instances(name: name, namespace: nil).map { "\($0.namespace)/\($0.name)" }
        return "No SeldonOperator\(named) is installed in namespace \(namespace)."
            + (elsewhere.isEmpty ? "" : " Installed elsewhere: \(elsewhere.joined(separator: ", ")) (use -n NAMESPACE).")
    }
}

/// `[NAME] [-n NS | -A]`: the installed SeldonOperators a read-only command shows.
struct InstanceScopeOptions: ParsableArguments {
    @Argument(help: "The SeldonOperator (default: every one in the namespace).")
    var name: String?

    @Option(name: .shortAndLong, help: "Its namespace (default: the kubeconfig context's).")
    var namespace: String?

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Every namespace.")
    var allNamespaces = false

    func validate() throws {
        if allNamespaces, namespace != nil { throw ValidationError("-A and -n exclude each other") }
    }

    /// The SeldonOperators in scope, on the cluster `options` connect to.
    func select(on options: ClusterOptions) async throws -> SelectedInstances {
        let (client, contextNamespace) = try options.connect(namespace: namespace)
        let cluster = KubeCluster(client: client)
        let scope = allNamespaces ? nil : contextNamespace
        let selection = InstanceSelection(cluster: cluster)
        return SelectedInstances(cluster: cluster, name: name, scope: scope,
                                 instances: try await selection.instances(name: name, namespace: scope))
    }
}

/// What `InstanceScopeOptions` found, with the cluster it looked in.
struct SelectedInstances {
    let cluster: KubeCluster
    let name: String?
    /// The namespace searched; nil for every namespace.
    let scope: String?
    let instances: [InstanceSelection.Instance]

    /// What to print when `instances` is empty.
    func nothingFound() async throws -> String {
        try await InstanceSelection(cluster: cluster).nothingFound(name: name, namespace: scope)
    }
}

/// Runs a command's work so that Ctrl-C (SIGINT) or SIGTERM cancels it instead of killing
/// the process: the engine then records how far it got and releases its lock. A second
/// signal exits at once.
enum SignalCancellation {
    /// Thrown instead of the work's own error when a signal cancelled it.
    struct Interrupted: Error, CustomStringConvertible {
        let signal: Int32

        var name: String { signal == SIGINT ? "SIGINT" : "SIGTERM" }
        /// What a shell reports for a process ended by the signal.
        var exitCode: Int32 { 128 + signal }
        var description: String {
            "interrupted by \(name): the lock was released and the release records say what was done; run the command again to finish"
        }
    }

    /// What a command throws for `error`: an interruption is told on stderr and ends the
    /// process with the signal's exit code; anything else is thrown as it is.
    static func commandError(for error: any Error) -> any Error {
        guard let interrupted = error as? Interrupted else { return error }
        StandardStream.error.write("seldon-operator: \(interrupted)\n")
        return ExitCode(interrupted.exitCode)
    }

    static func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        let received = FirstSignal()
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if received.record(number) { task.cancel() } else { _exit(128 + number) }
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            for number in [SIGINT, SIGTERM] { signal(number, SIG_DFL) }
        }
        do {
            return try await task.value
        } catch {
            if let number = received.signal { throw Interrupted(signal: number) }
            throw error
        }
    }
}

/// The first signal received, shared with the handlers that run on Dispatch's queues.
private final class FirstSignal: Sendable {
    private let first = Mutex<Int32?>(nil)

    var signal: Int32? { first.withLock { $0 } }

    /// Returns whether `number` is the first signal.
    func record(_ number: Int32) -> Bool {
        first.withLock { first in
            guard first == nil else { return false }
            first = number
            return true
        }
    }
}
