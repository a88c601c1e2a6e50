import Foundation
import ProcessTesting

/// Runs the built `seldon-operator` binary the way a user would, capturing its output.
///
/// End-to-end tests go through the real executable (argument parsing, exit codes,
/// stderr) rather than calling modules directly, so what they check is what users get.
struct CLI {
    typealias Result = ChildProcess.Output

    /// The executable SwiftPM built beside the test bundle.
    static let executable: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test runner may be inside `NAME.xctest/...`; walk up to the build folder.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("seldon-operator")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/seldon-operator")
    }()

    /// The package's root folder, from this source file's location.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the checkout, where the design, corpus and references live.
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// Runs the CLI with `arguments` in `directory`, feeding `input` to its stdin.
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
        input: String? = nil
    ) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        return try await ChildProcess.run(process, input: input.map { Data($0.utf8) })
    }
}

extension CLI {
    /// Stops a Sandbox started with `sandbox start --background`, then removes `folder`.
    ///
    /// For teardown (a `deinit` or `defer`), which cannot await: it starts `sandbox stop`
    /// and leaves the wait for it, and the removal after it, to a thread of their own
    /// rather than blocking the cooperative thread the test ran on.
    static func stopSandbox(kubeconfig: String, thenRemove folder: URL) {
        let stop = Process()
        stop.executableURL = executable
        stop.arguments = ["sandbox", "stop", "--kubeconfig", kubeconfig]
        stop.standardOutput = FileHandle.nullDevice
        stop.standardError = FileHandle.nullDevice
        stop.standardInput = FileHandle.nullDevice
        let started = (try? stop.run()) != nil
        Thread.detachNewThread {
            if started { stop.waitUntilExit() }
            try? FileManager.default.removeItem(at: folder)
        }
    }
}
