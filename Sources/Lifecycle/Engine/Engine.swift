import FoundationEssentials
import Unstructured

/// Installs, upgrades and removes a stack through a `Cluster`. One value holds the
/// settings every operation shares; each operation takes the lock for its duration.
public struct Engine: Sendable {
    public var cluster: any Cluster
    /// Who holds the lock while this engine works, as a refused command will show it.
    public var identity: String
    /// The whole operation's time limit.
    public var timeout: Duration
    /// One component's time limit, from its start to healthy.
    public var componentTimeout: Duration
    public var lockDuration: Duration
    public var progress: ProgressSink
    /// Wall-clock time, for leases and health grace periods.
    public var now: @Sendable () -> Date

    public init(
        cluster: any Cluster, identity: String, timeout: Duration = .seconds(600),
        componentTimeout: Duration = .seconds(300), lockDuration: Duration = .seconds(30),
        progress: @escaping ProgressSink = { _ in }, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.cluster = cluster
        self.identity = identity
        self.timeout = timeout
        self.componentTimeout = componentTimeout
        self.lockDuration = lockDuration
        self.progress = progress
        self.now = now
    }

    /// The lock of one SeldonOperator: installs and uninstalls of it exclude each other.
    func lock(instance: String, namespace: String) -> LeaseLock {
        LeaseLock(
            cluster: cluster, namespace: namespace, name: "seldon-operator-\(instance)", identity: identity,
            duration: lockDuration, now: now)
    }

    /// Runs `body` under the lock, turning lock failures into `InstallError.lock`.
    func locked<T: Sendable>(
        instance: String, namespace: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        do {
            return try await lock(instance: instance, namespace: namespace).withLease(body)
        } catch let error as LockError {
            throw InstallError.lock(error)
        }
    }

    /// Creates the namespace the lock and records live in, if missing: the lock cannot be
    /// taken before it exists. Creating it twice is harmless.
    func ensureNamespace(_ name: String) async throws {
        let reference = ObjectReference(apiVersion: "v1", kind: "Namespace", name: name)
        let namespace: Value = [
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": ["name": .string(name), "labels": [Ownership.managedByLabel: .string(Ownership.fieldManager)]],
        ]
        // A create whose connection broke may have happened: look again before the next try.
        for attempt in 1...3 {
            guard try await cluster.get(reference) == nil else { return }
            do {
                _ = try await cluster.create(namespace)
                return
            } catch let error as ClusterError where error.reason == .alreadyExists {
                return
            } catch let error as ClusterError where error.reason == .unavailable && attempt < 3 {
                continue
            }
        }
    }
}
