import ArgumentParser
import Foundation
import Helm
import Sprig
import Stack
import Unstructured

/// A full install on a Sandbox whose controllers take known times to make objects ready,
/// against the shortest time any installer could take: the dependency graph's critical path.
///
/// The Sandbox makes each object ready a fixed delay (per kind) after it first sees it, so
/// a component cannot be healthy before its slowest object, and a component cannot start
/// before the ones it depends on are healthy. The critical path sums those delays along the
/// slowest chain of the plan's graph; whatever the install takes beyond it is the engine's
/// own overhead (process start, rendering, requests, reacting to watch events).
struct InstallBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Wall time of a full install on the Sandbox over the dependency graph's critical path; requests per install and per no-op install.")

    @Option(help: "The SeldonOperator manifest to install.")
    var spec = "examples/full.yaml"

    @Option(help: "Folder holding one chart per component.")
    var charts = "charts"

    @OptionGroup var seldonOperator: OperatorExecutable

    @Option(name: .customLong("ready-delay-for"), help: "KIND=SECONDS the Sandbox waits before an object of KIND is ready; repeatable. Kinds not named are ready at once.")
    var readyDelays: [String] = [
        "pod=3", "persistentvolumeclaim=2", "customresourcedefinition=1", "broker=2", "trigger=4",
    ]

    func run() async throws {
        let delays = try ReadyDelays(readyDelays)
        let graph = try await RenderedGraph(spec: spec, charts: charts)
        let bound = graph.criticalPath(delays)
        let sandbox = try BenchSandbox(executable: seldonOperator.path, delays: delays, charts: charts)
        defer { sandbox.stop() }
        let install = try sandbox.install(spec: spec)
        let noOp = try sandbox.install(spec: spec)

        print("install of \(spec) on a Sandbox with ready delays \(delays)")
        print("critical path of the graph: \(bound)")
        print("install wall time (process start to exit): \(format(install.seconds))s")
        print("wall / critical path: \(format(install.seconds / bound.seconds)) (target ≤ 1.10)")
        let widths = [16, 10, 10, 8]
        print(row(["", "wall s", "requests", "writes"], widths: widths))
        print(row(["install", format(install.seconds), "\(install.requests)", "\(install.writes)"], widths: widths))
        print(row(["no-op install", format(noOp.seconds), "\(noOp.requests)", "\(noOp.writes)"], widths: widths))
    }
}

/// The plan's dependency graph with each installed component's rendered objects.
struct RenderedGraph {
    let plan: StackPlan
    /// Per component, its objects other than CRDs and Namespaces.
    let objects: [ComponentID: [Value]]
    /// Every component's CRDs and Namespaces, which the engine applies and waits for first.
    let foundation: [Value]

    init(spec: String, charts: String) async throws {
        // Without a cluster every component the spec enables goes in, as on a Sandbox
        // with Istio and Knative.
        plan = try await StackPlanner.plan(try SeldonOperatorFile.load(path: spec))
        let renderer = StackRenderer(
            charts: .folder(URL(fileURLWithPath: charts)),
            engine: Engine(functions: Sprig.library(entropy: SystemEntropy(), clock: SystemClock())))
        let rendered = try renderer.render(plan)
        let foundationKinds: Set<String> = ["CustomResourceDefinition", "Namespace"]
        func isFoundation(_ object: Value) -> Bool { foundationKinds.contains(object["kind"].stringValue ?? "") }
        objects = Dictionary(uniqueKeysWithValues: rendered.map { ($0.id, $0.objects.filter { !isFoundation($0) }) })
        foundation = rendered.flatMap { $0.objects.filter(isFoundation) }
    }

    /// The slowest chain of what must happen one after another: the SeldonOperator's CRD
    /// established (the SeldonOperator goes in before anything it installs, so that
    /// `status`, `history` and `uninstall` find a stack stopped at any moment); every
    /// other CRD and Namespace, side by side; then the longest sum, along the graph's
    /// dependencies, of each component's slowest object (a component is healthy with its
    /// slowest object, and its dependents start then).
    func criticalPath(_ delays: ReadyDelays) -> CriticalPath {
        func total(_ chain: [(name: String, seconds: Double)]) -> Double { chain.map(\.seconds).reduce(0, +) }
        var slowest: [ComponentID: [(name: String, seconds: Double)]] = [:]
        for id in plan.levels.joined() where plan.installing.contains(id) {
            let before = (plan.graph.dependencies[id] ?? []).compactMap { slowest[$0] }.max { total($0) < total($1) } ?? []
            slowest[id] = before + [(id.rawValue, (objects[id] ?? []).map(delays.readySeconds).max() ?? 0)]
        }
        return CriticalPath(steps: [
            ("SeldonOperator CRD", delays.seconds(forKind: "CustomResourceDefinition")),
            ("CRDs and namespaces", foundation.map(delays.readySeconds).max() ?? 0),
        ] + (slowest.values.max { total($0) < total($1) } ?? []))
    }
}

