import Foundation

/// Runs the built `seldon-operator` binary the way a user would, capturing its output.
///
/// End-to-end tests go through the real executable (argument parsing, exit codes,
/// stderr) rather than calling modules directly, so what they check is what users get.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

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

/// Waiting for child processes without holding a thread of Swift's cooperative pool.
///
/// Swift Testing runs every test on that pool, which has one thread per core: two here.
/// A test blocked in `waitUntilExit` or a pipe read holds one of them for as long as the
/// child runs, and two such tests starve every other test in the process (in-process
/// servers, leader-election timing) for minutes. So each blocking wait runs on a thread
/// of its own, and the test awaits it.
enum ChildProcess {
    /// Runs `work`, which blocks, on a new thread and suspends until it returns.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    /// Starts `process` with fresh pipes, writes `input` to its stdin, and collects what it
    /// prints until it exits. Both pipes are drained at once, so a full one cannot stall it.
    static func run(_ process: Process, input: Data? = nil) async throws -> CLI.Result {
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        async let stdout = offPool { out.fileHandleForReading.readDataToEndOfFile() }
        async let stderr = offPool { err.fileHandleForReading.readDataToEndOfFile() }
        let writer = inPipe.fileHandleForWriting
        try await offPool {
            Result(catching: { if let input { try writer.write(contentsOf: input) }; try writer.close() })
        }.get()
        let status = await process.exitStatus()
        return CLI.Result(status: status, stdout: String(decoding: await stdout, as: UTF8.self),
                          stderr: String(decoding: await stderr, as: UTF8.self))
    }
}

extension Process {
    /// Waits, off the cooperative pool, for the process to exit; its termination status.
    @discardableResult
    func exitStatus() async -> Int32 {
        await ChildProcess.offPool {
            self.waitUntilExit()
            return self.terminationStatus
        }
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
