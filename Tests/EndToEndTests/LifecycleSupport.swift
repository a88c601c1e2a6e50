import Foundation
import Testing

/// A Sandbox process for one test, driven through the CLI like a user would, with kubectl
/// to look at the cluster independently of seldon-operator's own client.
final class SandboxProcess {
    let folder: URL
    var kubeconfig: String { folder.appendingPathComponent("sandbox.kubeconfig").path }

    /// `addons`: simulate Istio and Knative; `options`: more `sandbox start` flags (faults).
    init(addons: Bool = true, options: [String] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lifecycle-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let started = try CLI.run(["sandbox", "start", "--background", "--port", "0", "--kubeconfig-out", kubeconfig,
                                   "--ready-delay", "100ms"] + (addons ? ["--with-istio", "--with-knative"] : []) + options)
        guard started.status == 0 else {
            throw SandboxFailure(message: "sandbox start failed: \(started.stderr)")
        }
    }

    deinit {
        _ = try? CLI.run(["sandbox", "stop", "--kubeconfig", kubeconfig])
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs seldon-operator against this Sandbox.
    func cli(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(arguments + ["--kubeconfig", kubeconfig], in: CLI.packageRoot)
    }

    /// Runs kubectl against this Sandbox; its stdout.
    func kubectl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
        process.arguments = ["--kubeconfig", kubeconfig] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SandboxFailure(message: "kubectl \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The names (`kind/name`) of every object of `kinds` the stack labelled as its own.
    func stackObjects(_ kinds: String = "deployments,statefulsets,daemonsets,services,configmaps,serviceaccounts") throws -> Set<String> {
        let output = try kubectl(["get", kinds, "-A", "-l", "app.kubernetes.io/managed-by=seldon-operator", "-o", "name"])
        return Set(output.split(separator: "\n").map(String.init))
    }

    /// Forgets the request log, so the next count starts from zero.
    func clearRequestLog() throws { _ = try kubectl(["delete", "--raw", "/sandbox/requests"]) }

    /// Every logged request since the log was cleared.
    func requests() throws -> [[String: Any]] {
        let log = try JSONSerialization.jsonObject(with: Data(try kubectl(["get", "--raw", "/sandbox/requests"]).utf8))
        return (log as? [String: Any])?["items"] as? [[String: Any]] ?? []
    }

    /// Requests that change the cluster (anything but GET) since the log was cleared,
    /// as `METHOD path` lines.
    func writeRequests() throws -> [String] {
        try requests().compactMap { item in
            guard let method = item["method"] as? String, method != "GET" else { return nil }
            return "\(method) \(item["path"] as? String ?? "")"
        }
    }

    /// A copy of examples/full.yaml with `replacements` applied, written beside the kubeconfig.
    func spec(_ replacements: [String: String] = [:]) throws -> String {
        var text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("examples/full.yaml"), encoding: .utf8)
        for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new) }
        let file = folder.appendingPathComponent("spec-\(UUID().uuidString).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}

extension SandboxProcess {
    /// Creates a SeldonDeployment `iris` in `default`, as a user of the stack would.
    func createSeldonDeployment() throws {
        let file = folder.appendingPathComponent("iris.yaml")
        try """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata:
          name: iris
          namespace: default
        spec:
          predictors:
          - name: default
            graph:
              name: classifier
              implementation: SKLEARN_SERVER
              modelUri: gs://seldon-models/sklearn/iris
        """.write(to: file, atomically: true, encoding: .utf8)
        _ = try kubectl(["apply", "-f", file.path])
    }
}

/// Polls `condition` until it holds or 10 seconds pass: for what the Sandbox's controllers
/// do asynchronously. Returns whether it held.
func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return try condition()
}

struct SandboxFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
