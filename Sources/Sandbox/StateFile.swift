import Foundation
import Unstructured

/// `--state FILE`: every object and the revision counter as one JSON document, replaced
/// atomically (write to a temporary file in the same folder, then rename) so a crash never
/// leaves a half-written state.
enum StateFile {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func save(_ state: ClusterState, to path: String) throws {
        let objects: [Value] = state.store.snapshot().map { key, object in
            ["group": .string(key.group), "resource": .string(key.resource), "object": object]
        }
        let document: Value = ["revision": .int(state.store.revision), "objects": .list(objects)]
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try Data(BodyCodec.encode(document)).write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            throw Failure(description: "\(path): could not replace the state file (errno \(errno))")
        }
    }

    static func load(_ state: ClusterState, from path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let document: Value
        do {
            document = try BodyCodec.decode(Array(data))
        } catch {
            throw Failure(description: "\(path): byte \(error.offset): \(error.message)")
        }
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
