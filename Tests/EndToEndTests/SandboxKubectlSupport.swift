import Foundation
import ProcessTesting
import Testing

/// A Sandbox started through the CLI (`sandbox start --background`) and kubectl pointed at it,
/// with a fresh discovery cache, as a user would run them.
final class SandboxSession {
    let directory: URL
    let kubeconfig: URL
    let cacheDirectory: URL

    static let kubectlPath = "/usr/bin/kubectl"
    static var kubectlAvailable: Bool { FileManager.default.isExecutableFile(atPath: kubectlPath) }

    init(extraArguments: [String] = []) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig")
        cacheDirectory = directory.appendingPathComponent("kube-cache")
        let started = try await CLI.run(["sandbox", "start", "--background", "--port", "0", "--ready-delay", "300ms",
                                   "--kubeconfig-out", kubeconfig.path] + extraArguments, in: directory)
        guard started.status == 0 else {
            throw SessionError(description: "sandbox start failed (\(started.status)): \(started.stderr)")
        }
    }

    struct SessionError: Error, CustomStringConvertible { let description: String }

    /// Stops the Sandbox and removes its folder, finishing in the background (see `CLI.stopSandbox`).
    func stop() {
        CLI.stopSandbox(kubeconfig: kubeconfig.path, thenRemove: directory)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    var kubectlArguments: [String] { ["--kubeconfig", kubeconfig.path, "--cache-dir", cacheDirectory.path] }

    /// Runs kubectl to completion.
    @discardableResult
    func kubectl(_ arguments: [String]) async throws -> CLI.Result {
        try await ChildProcess.run(kubectlProcess(arguments))
    }

    /// kubectl with `arguments`, set up but not started.
    private func kubectlProcess(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.kubectlPath)
        process.arguments = kubectlArguments + arguments
        process.currentDirectoryURL = directory
        return process
    }

    /// Starts kubectl and keeps reading what it prints (for `--watch`).
    func watch(_ arguments: [String]) throws -> RunningKubectl {
        let process = kubectlProcess(arguments)
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return RunningKubectl(process)
    }
}

/// A kubectl left running, its output gathered as it arrives.
final class RunningKubectl {
    let process: Process
    let output = OutputBuffer()

    init(_ process: Process) {
        self.process = process
        guard let handle = (process.standardOutput as? Pipe)?.fileHandleForReading else { return }
        let output = self.output
        // A thread of its own, not the cooperative pool: the read blocks until kubectl prints.
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                output.append(data)
            }
        }
    }

    /// Waits, up to a deadline generous enough for a loaded machine, until the output satisfies `predicate`.
    @discardableResult
    func wait(seconds: Double = 60, until predicate: (String) -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !predicate(output.text), Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return predicate(output.text)
    }

    /// Stops kubectl and returns everything it printed.
    func stop() async -> String {
        process.terminate()
        await process.exitStatus()
        return output.text
    }
}

/// Output gathered on a background thread while a test polls it.
final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
