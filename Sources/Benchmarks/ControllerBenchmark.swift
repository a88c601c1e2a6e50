import ArgumentParser
import Foundation
import Sandbox
import Stack
import Unstructured

/// `seldon-bench controller`: `seldon-operator run` as a child process against an in-process
/// Sandbox whose simulated delays are zero (objects ready at once, controllers ticking every
/// 10 ms), so every millisecond measured is the controller's own.
///
/// Prints the controller's resident memory managing the full stack, again after 2,000
/// unrelated Secrets are added (the watches select the stack's objects by label, so it should
/// not grow), and the latency from a spec change to `Ready=True` at the new generation.
struct ControllerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller", abstract: "Resident memory and spec-change-to-Ready latency of `seldon-operator run`.")

    @OptionGroup var seldonOperator: OperatorExecutable

    @Option(help: "The component charts.")
    var charts = "charts"

    @Option(help: "How many spec changes to time.")
    var edits = 6

    @Option(help: "How many unrelated Secrets to add.")
    var secrets = 2000

    static let memoryTargetMB = 40.0
    static let growthTarget = 0.10

    func run() async throws {
        var options = SandboxOptions()
        options.withIstio = true
        options.withKnative = true
        options.readyDelay = 0
        options.controllerInterval = 0.01
        let sandbox = try await Sandbox.start(options)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("controller-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let report = try await measure(BenchCluster(sandbox: sandbox), folder: folder)
            await sandbox.stop()
            print(report)
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    private func measure(_ cluster: BenchCluster, folder: URL) async throws -> String {
        let kubeconfig = folder.appendingPathComponent("kubeconfig")
        try (cluster.sandbox.kubeconfig ?? "").write(to: kubeconfig, atomically: true, encoding: .utf8)
        try cluster.create(SeldonOperatorCRD.manifest)
        try await cluster.waitEstablished(SeldonOperatorCRD.manifest, within: .seconds(60))
        try cluster.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "seldon-system"]])
        try cluster.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "unrelated"]])

        let controller = try ChildProcess(executable: seldonOperator.path, arguments: [
            "run", "--kubeconfig", kubeconfig.path, "--charts", charts, "--identity", "bench",
            "--metrics-bind-address", "0", "--health-probe-bind-address", "0",
        ], log: folder.appendingPathComponent("controller.log"))
        defer { controller.stop() }

        let start = ContinuousClock.now
        try cluster.create(Self.seldonOperator(serviceType: "ClusterIP"))
        try await cluster.waitReady(generation: nil, within: .seconds(300), log: controller)
        let firstInstall = ContinuousClock.now - start

        try await Task.sleep(for: .seconds(5))
        let managing = controller.residentBytes()
        let managingAnonymous = controller.anonymousBytes()

        var latencies: [Duration] = []
        for edit in 0..<edits {
            let type = edit % 2 == 0 ? "NodePort" : "ClusterIP"
            let changed = ContinuousClock.now
            let generation = try cluster.patchServiceType(type)
            try await cluster.waitReady(generation: generation, within: .seconds(120), log: controller)
            latencies.append(ContinuousClock.now - changed)
        }

        for index in 0..<secrets {
            try cluster.create([
                "apiVersion": "v1", "kind": "Secret",
                "metadata": ["name": .string("unrelated-\(index)"), "namespace": "unrelated"],
                "stringData": ["token": .string(String(repeating: "x", count: 256))],
            ])
        }
        try await Task.sleep(for: .seconds(10))
        let withSecrets = controller.residentBytes()
        let withSecretsAnonymous = controller.anonymousBytes()

        let sorted = latencies.sorted()
        func ms(_ duration: Duration) -> String { String(format: "%.0f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000) }
        func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        let growth = Double(withSecrets - managing) / Double(max(managing, 1))
        return """
            controller bench: seldon-operator run against an in-process Sandbox (simulated delays zero)
              resident, managing the full stack:       \(mb(managing)) (target \(Int(Self.memoryTargetMB)) MB); anonymous \(mb(managingAnonymous))
              resident, after \(secrets) unrelated Secrets:  \(mb(withSecrets)) (\(String(format: "%+.1f", growth * 100)) %, target at most +\(Int(Self.growthTarget * 100)) %); anonymous \(mb(withSecretsAnonymous))
              first install, apply to Ready:           \(ms(firstInstall))
              spec change to Ready (\(edits) edits):          median \(ms(sorted[sorted.count / 2])), min \(ms(sorted[0])), max \(ms(sorted[sorted.count - 1]))
            """
    }

    /// Every component, as examples/full.yaml.
    static func seldonOperator(serviceType: String) -> Value {
        [
            "apiVersion": "operator.seldon.io/v1alpha1", "kind": "SeldonOperator",
            "metadata": ["name": "seldon", "namespace": "seldon-system"],
            "spec": [
                "enable": ["analytics": true, "catalogue": true, "payloadstore": true, "routing": true, "detectors": true],
                "routing": ["create_gateway": true],
                "payloadstore": ["internal_elastic": ["use_internal": true]],
                "enterprise": ["values": ["service": ["type": .string(serviceType)]]],
            ],
        ]
    }
}

