import ArgumentParser
import Dispatch
import FoundationEssentials
import Platform
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

/// `seldon-operator sandbox start|stop|bench`: the embedded local Kubernetes API server.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local Kubernetes API server with simulated controllers (the embedded default cluster).",
        subcommands: [SandboxStart.self, SandboxStop.self, SandboxBench.self]
    )
}

struct SandboxStart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a Sandbox on 127.0.0.1.")

    @Option(help: "Port to listen on; 0 picks a free port.") var port = 0
    @Option(name: .customLong("kubeconfig-out"), help: "Where to write the kubeconfig.") var kubeconfigOut = "sandbox.kubeconfig"
    @Option(help: "Persist objects in this file across restarts (written atomically).") var state: String?
    @Option(name: .customLong("request-log"), help: "Append every API request (method, path, status, field manager, user agent) to this JSON-lines file.")
    var requestLog: String?
    @Flag(name: .customLong("with-istio"), help: "Install Istio's CRDs.") var withIstio = false
    @Flag(name: .customLong("with-knative"), help: "Install Knative Eventing's CRDs and a simulated Knative.") var withKnative = false
    @Option(name: .customLong("ready-delay"), help: "How long simulated controllers wait before objects become ready (e.g. 500ms, 2s).")
    var readyDelay = "1s"
    @Option(name: .customLong("ready-delay-for"), help: "Per-kind override, KIND=DURATION (e.g. deployment=5s); repeatable.")
    var readyDelayFor: [String] = []
    @Option(name: .customLong("controller-interval"), help: "How often the simulated controllers run (e.g. 100ms); a ready delay ends on the next pass.")
    var controllerInterval = "100ms"
    @Option(help: "Seed for generated names and faults.") var seed: UInt64 = 1
    @Option(help: "Fault injection, e.g. 500=0.1,429=0.05,latency=50ms,crashloop=ns/deploy (see docs/sandbox.md).")
    var faults = ""
    @Option(name: .customLong("operator"), help: "Simulated operator, RESOURCE.GROUP=FINALIZER@NAMESPACE/DEPLOYMENT; repeatable.")
    var operators: [String] = []
    @Flag(help: "Return once the server answers, leaving it running.") var background = false

    func validate() throws {
        guard parseDuration(readyDelay) != nil else { throw ValidationError("--ready-delay: expected a duration like 500ms or 2s, got '\(readyDelay)'") }
        guard let interval = parseDuration(controllerInterval), interval > 0 else {
            throw ValidationError("--controller-interval: expected a positive duration like 100ms, got '\(controllerInterval)'")
        }
        for item in readyDelayFor {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parseDuration(String(parts[1])) != nil else {
                throw ValidationError("--ready-delay-for: expected KIND=DURATION, got '\(item)'")
            }
        }
        for item in operators where SimulatedOperator.parse(item) == nil {
            throw ValidationError("--operator: expected RESOURCE.GROUP=FINALIZER@NAMESPACE/DEPLOYMENT, got '\(item)'")
        }
        do { _ = try FaultSpec.parse(faults) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        if background { return try startInBackground() }
        var options = SandboxOptions()
        options.port = port
        options.statePath = state
        options.requestLogPath = requestLog
        options.withIstio = withIstio
        options.withKnative = withKnative
        options.readyDelay = parseDuration(readyDelay) ?? 1
        options.controllerInterval = parseDuration(controllerInterval) ?? options.controllerInterval
        for item in readyDelayFor {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            options.readyDelayByKind[parts[0].lowercased()] = parseDuration(parts[1])
        }
        options.seed = seed
        options.faults = try FaultSpec.parse(faults)
        options.operators = operators.compactMap(SimulatedOperator.parse)

        let sandbox = try await Sandbox.start(options)
        try writeAtomically(sandbox.kubeconfig ?? "", to: kubeconfigOut)
        print("Sandbox listening on \(sandbox.url); kubeconfig written to \(kubeconfigOut)")
        let (stopRequests, continuation) = AsyncStream<Void>.makeStream()
        sandbox.onShutdownRequest { continuation.yield() }
        var signalSources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber)
            source.setEventHandler { continuation.yield() }
            source.resume()
            signalSources.append(source)
        }
        for await _ in stopRequests { break }
        signalSources.forEach { $0.cancel() }
        await sandbox.stop()
        print("Sandbox stopped")
    }

    /// Re-runs this command without `--background`, detached, and waits for its kubeconfig.
    private func startInBackground() throws {
        try? FileManager.default.removeItem(atPath: kubeconfigOut)
        let arguments = Array(CommandLine.arguments.dropFirst()).filter { $0 != "--background" }
        var executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath()
        if !FileManager.default.isExecutableFile(atPath: executable.path) {
            executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        }
        let child = try Subprocess.startDetached(executable: executable.path, arguments: arguments)
        for _ in 0..<300 {
            if FileManager.default.fileExists(atPath: kubeconfigOut) {
                print("Sandbox started in the background (pid \(child.pid)); kubeconfig written to \(kubeconfigOut)")
                return
            }
            if let status = child.exitStatusIfEnded() {
                throw ValidationError("the Sandbox exited during start-up (status \(status)); run without --background to see why")
            }
            usleep(100_000)
        }
        throw ValidationError("the Sandbox did not answer within 30 s")
    }
}

struct SandboxStop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the Sandbox that wrote a kubeconfig.")

    @Option(help: "The kubeconfig the Sandbox wrote.") var kubeconfig = "sandbox.kubeconfig"

    func run() async throws {
        let text: String
        do {
            text = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        } catch {
            throw ValidationError("\(kubeconfig): cannot read the kubeconfig: \(Self.reason(error))")
        }
        let client = try SandboxKubeconfig.client(from: text, path: kubeconfig)
        let response = try await client.send("POST", "/sandbox/shutdown")
        guard response.status == 200 else {
            throw ValidationError("\(kubeconfig): the server answered \(response.status) to the stop request: \(response.text)")
        }
        print("Sandbox at port \(client.port) is stopping")
    }

    /// Why the file could not be read, as strerror(3) words it: Foundation's localized error
    /// messages live in FoundationInternationalization, which the CLI does not load.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? CocoaError else { return "\(error)" }
        if let cause = error.underlying as? POSIXError { return String(cString: strerror(cause.code.rawValue)) }
        return error.code == .fileReadCorruptFile ? "not UTF-8 text" : "error \(error.code.rawValue)"
    }
}

struct SandboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Create, list and watch many objects against an in-process Sandbox; print throughput.")

    @Option(help: "How many ConfigMaps to create.") var objects = 10_000

    func run() async throws {
        let report = try await SandboxBenchmark.run(objects: objects)
        print(report.text)
    }
}

/// Writes `text` to `path` through a temporary file and a rename, so readers never see half a file.
func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
    try Data(text.utf8).write(to: temporary)
    guard rename(temporary.path, url.path) == 0 else {
        throw ValidationError("\(path): could not write the kubeconfig (errno \(errno))")
    }
}
