import Foundation
import ProcessTesting
import Testing

/// A Sandbox process for one test, driven through the CLI like a user would, with kubectl
/// to look at the cluster independently of seldon-operator's own client.
final class SandboxProcess {
    let folder: URL
    var kubeconfig: String { folder.appendingPathComponent("sandbox.kubeconfig").path }

    /// `addons`: simulate Istio and Knative; `options`: more `sandbox start` flags (faults).
    init(addons: Bool = true, options: [String] = []) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lifecycle-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let started = try await CLI.run(["sandbox", "start", "--background", "--port", "0", "--kubeconfig-out", kubeconfig,
                                   "--ready-delay", "100ms"] + (addons ? ["--with-istio", "--with-knative"] : []) + options)
        guard started.status == 0 else {
            throw SandboxFailure(message: "sandbox start failed: \(started.stderr)")
        }
    }

    deinit {
        CLI.stopSandbox(kubeconfig: kubeconfig, thenRemove: folder)
    }

    /// Runs seldon-operator against this Sandbox.
    func cli(_ arguments: [String]) async throws -> CLI.Result {
        try await CLI.run(arguments + ["--kubeconfig", kubeconfig], in: CLI.packageRoot)
    }

    /// Starts seldon-operator against this Sandbox without waiting for it, for tests that
    /// interrupt it; its output is discarded.
    func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments + ["--kubeconfig", kubeconfig]
        process.currentDirectoryURL = CLI.packageRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs kubectl against this Sandbox; its stdout.
    func kubectl(_ arguments: [String]) async throws -> String {
        let result = try await kubectlResult(arguments)
        guard result.status == 0 else {
            throw SandboxFailure(message: "kubectl \(arguments.joined(separator: " ")) exited with \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    /// Runs kubectl against this Sandbox, failing or not: for requests the cluster should refuse.
    func kubectlResult(_ arguments: [String]) async throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
        process.arguments = ["--kubeconfig", kubeconfig] + arguments
        return try await ChildProcess.run(process)
    }

    /// The names (`kind/name`) of every object of `kinds` the stack labelled as its own.
    func stackObjects(_ kinds: String = "deployments,statefulsets,daemonsets,services,configmaps,serviceaccounts") async throws -> Set<String> {
        let output = try await kubectl(["get", kinds, "-A", "-l", "app.kubernetes.io/managed-by=seldon-operator", "-o", "name"])
        return Set(output.split(separator: "\n").map(String.init))
    }

    /// Forgets the request log, so the next count starts from zero.
    func clearRequestLog() async throws { _ = try await kubectl(["delete", "--raw", "/sandbox/requests"]) }

    /// Every logged request since the log was cleared.
    func requests() async throws -> [[String: Any]] {
        let log = try JSONSerialization.jsonObject(with: Data(try await kubectl(["get", "--raw", "/sandbox/requests"]).utf8))
        return (log as? [String: Any])?["items"] as? [[String: Any]] ?? []
    }

    /// Requests that change the cluster (anything but GET) since the log was cleared,
    /// as `METHOD path` lines.
    func writeRequests() async throws -> [String] {
        try await requests().compactMap { item in
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
    /// Writes `manifest` beside the kubeconfig and `kubectl apply`s it, failing or not.
    /// With a discovery cache of its own: kubectl would otherwise not know a kind whose CRD
    /// was installed after an earlier call cached the server's API list.
    func apply(_ manifest: String) async throws -> CLI.Result {
        let name = "manifest-\(UUID().uuidString)"
        let file = folder.appendingPathComponent("\(name).yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        return try await kubectlResult(["apply", "-f", file.path, "--cache-dir", folder.appendingPathComponent(name).path])
    }

    /// Creates a SeldonDeployment `iris` in `default`, as a user of the stack would.
    func createSeldonDeployment() async throws {
        let created = try await apply(Self.seldonDeployment(name: "iris", namespace: "default"))
        guard created.status == 0 else { throw SandboxFailure(message: "creating SeldonDeployment default/iris: \(created.stderr)") }
    }

    /// A SeldonDeployment serving the iris model, as one YAML document.
    static func seldonDeployment(name: String, namespace: String) -> String {
        """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          predictors:
          - name: default
            graph:
              name: classifier
              implementation: SKLEARN_SERVER
              modelUri: gs://seldon-models/sklearn/iris
        """
    }
}

/// One object as the convergence checks compare them: by identity, and by uid to tell a
/// recreated object from the one a record names.
struct LiveObject: Hashable, CustomStringConvertible {
    let kind: String
    let namespace: String
    let name: String
    let uid: String
    /// Kind, namespace and name: what two installs of the same spec must agree on.
    var key: String { "\(kind) \(namespace)/\(name)" }
    var description: String { key }
}

/// The newest release record of one component, as read back from its Secret.
struct RecordSummary {
    let component: String
    let revision: Int
    let outcome: String
    let objects: Set<LiveObject>
}

/// What the engine left in the cluster: the objects it applied itself (the field manager
/// `seldon-operator` owns fields of them; Pods, ReplicaSets and Endpoints the controllers
/// made from them carry its labels too, but are not its to count), and its release records.
struct EngineInventory {
    let applied: [LiveObject]
    let records: [RecordSummary]

    /// The newest record of each component.
    var newestRecords: [RecordSummary] {
        Dictionary(grouping: records, by: \.component).values.compactMap { $0.max { $0.revision < $1.revision } }
    }

    /// Applied objects no record names: the engine's own bookkeeping (its lock, the
    /// SeldonOperator, its namespace and CRD), which a clean install has as well.
    var unrecorded: Set<String> {
        let recorded = Set(newestRecords.flatMap(\.objects))
        return Set(applied.filter { !recorded.contains($0) }.map(\.key))
    }
}

extension SandboxProcess {
    /// Every object of every listable kind labelled as the stack's, read with kubectl.
    func inventory() async throws -> EngineInventory {
        let kinds = try await kubectl(["api-resources", "--verbs=list", "-o", "name"]).split(separator: "\n").joined(separator: ",")
        let listed = try JSONSerialization.jsonObject(with: Data(try await kubectl([
            "get", kinds, "-A", "-l", "app.kubernetes.io/managed-by=seldon-operator", "-o", "json", "--show-managed-fields",
        ]).utf8))
        var applied: [LiveObject] = []
        var records: [RecordSummary] = []
        for item in (listed as? [String: Any])?["items"] as? [[String: Any]] ?? [] {
            let metadata = item["metadata"] as? [String: Any] ?? [:]
            let labels = metadata["labels"] as? [String: String] ?? [:]
            if labels["operator.seldon.io/record"] != nil {
                records.append(try RecordSummary(secret: item))
                continue
            }
            let managers = (metadata["managedFields"] as? [[String: Any]] ?? []).compactMap { $0["manager"] as? String }
            guard managers.contains("seldon-operator") else { continue }
            applied.append(LiveObject(kind: item["kind"] as? String ?? "", namespace: metadata["namespace"] as? String ?? "",
                                      name: metadata["name"] as? String ?? "", uid: metadata["uid"] as? String ?? ""))
        }
        return EngineInventory(applied: applied, records: records)
    }
}

extension RecordSummary {
    /// Reads the fields the checks need from a record's Secret (base64 `data`, one
    /// `apiVersion kind namespace name uid` line per object).
    init(secret: [String: Any]) throws {
        let data = secret["data"] as? [String: String] ?? [:]
        let name = (secret["metadata"] as? [String: Any])?["name"] as? String ?? "?"
        func field(_ key: String) throws -> String {
            guard let encoded = data[key], let bytes = Data(base64Encoded: encoded) else {
                throw SandboxFailure(message: "release record \(name): data.\(key) is missing or not base64")
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let revision = Int(try field("revision")) else {
            throw SandboxFailure(message: "release record \(name): data.revision is not a number")
        }
        let objects = try field("objects").split(separator: "\n").map { line in
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count == 5 else { throw SandboxFailure(message: "release record \(name): object line '\(line)'") }
            return LiveObject(kind: parts[1], namespace: parts[2] == "-" ? "" : parts[2], name: parts[3], uid: parts[4])
        }
        self.init(component: try field("component"), revision: revision, outcome: try field("outcome"), objects: Set(objects))
    }
}

/// Polls `condition` until it holds or `seconds` pass: for what the Sandbox's controllers
/// or a running command do asynchronously. Returns whether it held.
func eventually(within seconds: TimeInterval = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

struct SandboxFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
