import Foundation
import Testing

/// A Sandbox started through the CLI (`sandbox start --background`) and kubectl pointed at it,
/// with a fresh discovery cache, as a user would run them.
final class SandboxSession {
    let directory: URL
    let kubeconfig: URL
    let cacheDirectory: URL

    static let kubectlPath = "/usr/bin/kubectl"
    static var kubectlAvailable: Bool { FileManager.default.isExecutableFile(atPath: kubectlPath) }

    init(extraArguments: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig")
        cacheDirectory = directory.appendingPathComponent("kube-cache")
        let started = try CLI.run(["sandbox", "start", "--background", "--port", "0", "--ready-delay", "300ms",
                                   "--kubeconfig-out", kubeconfig.path] + extraArguments, in: directory)
        guard started.status == 0 else {
            throw SessionError(description: "sandbox start failed (\(started.status)): \(started.stderr)")
        }
    }

    struct SessionError: Error, CustomStringConvertible { let description: String }

    func stop() {
        _ = try? CLI.run(["sandbox", "stop", "--kubeconfig", kubeconfig.path])
        try? FileManager.default.removeItem(at: directory)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    var kubectlArguments: [String] { ["--kubeconfig", kubeconfig.path, "--cache-dir", cacheDirectory.path] }

    /// Runs kubectl to completion.
    @discardableResult
    func kubectl(_ arguments: [String]) throws -> CLI.Result {
        let process = try launch(arguments)
        let out = process.standardOutput as? Pipe
        let err = process.standardError as? Pipe
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err?.fileHandleForReading.readDataToEndOfFile() ?? Data()
            group.leave()
        }
        let outData = out?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        group.wait()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts kubectl and leaves it running (for `--watch`).
    func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.kubectlPath)
        process.arguments = kubectlArguments + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Starts kubectl and keeps reading what it prints (for `--watch`).
    func watch(_ arguments: [String]) throws -> RunningKubectl {
        try RunningKubectl(launch(arguments))
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
        DispatchQueue.global().async {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                output.append(data)
            }
        }
    }

    /// Waits, up to a deadline generous enough for a loaded machine, until the output satisfies `predicate`.
    @discardableResult
    func wait(seconds: Double = 60, until predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !predicate(output.text), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        return predicate(output.text)
    }

    /// Stops kubectl and returns everything it printed.
    func stop() -> String {
        process.terminate()
        process.waitUntilExit()
        return output.text
    }
}

/// Output gathered on a background queue while a test polls it.
final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
