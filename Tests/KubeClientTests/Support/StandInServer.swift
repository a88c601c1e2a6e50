import Foundation

/// The python stand-in HTTPS server of Fixtures/stand_in_server.py, on a free loopback port,
/// stopped when the value goes away.
final class StandInServer: @unchecked Sendable {
    let port: Int
    private let process: Process

    var url: String { "https://127.0.0.1:\(port)" }

    init(pki: TestPKI, requireClientCertificate: Bool = false) throws {
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
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
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
