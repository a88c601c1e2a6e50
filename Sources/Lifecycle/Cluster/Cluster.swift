import Unstructured

/// Everything the lifecycle engine asks of a Kubernetes API server. The command layer
/// adapts KubeClient to it; tests use an in-memory twin. Keeping the seam this small is
/// what lets the engine be tested without a network and stay free of transport details.
///
/// Implementations retry what is worth retrying (429, 5xx, dropped connections) before
/// they throw; what reaches the engine is a `ClusterError` saying which object and why.
public protocol Cluster: Sendable {
    /// The object, or nil when it does not exist.
    func get(_ reference: ObjectReference) async throws -> Value?

    /// Every object of a kind, in one namespace or (nil) all of them, optionally filtered
    /// by a label selector in the API's string form (`a=b,c`).
    func list(apiVersion: String, kind: String, namespace: String?, labelSelector: String?) async throws -> [Value]

    /// Changes to the objects `list` would return with the same arguments.
    ///
    /// The stream begins with an `added` event for every object that exists now, then one
    /// `synced`, then reports changes as they happen. An implementation resumes (or relists, after
    /// `410 Gone`) by itself; the stream ends only when the consumer stops iterating or the
    /// watch cannot be re-established, in which case it throws.
    func watch(apiVersion: String, kind: String, namespace: String?, labelSelector: String?)
        -> AsyncThrowingStream<WatchEvent, any Error>

    /// Server-side apply of `object` under `fieldManager`; `force` takes over fields
    /// another manager owns. Returns the object as stored.
    func apply(_ object: Value, fieldManager: String, force: Bool) async throws -> Value

    /// Creates `object`; throws `.alreadyExists` if it exists.
    func create(_ object: Value) async throws -> Value

    /// Replaces `object`, which must carry the `metadata.resourceVersion` it was read at;
    /// throws `.conflict` if the stored object changed since. This is the compare-and-swap
    /// that locks are built on.
    func update(_ object: Value) async throws -> Value

    /// A JSON merge patch (RFC 7386) of `reference`; used to clear finalizers.
    func mergePatch(_ reference: ObjectReference, patch: Value) async throws -> Value

    /// Requests deletion of `reference` (background propagation). Returns false when it did
    /// not exist. An object with finalizers stays, marked with a `deletionTimestamp`,
    /// until its finalizers are removed.
    @discardableResult
    func delete(_ reference: ObjectReference) async throws -> Bool

    /// The kinds the server serves now (discovery), to tell missing prerequisites apart
    /// from errors before anything is applied.
    func servedKinds() async throws -> Set<GroupKind>
}

/// One change seen by a watch.
public enum WatchEvent: Sendable {
    case added(Value)
    case modified(Value)
    case deleted(Value)
    /// Every object that existed when the watch started has been reported: an object
    /// not among them does not exist. Lets a waiter tell "gone" from "not heard of yet".
    case synced

    /// The object concerned; `.null` for `synced`.
    public var object: Value {
        switch self {
        case let .added(object), let .modified(object), let .deleted(object): object
        case .synced: .null
        }
    }
}

/// What a `Cluster` throws: which object, what the server said, and a reason the engine
/// can act on without reading the message.
public struct ClusterError: Error, CustomStringConvertible, Sendable {
    public enum Reason: Sendable, Equatable {
        case notFound
        case alreadyExists
        /// The object changed since it was read (optimistic concurrency), or another field
        /// manager owns a field being applied.
        case conflict
        /// The server refused the object as invalid (422) or a webhook denied it.
        case invalid
        case forbidden
        /// The server or the connection failed after retries.
        case unavailable
        case other
    }

    public var reason: Reason
    public var reference: ObjectReference?
    /// The server's own message, kept whole.
    public var message: String
    /// The HTTP status the server answered with; nil when no answer came (a connection
    /// failure) or the error did not come from a server. Metrics record it as it is.
    public var httpStatus: Int?

    public init(_ reason: Reason, _ reference: ObjectReference?, _ message: String, httpStatus: Int? = nil) {
        self.reason = reason
        self.reference = reference
        self.message = message
        self.httpStatus = httpStatus
    }

    public var description: String {
        reference.map { "\($0): \(message)" } ?? message
    }
}
