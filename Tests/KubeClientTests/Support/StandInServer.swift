import Foundation
import ProcessTesting

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
        // Python may take seconds to start on a loaded machine: wait for its line off the pool.
        let reader = output.fileHandleForReading
        let line = try await ChildProcess.offPool {
            var line = Data()
            while let byte = try reader.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
                line.append(byte)
            }
            return String(decoding: line, as: UTF8.self)
        }
        guard let port = Int(line) else {
            process.terminate()
            throw TestSupportError("stand-in server did not print its port")
        }
        self.port = port
    }

    deinit {
        // SIGKILL: a child spawned from a test thread inherits that thread's blocked SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
