import Foundation
import KubeClient
import Logging
import Sandbox
import Unstructured

/// A Sandbox started in-process for one test, and kubeconfigs for it written to a fresh
/// folder with the user section each test needs.
struct SandboxHarness {
    let sandbox: Sandbox
    let credentials: Credentials
    let folder: URL

    static func start(faults: FaultSpec = .init()) async throws -> SandboxHarness {
        var options = SandboxOptions()
        options.faults = faults
        options.readyDelay = 0.1
        let sandbox = try await Sandbox.start(options)
        guard let credentials = sandbox.credentials else { throw TestSupportError("the Sandbox has no TLS credentials") }
        let folder = FileManager.default.temporaryDirectory.appending(path: "kubeclient-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return SandboxHarness(sandbox: sandbox, credentials: credentials, folder: folder)
    }

    func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    var clientCertificateUser: String {
        "client-certificate-data: \(b64(credentials.clientCertificatePEM))\n    client-key-data: \(b64(credentials.clientKeyPEM))"
    }

    var tokenUser: String { "token: \(credentials.bearerToken)" }

    /// Writes a kubeconfig; `cluster` replaces the CA line, `user` is the user body.
    func kubeconfig(user: String, cluster: String? = nil) throws -> String {
        let clusterBody = cluster ?? "certificate-authority-data: \(b64(credentials.caCertificatePEM))"
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: \(sandbox.url)
                \(clusterBody)
            users:
            - name: tester
              user:
                \(user)
            contexts:
            - name: sandbox
              context: {cluster: sandbox, user: tester, namespace: default}
            current-context: sandbox

            """
        let file = folder.appending(path: "config-\(UUID().uuidString)").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func client(user: String, cluster: String? = nil, options: ClientOptions = .init(),
                logger: Logger = Logger(label: "test")) throws -> KubeClient {
        let file = try kubeconfig(user: user, cluster: cluster)
        let configuration = try KubeconfigLoader(environment: ProcessInfo.processInfo.environment).configuration(explicit: file)
        return try KubeClient(configuration: configuration, options: options, logger: logger)
    }

    func stop() async { await sandbox.stop() }
}

/// Keeps every log line of a logger, for tests that read the debug log.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var text: String { lock.withLock { lines.joined(separator: "\n") } }

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    func logger() -> Logger {
        var logger = Logger(label: "captured") { _ in CapturingHandler(log: self) }
        logger.logLevel = .debug
        return logger
    }
}

struct CapturingHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append("\(event.message)")
    }
}

/// Runs `body`, failing with a reason if it has not finished within `seconds`: a test that
/// waits for events which never come fails and says what it waited for instead of hanging
/// the run. The bound is a safety net, not a timing assertion, and very generous: under
/// `swift test --parallel` other suites that block the cooperative pool on child processes
/// have been seen to stall every test for two and a half minutes, after which the timer and
/// the body become runnable together.
func withDeadline<T: Sendable>(seconds: Int = 600, waitingFor what: String,
                               _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw TestSupportError("waited \(seconds) s for \(what)")
        }
        return value
    }
}
