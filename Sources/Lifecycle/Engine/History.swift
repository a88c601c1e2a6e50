import Unstructured

/// The release records of one SeldonOperator, read and written through the cluster.
public struct History: Sendable {
    public let cluster: any Cluster
    public let instance: String
    public let namespace: String

    /// How many revisions of each component are kept; older records are deleted.
    public static let keptRevisions = 10

    public init(cluster: any Cluster, instance: String, namespace: String) {
        self.cluster = cluster
        self.instance = instance
        self.namespace = namespace
    }

    /// Every record, newest revision first. Secrets that do not read as records are
    /// reported, not skipped: a history with holes would make prune sets wrong.
    public func records() async throws -> [ReleaseRecord] {
        let secrets = try await cluster.list(
            apiVersion: "v1", kind: "Secret", namespace: namespace,
            labelSelector: ReleaseRecord.selector(instance: instance))
        var records: [ReleaseRecord] = []
        for secret in secrets { records.append(try ReleaseRecord(secret: secret)) }
        return records.sorted { ($0.revision, $0.component) > ($1.revision, $1.component) }
    }

    /// Records grouped by component, each newest first.
    public func byComponent() async throws -> [String: [ReleaseRecord]] {
        Dictionary(grouping: try await records(), by: \.component)
    }

    /// Writes `record` (server-side apply: writing it again is harmless) and deletes the
    /// component's records beyond the kept revisions.
    public func write(_ record: ReleaseRecord, trimming existing: [ReleaseRecord] = []) async throws {
        _ = try await cluster.apply(record.secret, fieldManager: Ownership.fieldManager, force: true)
        let older = existing.filter { $0.component == record.component && $0.revision < record.revision }
            .sorted { $0.revision > $1.revision }
        for stale in older.dropFirst(Self.keptRevisions - 1) {
            try await cluster.delete(stale.reference)
        }
    }

    /// Deletes every record: the last step of an uninstall.
    public func deleteAll() async throws {
        for record in try await records() { try await cluster.delete(record.reference) }
    }

    /// The spec that revision `revision` installed, for `rollback`.
    public func spec(ofRevision revision: Int) async throws -> String? {
        try await records().first { $0.revision == revision }?.spec
    }
}