/// The Sandbox's per-kind ready delays, and how long each rendered object takes under them.
struct ReadyDelays: CustomStringConvertible {
    private var byKind: [String: Double] = [:]

    init(_ items: [String]) throws {
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let seconds = Double(parts[1]), seconds >= 0 else {
                throw ValidationError("--ready-delay-for: expected KIND=SECONDS, got '\(item)'")
            }
            byKind[parts[0].lowercased()] = seconds
        }
    }

    func seconds(forKind kind: String) -> Double { byKind[kind.lowercased()] ?? 0 }

    /// When `object` is ready after the Sandbox first sees it (docs/sandbox.md, "Simulated
    /// controllers"): workloads once their Pods are; a StatefulSet's Pods also wait for
    /// their claims to bind; a webhook once its Service's Pods are ready endpoints; a
    /// LoadBalancer Service once it has an ingress; kinds with a controller of their own
    /// after their own delay.
    func readySeconds(_ object: Value) -> Double {
        let kind = object["kind"].stringValue ?? ""
        switch kind {
        case "Deployment", "DaemonSet", "ReplicaSet", "Job", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration":
            return seconds(forKind: "Pod")
        case "StatefulSet":
            let claims = !(object["spec"]["volumeClaimTemplates"].listValue ?? []).isEmpty
            return max(seconds(forKind: "Pod"), claims ? seconds(forKind: "PersistentVolumeClaim") : 0)
        case "Service":
            return object["spec"]["type"].stringValue == "LoadBalancer" ? seconds(forKind: "Service") : 0
        case "Pod", "PersistentVolumeClaim", "CustomResourceDefinition", "Broker", "Trigger":
            return seconds(forKind: kind)
        default:
            return 0
        }
    }

    /// The Sandbox's flags: nothing waits unless named.
    var sandboxArguments: [String] {
        // Controllers pass every 10 ms, so a ready delay ends within 10 ms of its time: the
        // simulated cluster's own latency stays out of what the ratio charges to the engine.
        ["--ready-delay", "0s", "--controller-interval", "10ms"]
            + byKind.sorted { $0.key < $1.key }.flatMap { ["--ready-delay-for", "\($0.key)=\($0.value)s"] }
    }

    var description: String { byKind.sorted { $0.key < $1.key }.map { "\($0.key)=\(format($0.value))s" }.joined(separator: ", ") }
}

/// The slowest chain of sequential steps, each with how long it must take.
struct CriticalPath: CustomStringConvertible {
    var steps: [(name: String, seconds: Double)]
    var seconds: Double { steps.map(\.seconds).reduce(0, +) }
    var description: String {
        steps.map { "\($0.name) \(format($0.seconds))s" }.joined(separator: " → ") + " = \(format(seconds))s"
    }
}

/// A Sandbox started through the CLI with a request log, and installs timed against it.
struct BenchSandbox {
    let executable: String
    let charts: String
    let folder: URL
    var kubeconfig: String { folder.appendingPathComponent("sandbox.kubeconfig").path }
    var requestLog: URL { folder.appendingPathComponent("requests.jsonl") }

    struct Measurement {
        let seconds: Double
        let requests: Int
        let writes: Int
    }

    init(executable: String, delays: ReadyDelays, charts: String) throws {
        self.executable = executable
        self.charts = charts
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("seldon-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try run(["sandbox", "start", "--background", "--port", "0", "--kubeconfig-out", kubeconfig,
                 "--request-log", requestLog.path, "--with-istio", "--with-knative"] + delays.sandboxArguments)
    }

    func stop() {
        _ = try? run(["sandbox", "stop", "--kubeconfig", kubeconfig])
        try? FileManager.default.removeItem(at: folder)
    }

    /// One install, timed from process start to exit, with the API requests it made (the
    /// Sandbox appends each to the log before answering it).
    func install(spec: String) throws -> Measurement {
        let before = try loggedRequests().count
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            try run(["install", "-f", spec, "--charts", charts, "--kubeconfig", kubeconfig, "--timeout", "10m"])
        }
        let requests = try loggedRequests().dropFirst(before)
        let (seconds, attoseconds) = elapsed.components
        return Measurement(seconds: Double(seconds) + Double(attoseconds) / 1e18, requests: requests.count,
                           writes: requests.filter { $0 != "GET" }.count)
    }

    /// The method of every request logged so far, in order.
    private func loggedRequests() throws -> [String] {
        try String(contentsOf: requestLog, encoding: .utf8).split(separator: "\n").map { line in
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let method = record?["method"] as? String else {
                throw BenchFailure(description: "\(requestLog.path): a line without a method: \(line)")
            }
            return method
        }
    }

    /// Runs the CLI; its stderr becomes the error when it fails.
    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchFailure(description: "seldon-operator \(arguments.prefix(2).joined(separator: " ")) failed: "
                + String(decoding: message, as: UTF8.self))
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
}
