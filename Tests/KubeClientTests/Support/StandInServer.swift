import Foundation

/// The python stand-in HTTPS server of Fixtures/stand_in_server.py, on a free loopback port,
/// stopped when the value goes away.
final class StandInServer: @unchecked Sendable {
    let port: Int
    private let process: Process

    var url: String { "https://127.0.0.1:\(port)" }

    init(pki: TestPKI, requireClientCertificate: Bool = false) async throws {
        let script = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "Fixtures/stand_in_server.py")
        process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        var arguments = ["python3", script.path, pki.serverCertificate.path, pki.serverKey.path]
        if requireClientCertificate { arguments.append(pki.caCertificate.path) }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        guard let port = Int(try await Self.firstLine(of: output.fileHandleForReading)) else {
            process.terminate()
            throw TestSupportError("stand-in server did not print its port")
        }
        self.port = port
    }

    /// The first line `handle` yields, read on a thread of its own: python may take seconds
    /// to start on a loaded machine, and a test blocked reading would hold one of the
    /// cooperative pool's threads (two on a 2-core machine) that every test shares.
    private static func firstLine(of handle: FileHandle) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    var line = Data()
                    while let byte = try handle.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
                        line.append(byte)
                    }
                    return String(decoding: line, as: UTF8.self)
                })
            }
        }
    }

    deinit {
        // SIGKILL: a child spawned from a test thread inherits that thread's blocked SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
