import FoundationEssentials
import Platform
import Unstructured
#if canImport(Glibc)
import Glibc
#endif

/// `--state FILE`: every object, the revision counter and the Sandbox's key material as one
/// JSON document, so a Sandbox restarted with the same file and port serves the same
/// kubeconfig and clients connected before the restart reconnect unchanged. The file holds
/// private keys and the bearer token: it is created with mode 0600, and replaced atomically
/// (write a temporary file in the same folder, then rename) so a crash never leaves it half-written.
enum StateFile {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func save(_ state: ClusterState, to path: String) throws {
        let objects: [Value] = state.store.snapshot().map { key, object in
            ["group": .string(key.group), "resource": .string(key.resource), "object": object]
        }
        var document: Value = ["revision": .int(state.store.revision), "objects": .list(objects)]
        if let credentials = state.credentials { document["credentials"] = credentials.value }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try writePrivately(BodyCodec.encode(document), to: temporary.path)
        if rename(temporary.path, url.path) != 0 {
            throw Failure(description: "\(path): could not replace the state file (errno \(errno))")
        }
    }

    /// Writes `bytes` to a file only its owner can read, from its first byte on.
    private static func writePrivately(_ bytes: [UInt8], to path: String) throws {
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "\(path): could not create (errno \(errno))") }
        defer { close(descriptor) }
        guard writeFully(bytes, to: descriptor) else { throw Failure(description: "\(path): could not write (errno \(errno))") }
    }

    /// The state document at `path`, or nil when there is none yet.
    static func read(_ path: String) throws -> Value? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            return try BodyCodec.decode(Array(data))
        } catch {
            throw Failure(description: "\(path): byte \(error.offset): \(error.message)")
        }
    }

    /// The key material a previous run saved, if the document holds it.
    static func credentials(in document: Value, path: String) throws -> Credentials? {
        let saved = document["credentials"]
        if saved.isNull { return nil }
        guard let credentials = Credentials(saved) else {
            throw Failure(description: "\(path): credentials: expected the PEM fields and token a Sandbox writes")
        }
        return credentials
    }

    static func restore(_ document: Value, into state: ClusterState, path: String) throws {
        guard let objects = document["objects"].listValue else {
            throw Failure(description: "\(path): expected an object with an \"objects\" list")
        }
        for entry in objects {
            guard let group = entry["group"].stringValue, let resource = entry["resource"].stringValue else { continue }
            state.store.restore(StorageKey(group: group, resource: resource), entry["object"])
        }
        if let revision = document["revision"].intValue { state.store.setRevisionFloor(revision) }
        state.refreshCustomResources()
    }
}

extension Credentials {
    fileprivate var value: Value {
        ["caCertificate": .string(caCertificatePEM), "serverCertificate": .string(serverCertificatePEM),
         "serverKey": .string(serverKeyPEM), "clientCertificate": .string(clientCertificatePEM),
         "clientKey": .string(clientKeyPEM), "bearerToken": .string(bearerToken)]
    }

    fileprivate init?(_ value: Value) {
        guard let ca = value["caCertificate"].stringValue, let serverCertificate = value["serverCertificate"].stringValue,
              let serverKey = value["serverKey"].stringValue, let clientCertificate = value["clientCertificate"].stringValue,
              let clientKey = value["clientKey"].stringValue, let token = value["bearerToken"].stringValue
        else { return nil }
        self.init(caCertificatePEM: ca, serverCertificatePEM: serverCertificate, serverKeyPEM: serverKey,
                  clientCertificatePEM: clientCertificate, clientKeyPEM: clientKey, bearerToken: token)
    }
}
