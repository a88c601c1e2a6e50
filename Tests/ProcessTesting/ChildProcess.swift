import Foundation

/// Waiting for child processes without holding a thread of Swift's cooperative pool.
///
/// Swift Testing runs every test, sync or async, on that pool, which has one thread per
/// core: two on the machines this suite runs on. A test blocked in `waitUntilExit` or a
/// pipe read holds one of them for as long as the child runs, and two such tests starve
/// every other test in the process (in-process Sandboxes, NIO servers awaiting, leader
/// election timing) for minutes. So each blocking wait runs on a thread of its own, and
/// the test suspends until it is done.
public enum ChildProcess {
    /// What a child printed, and how it ended.
    public struct Output: Sendable {
        public let status: Int32
        public let standardOutput: Data
        public let standardError: Data

        public var stdout: String { String(decoding: standardOutput, as: UTF8.self) }
        public var stderr: String { String(decoding: standardError, as: UTF8.self) }
    }

    /// Runs `work`, which blocks, on a new thread and suspends until it returns.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result(catching: work)) }
        }
    }

    /// Starts `process` with fresh pipes, writes `input` to its stdin, and collects what it
    /// prints until it exits. Both pipes are drained at once, so a full one cannot stall it.
    public static func run(_ process: Process, input: Data? = nil) async throws -> Output {
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        async let stdout = offPool { out.fileHandleForReading.readDataToEndOfFile() }
        async let stderr = offPool { err.fileHandleForReading.readDataToEndOfFile() }
        let writer = inPipe.fileHandleForWriting
        try await offPool {
            if let input { try writer.write(contentsOf: input) }
            try writer.close()
        }
        let status = try await offPool {
            process.waitUntilExit()
            return process.terminationStatus
        }
        return Output(status: status, standardOutput: try await stdout, standardError: try await stderr)
    }
}

extension Process {
    /// Waits, off the cooperative pool, for the process to exit; its termination status.
    @discardableResult
    public func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                self.waitUntilExit()
                continuation.resume(returning: self.terminationStatus)
            }
        }
    }
}