/// The in-process Sandbox's API layer, called directly: no HTTP between the benchmark and
/// the server, so its own requests cost the controller's measurements nothing.
struct BenchCluster {
    let sandbox: Sandbox

    static let operatorPath = "/apis/operator.seldon.io/v1alpha1/namespaces/seldon-system/seldonoperators/seldon"

    func create(_ object: Value) throws {
        let apiVersion = object["apiVersion"].stringValue ?? ""
        let plural = object["kind"].stringValue.map { $0.lowercased() + "s" } ?? ""
        let base = apiVersion.contains("/") ? "/apis/\(apiVersion)" : "/api/\(apiVersion)"
        let path = object["metadata"]["namespace"].stringValue.map { "\(base)/namespaces/\($0)/\(plural)" } ?? "\(base)/\(plural)"
        _ = try send("POST", path, body: object, contentType: "application/json", expect: 201)
    }

    /// Changes the enterprise Service's type; returns the new generation.
    func patchServiceType(_ type: String) throws -> Int {
        let patch: Value = ["spec": ["enterprise": ["values": ["service": ["type": .string(type)]]]]]
        let stored = try send("PATCH", Self.operatorPath, body: patch, contentType: "application/merge-patch+json", expect: 200)
        guard let generation = stored["metadata"]["generation"].intValue else {
            throw ControllerBenchmarkFailure(description: "the patched SeldonOperator has no generation")
        }
        return generation
    }

    /// Waits until the API server serves the kind `definition` declares: a release build
    /// otherwise creates the SeldonOperator before its CRD is Established, and gets a 404.
    func waitEstablished(_ definition: Value, within limit: Duration) async throws {
        let name = definition["metadata"]["name"].stringValue ?? ""
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let stored = try send("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/\(name)", expect: 200)
            let established = (stored["status"]["conditions"].listValue ?? []).first { $0["type"] == "Established" }
            if established?["status"] == "True" { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ControllerBenchmarkFailure(description: "the CRD \(name) was not Established within \(limit)")
    }

    /// Waits until `Ready=True` describes `generation` (nil: the object's current one).
    func waitReady(generation: Int?, within limit: Duration, log: ChildProcess) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let object = try send("GET", Self.operatorPath, expect: 200)
            let wanted = generation ?? object["metadata"]["generation"].intValue
            let ready = (object["status"]["conditions"].listValue ?? []).first { $0["type"] == "Ready" }
            if ready?["status"] == "True", ready?["observedGeneration"].intValue == wanted { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ControllerBenchmarkFailure(description: "the SeldonOperator was not Ready within \(limit); the controller's last lines:\n\(log.tail())")
    }

    private func send(_ method: String, _ path: String, body: Value? = nil, contentType: String? = nil, expect: Int) throws -> Value {
        var headers: [String: String] = [:]
        if let contentType { headers["content-type"] = contentType }
        let request = APIRequest(method: method, path: path, headers: headers, body: body.map { Array(JSON.string($0).utf8) } ?? [],
                                 hasClientCertificate: true)
        guard case let .full(status, _, bytes) = sandbox.cluster.respondNow(to: request) else {
            throw ControllerBenchmarkFailure(description: "\(method) \(path): no answer")
        }
        guard status == expect else {
            throw ControllerBenchmarkFailure(description: "\(method) \(path): expected \(expect), got \(status): \(String(decoding: bytes, as: UTF8.self))")
        }
        return try JSON.parse(bytes: bytes, source: "\(method) \(path)")
    }
}

/// A process the benchmark starts and measures; its standard error goes to `log`.
final class ChildProcess {
    private let process = Process()
    private let log: URL

    init(executable: String, arguments: [String], log: URL) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    /// SIGTERM, and waits for the orderly stop.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// VmRSS of the child, in bytes: what the target is stated in.
    func residentBytes() -> Int { statusField("VmRSS:") }

    /// RssAnon of the child: its own heap and stacks, without the shared libraries' pages
    /// that VmRSS also counts (about 30 MB of Foundation, ICU, libcurl and OpenSSL code).
    func anonymousBytes() -> Int { statusField("RssAnon:") }

    private func statusField(_ name: String) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(name) }
        let kilobytes = line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return kilobytes * 1024
    }

    func tail(_ count: Int = 10) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(count).joined(separator: "\n")
    }
}

struct ControllerBenchmarkFailure: Error, CustomStringConvertible {
    let description: String
}
