import FoundationEssentials
import NIOConcurrencyHelpers
import Unstructured

/// Everything the API server knows, guarded by `Cluster`'s lock: objects, served types,
/// the seeded random source, and the per-object bookkeeping of the simulated controllers.
final class ClusterState {
    let store = ObjectStore()
    var registry = ResourceRegistry()
    let options: SandboxOptions
    var random: SeededRandom
    let credentials: Credentials?
    /// Time source; tests may advance it instead of sleeping.
    var clock: @Sendable () -> Date
    /// Set whenever something changed since the state file was last written.
    var dirty = false
    /// Warnings for the request being served (unknown fields), sent as `Warning` headers.
    var warnings: [String] = []
    /// Open watches; sessions that ended are queued in `watchRemovals` (they end on event loops).
    var activeWatches: [WatchSession] = []
    /// The sessions themselves, not their ObjectIdentifiers: a session that ended before it was
    /// subscribed can be freed before the next tick, and a new watch allocated at its address
    /// would then be unsubscribed in its place and never get an event.
    let watchRemovals = NIOLockedValueBox<[WatchSession]>([])

    init(options: SandboxOptions, credentials: Credentials?, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.options = options
        self.random = SeededRandom(seed: options.seed)
        self.credentials = credentials
        self.clock = clock
    }

    var now: Date { clock() }
    var timestamp: String { ObjectShape.timestamp(now) }

    func newUID() -> String {
        var bytes = (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }

    /// Re-derives the custom resource types after any CRD write.
    func refreshCustomResources() {
        let crdKey = StorageKey(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
        registry.setCustomResources(from: store.list(crdKey, namespace: nil))
    }

    func type(_ group: String, _ resource: String) -> ResourceType? {
        registry.preferred(StorageKey(group: group, resource: resource))
    }
}
