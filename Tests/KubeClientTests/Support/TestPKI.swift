import Foundation
import ProcessTesting

/// A throwaway certificate authority with a server certificate for 127.0.0.1/localhost and
/// a client certificate, made with the openssl command line in a fresh temporary folder.
struct TestPKI {
    let folder: URL

    var caCertificate: URL { folder.appending(path: "ca.crt") }
    var serverCertificate: URL { folder.appending(path: "server.crt") }
    var serverKey: URL { folder.appending(path: "server.key") }
    var clientCertificate: URL { folder.appending(path: "client.crt") }
    var clientKey: URL { folder.appending(path: "client.key") }

    /// Generates a CA; `commonName` tells two PKIs apart in failures.
    init(commonName: String = "test-ca") async throws {
        folder = FileManager.default.temporaryDirectory.appending(path: "kubeclient-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=\(commonName)"])
        try await issue(name: "server", subject: "/CN=localhost",
                  extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth")
        try await issue(name: "client", subject: "/CN=kube-admin/O=system:masters", extensions: "extendedKeyUsage=clientAuth")
    }

    func bytes(_ file: URL) throws -> [UInt8] { Array(try Data(contentsOf: file)) }

    private func issue(name: String, subject: String, extensions: String) async throws {
        try extensions.write(to: folder.appending(path: "\(name).ext"), atomically: true, encoding: .utf8)
        try await run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
        try await run(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext"])
    }

    private func run(_ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let status = await process.exitStatus()
        guard status == 0 else {
            throw TestSupportError("openssl \(arguments.joined(separator: " ")) exited with \(status)")
        }
    }
}

struct TestSupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
