import Foundation
import ProcessTesting
import Testing

/// `seldon-operator run` as a child process against a Sandbox, the way it runs in a Pod:
/// JSON logs on standard error (kept in a file the test reads), `/metrics` on a port the
/// kernel picks, stopped by SIGTERM or killed outright.
final class ControllerProcess {
    let process = Process()
    let logFile: URL
    let identity: String

    init(sandbox: SandboxProcess, identity: String, arguments: [String] = []) throws {
        self.identity = identity
        logFile = sandbox.folder.appendingPathComponent("controller-\(identity).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = CLI.executable
        process.currentDirectoryURL = CLI.packageRoot
        process.arguments = ["run", "--kubeconfig", sandbox.kubeconfig, "--identity", identity, "--log-level", "debug",
                             "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "0"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Every log line so far, decoded.
    func logLines() -> [[String: Any]] {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func logged(_ message: String) -> Bool { logLines().contains { $0["msg"] as? String == message } }

    /// Waits until no reconcile is running: the last log line is a finished reconcile, and
    /// a second later nothing more was logged (the follow-up a reconcile's own writes queue
    /// has run too).
    func settled(within seconds: Double) async throws -> Bool {
        try await holds(within: seconds) {
            let before = logLines()
            guard before.last?["msg"] as? String == "reconciled" else { return false }
            try await Task.sleep(for: .seconds(1))
            return logLines().count == before.count
        }
    }

    /// The port `/metrics` listens on, from the controller's `serving` log line.
    func metricsPort() async throws -> Int {
        let found = try await holds(within: 60) {
            self.logLines().contains { $0["msg"] as? String == "serving" && $0["endpoint"] as? String == "metrics" }
        }
        guard found, let line = logLines().first(where: { $0["msg"] as? String == "serving" && $0["endpoint"] as? String == "metrics" }),
              let address = line["address"] as? String, let port = address.split(separator: ":").last.flatMap({ Int($0) })
        else { throw SandboxFailure(message: "the controller \(identity) did not report its metrics address:\n\(logTail())") }
        return port
    }

    /// `/metrics` as served.
    func metricsText() async throws -> String {
        let url = URL(string: "http://127.0.0.1:\(try await metricsPort())/metrics")!
        return try await ChildProcess.offPool { try String(contentsOf: url, encoding: .utf8) }
    }

    /// The value of one sample of `/metrics` (`name{labels}` as printed), or nil.
    func metric(_ sample: String) async throws -> Double? {
        for line in try await metricsText().split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.dropFirst(sample.count + 1))
        }
        return nil
    }

    /// SIGTERM, then waits for the process to exit; its exit status.
    @discardableResult
    func terminate() async -> Int32 {
        process.terminate()
        return await process.exitStatus()
    }

    /// SIGKILL: a crash, no lease released.
    func kill9() async {
        kill(process.processIdentifier, SIGKILL)
        await process.exitStatus()
    }

    /// The process's resident set (VmRSS), in kB; 0 once it has exited.
    func residentKilobytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
    }

    func logTail(_ count: Int = 15) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(count).joined(separator: "\n")
    }
}

extension SandboxProcess {
    /// What the operator chart provides before the controller starts: the SeldonOperator
    /// CRD and the namespace the SeldonOperators live in.
    func prepareForController(namespaces: [String] = ["seldon-system"]) async throws {
        let crd = try await CLI.run(["crd"])
        guard crd.status == 0 else { throw SandboxFailure(message: "seldon-operator crd failed: \(crd.stderr)") }
        try await kubectlApply(crd.stdout)
        for namespace in namespaces {
            try await kubectlApply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(namespace)\n")
        }
    }

    /// `kubectl apply -f` of `manifest`, written to a file beside the kubeconfig.
    func kubectlApply(_ manifest: String) async throws {
        let file = folder.appendingPathComponent("apply-\(UUID().uuidString).yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        _ = try await kubectl(["apply", "-f", file.path])
    }

    /// A SeldonOperator with `spec` (YAML, indented under `spec:`).
    func seldonOperator(name: String, namespace: String = "seldon-system", spec: String) -> String {
        """
        apiVersion: operator.seldon.io/v1alpha1
        kind: SeldonOperator
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
        \(spec)
        """
    }

    /// The SeldonOperator as stored, or nil once it is gone.
    func seldonOperatorObject(_ name: String, namespace: String = "seldon-system") async throws -> [String: Any]? {
        let output = try await kubectl(["get", "seldonoperators", "-n", namespace, "--ignore-not-found", "-o", "json", name])
        guard !output.isEmpty else { return nil }
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
    }

    /// Condition `type` of a SeldonOperator, when it describes the object's current generation.
    func currentCondition(_ type: String, of name: String, namespace: String = "seldon-system") async throws -> [String: Any]? {
        guard let object = try await seldonOperatorObject(name, namespace: namespace),
              let generation = (object["metadata"] as? [String: Any])?["generation"] as? Int,
              let status = object["status"] as? [String: Any],
              let conditions = status["conditions"] as? [[String: Any]],
              let condition = conditions.first(where: { $0["type"] as? String == type }),
              condition["observedGeneration"] as? Int == generation
        else { return nil }
        return condition
    }

    func isTrue(_ type: String, of name: String, namespace: String = "seldon-system") async throws -> Bool {
        try await currentCondition(type, of: name, namespace: namespace)?["status"] as? String == "True"
    }
}

/// Polls `condition` every 200 ms until it holds or `seconds` pass: the deadlines are
/// generous because the suite runs on two shared cores beside other suites.
func holds(within seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}

enum ControllerSpecs {
    /// Core and deploy only: the smallest stack, for tests about the controller rather than the components.
    static let minimal = "  enable:\n    analytics: false\n"
}
