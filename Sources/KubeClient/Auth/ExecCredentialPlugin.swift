import FoundationEssentials
import Platform
import Unstructured

/// A `client.authentication.k8s.io` credential plugin (EKS's `aws eks get-token`, GKE's
/// `gke-gcloud-auth-plugin`, ...). The plugin runs when a credential is first needed; its
/// answer is kept until its `expirationTimestamp`, or until the server answers 401.
public actor ExecCredentialPlugin: CredentialSource {
    public let config: ExecConfig
    /// The cluster, passed to the plugin when the kubeconfig sets `provideClusterInfo`.
    private let clusterInfo: Value
    private let environment: [String: String]
    private let clock: @Sendable () -> Date
    private var cached: (credential: Credential, expires: Date?)?
    private var running: Task<(Credential, Date?), any Error>?

    public init(config: ExecConfig, clusterInfo: Value = .null, environment: [String: String],
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.config = config
        self.clusterInfo = clusterInfo
        self.environment = environment
        self.clock = clock
    }

    public func credential(refresh: Bool) async throws -> Credential {
        if !refresh, let cached, cached.expires.map({ clock() < $0 }) ?? true {
            return cached.credential
        }
        // Concurrent requests share one plugin run instead of starting one each.
        let run: Task<(Credential, Date?), any Error>
        if let running {
            run = running
        } else {
            let config = config, environment = environment, input = execInfo()
            run = Task.detached { try await Self.run(config, environment: environment, input: input) }
            running = run
        }
        defer { running = nil }
        let (credential, expires) = try await run.value
        cached = (credential, expires)
        return credential
    }

    /// The `KUBERNETES_EXEC_INFO` document: tells the plugin it cannot prompt.
    private func execInfo() -> String {
        var spec: Value = ["interactive": false]
        if config.provideClusterInfo, !clusterInfo.isNull { spec["cluster"] = clusterInfo }
        let info: Value = ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": spec]
        return JSON.string(info)
    }

    private static func run(_ config: ExecConfig, environment: [String: String], input: String) async throws -> (Credential, Date?) {
        let failure = { (message: String) in
            KubeconfigError(file: config.file, field: config.field, message: message)
        }
        if config.interactiveMode == .always {
            throw failure("the exec plugin \(config.command) needs an interactive terminal (interactiveMode: Always), which seldon-operator does not provide; log in with the plugin first or set interactiveMode: IfAvailable")
        }
        guard let executable = locate(config.command, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            var message = "exec plugin command \"\(config.command)\" not found"
            if let hint = config.installHint { message += ". \(hint)" }
            throw failure(message)
        }
        var processEnvironment = environment
        for variable in config.env { processEnvironment[variable.name] = variable.value }
        processEnvironment["KUBERNETES_EXEC_INFO"] = input

        // On a thread of its own: the cooperative pool must not block on the plugin's pipes.
        let output = try await Subprocess.runDetached(executable: executable, arguments: config.args, environment: processEnvironment)
        guard output.status == 0 else {
            let detail = String(decoding: output.stderr.suffix(1000), as: UTF8.self).trimmingWhitespace()
            throw failure("exec plugin \(config.command) exited with status \(output.status)\(detail.isEmpty ? "" : ": \(detail)")")
        }
        let document: Value
        do {
            document = try JSON.parse(bytes: output.stdout, source: "output of \(config.command)")
        } catch {
            throw failure("exec plugin \(config.command) did not print an ExecCredential as JSON: \(error)")
        }
        guard document["kind"].stringValue == "ExecCredential" else {
            throw failure("exec plugin \(config.command) printed kind \(document["kind"].stringValue ?? "(none)"), expected ExecCredential")
        }
        guard document["apiVersion"].stringValue == config.apiVersion else {
            throw failure("exec plugin \(config.command) answered with apiVersion \(document["apiVersion"].stringValue ?? "(none)"), but the kubeconfig asked for \(config.apiVersion)")
        }
        let status = document["status"]
        var credential = Credential()
        if let token = status["token"].stringValue, !token.isEmpty { credential.authorization = "Bearer \(token)" }
        switch (status["clientCertificateData"].stringValue, status["clientKeyData"].stringValue) {
        case let (certificate?, key?):
            credential.clientCertificate = ClientCertificate(certificatePEM: Array(certificate.utf8), keyPEM: Array(key.utf8))
        case (nil, nil): break
        default: throw failure("exec plugin \(config.command) returned only one of clientCertificateData and clientKeyData")
        }
        guard credential.authorization != nil || credential.clientCertificate != nil else {
            throw failure("exec plugin \(config.command) returned neither status.token nor a client certificate")
        }
        var expires: Date?
        if let stamp = status["expirationTimestamp"].stringValue {
            guard let date = parseTimestamp(stamp) else {
                throw failure("exec plugin \(config.command) returned expirationTimestamp \"\(stamp)\", which is not RFC 3339")
            }
            expires = date
        }
        return (credential, expires)
    }

    private static func locate(_ command: String, path: String) -> String? {
        if command.contains("/") {
            return FileManager.default.isExecutableFile(atPath: command) ? command : nil
        }
        return path.split(separator: ":").lazy.map { "\($0)/\(command)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

func parseTimestamp(_ text: String) -> Date? {
    (try? Date(text, strategy: .iso8601))
        ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
}
