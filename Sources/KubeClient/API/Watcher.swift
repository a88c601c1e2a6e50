import Unstructured

/// What a `Watcher` tells its consumer. A consumer keeping a cache replaces it
/// atomically between `initStarted` and `initDone`, and applies the rest as they come.
public enum WatcherEvent: Sendable {
    /// A (re-)list begins: the objects that follow, up to `initDone`, are the whole truth.
    /// Sent again after a 410 Gone, when events were lost and the watcher re-lists.
    case initStarted
    /// One object of the list.
    case initApply(Value)
    /// The list is complete; no more `initApply` until the next `initStarted`.
    case initDone
    /// An object was added or changed.
    case apply(Value)
    /// An object was deleted; the value is its last state.
    case delete(Value)
}

/// A list-then-watch loop that survives cut connections, server timeouts and compaction,
/// written as an explicit state machine (after kube-rs's `watcher`).
///
/// Recovery: a watch that ends or breaks resumes from the last resourceVersion seen (an
/// event's or a bookmark's), so nothing is lost and nothing repeats. When the server says
/// that version is gone (410, as an HTTP status or an ERROR event inside a 200 watch), the
/// watcher re-lists. Failures back off exponentially (0.8 s to 30 s, like client-go) and the
/// backoff resets once an event arrives.
public struct Watcher: Sendable {
    /// The states of the machine; `step` moves from one to the next.
    enum State {
        /// Nothing known: the next step lists from scratch.
        case empty
        /// The list is done at `resourceVersion`; the next step opens a watch from there.
        case listed(resourceVersion: String)
        /// A watch is open; events advance `resourceVersion`.
        case watching(resourceVersion: String, events: AsyncThrowingStream<WatchEvent, any Error>.AsyncIterator)
    }

    public let client: KubeClient
    public let gvk: GroupVersionKind
    /// nil watches all namespaces.
    public let namespace: String?
    public let options: ListOptions
    public var backoff = ExponentialBackoff()
    /// How long each watch request may stay open before the server ends it.
    public var timeoutSeconds = 290

    public init(client: KubeClient, gvk: GroupVersionKind, namespace: String?, options: ListOptions = .init()) {
        self.client = client
        self.gvk = gvk
        self.namespace = namespace
        self.options = options
    }

    /// The events, until the consuming task is cancelled. Errors are retried, never thrown,
    /// except a missing kind (no CRD), which no amount of waiting fixes on its own.
    public func events() -> AsyncThrowingStream<WatcherEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var state = State.empty
                var failures = 0
                while !Task.isCancelled {
                    do {
                        let (emitted, next) = try await step(state)
                        for event in emitted { continuation.yield(event) }
                        if !emitted.isEmpty { failures = 0 }
                        state = next
                    } catch is CancellationError {
                        break
                    } catch let error as NoMappingError {
                        continuation.finish(throwing: error)
                        return
                    } catch {
                        client.logger.debug("watcher \(gvk): \(error); backing off")
                        state = Self.recover(from: state, after: error)
                        let wait = backoff.delay(attempt: failures)
                        failures += 1
                        do { try await Task.sleep(for: wait) } catch { break }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// One transition: what to emit and where to go.
    func step(_ state: State) async throws -> ([WatcherEvent], State) {
        switch state {
        case .empty:
            let list = try await client.list(gvk, namespace: namespace, options: options)
            return ([.initStarted] + list.items.map(WatcherEvent.initApply) + [.initDone],
                    .listed(resourceVersion: list.resourceVersion))
        case let .listed(resourceVersion):
            let events = try await client.watch(gvk, namespace: namespace, resourceVersion: resourceVersion, options: options,
                                                timeoutSeconds: timeoutSeconds)
            return ([], .watching(resourceVersion: resourceVersion, events: events.makeAsyncIterator()))
        case .watching(let resourceVersion, var events):
            guard let event = try await events.next() else {
                // The server closed the watch (timeoutSeconds): resume where we were.
                return ([], .listed(resourceVersion: resourceVersion))
            }
            switch event {
            case let .added(object), let .modified(object):
                return ([.apply(object)], .watching(resourceVersion: Self.version(of: object, else: resourceVersion), events: events))
            case let .deleted(object):
                return ([.delete(object)], .watching(resourceVersion: Self.version(of: object, else: resourceVersion), events: events))
            case let .bookmark(version):
                return ([], .watching(resourceVersion: version.isEmpty ? resourceVersion : version, events: events))
            case let .error(error):
                throw error
            }
        }
    }

    /// Where to continue after a failure in `state`: 410 Gone (an HTTP status or an ERROR
    /// event) and a failed list start over; a broken watch resumes from its resourceVersion.
    /// Gone backs off too, so a server that keeps compacting is not hammered with lists.
    static func recover(from state: State, after error: any Error) -> State {
        if let error = error as? APIError, error.reason == .gone { return .empty }
        switch state {
        case .empty: return .empty
        case let .listed(resourceVersion), let .watching(resourceVersion, _): return .listed(resourceVersion: resourceVersion)
        }
    }

    private static func version(of object: Value, else fallback: String) -> String {
        object["metadata"]["resourceVersion"].stringValue ?? fallback
    }
}
