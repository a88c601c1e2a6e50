import FoundationEssentials
import NIOConcurrencyHelpers
import NIOCore
import Unstructured

/// One watch request: replays history after the requested resourceVersion (or lists the current
/// objects when none was given), then streams matching events as chunked JSON lines until the
/// `timeoutSeconds` deadline, a fault cut, or the client leaving.
final class WatchSession: WatchStream, WatchSubscriber, @unchecked Sendable {
    private let lock = NIOLock()
    private var writer: StreamWriter?
    private var pending: [[UInt8]] = []
    private var finished = false
    private var sentColumns = false

    let type: ResourceType
    let namespace: String?
    let labels: LabelSelector
    let fields: FieldSelector
    let asTable: Bool
    let bookmarks: Bool
    let timeout: Double?
    /// Fault injection: end the stream after this many events.
    let cutAfterEvents: Int?
    private var sentEvents = 0
    private let render: (Value, Bool) -> Value
    private let unsubscribe: (WatchSession) -> Void

    init(type: ResourceType, namespace: String?, labels: LabelSelector, fields: FieldSelector, asTable: Bool,
         bookmarks: Bool, timeout: Double?, cutAfterEvents: Int?,
         render: @escaping (Value, Bool) -> Value, unsubscribe: @escaping (WatchSession) -> Void) {
        self.type = type
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
        self.asTable = asTable
        self.bookmarks = bookmarks
        self.timeout = timeout
        self.cutAfterEvents = cutAfterEvents
        self.render = render
        self.unsubscribe = unsubscribe
    }

    func matches(_ object: Value) -> Bool {
        labels.matches(object.labels) && fields.matches(object)
    }

    /// The event this watcher sees, if any: a change that moves an object into or out of the
    /// selectors is ADDED or DELETED, as kube-apiserver's watch cache reports it.
    func translate(_ event: WatchEvent) -> (String, Value)? {
        if let namespace, event.namespace != namespace { return nil }
        let now = matches(event.object)
        guard event.type == "MODIFIED", let previous = event.previous else {
            return now ? (event.type, event.object) : nil
        }
        switch (matches(previous), now) {
        case (true, true): return ("MODIFIED", event.object)
        case (false, true): return ("ADDED", event.object)
        case (true, false): return ("DELETED", event.object)
        case (false, false): return nil
        }
    }

    /// Called under the cluster lock, from the store.
    func deliver(_ event: WatchEvent) {
        guard let (type, object) = translate(event) else { return }
        enqueue(type: type, object: object)
    }

    func enqueue(type eventType: String, object: Value) {
        let first = lock.withLock { () -> Bool in
            let first = !sentColumns
            sentColumns = true
            return first
        }
        let body: Value = ["type": .string(eventType), "object": render(object, first)]
        send(BodyCodec.encode(body) + [0x0A])
        let cut = lock.withLock { () -> Bool in
            sentEvents += 1
            return cutAfterEvents.map { sentEvents >= $0 } ?? false
        }
        if cut { end(closeConnection: true) }
    }

    func bookmark(revision: Int) {
        guard bookmarks else { return }
        let object: Value = type.custom != nil
            ? ["apiVersion": .string(type.groupVersion), "kind": .string(type.kind),
               "metadata": ["resourceVersion": .string(String(revision))]]
            : ["kind": .string(type.kind), "apiVersion": .string(type.groupVersion),
               "metadata": ["resourceVersion": .string(String(revision)), "creationTimestamp": .null]]
        send(BodyCodec.encode(["type": "BOOKMARK", "object": object]) + [0x0A])
    }

    func sendError(_ error: APIError) {
        send(BodyCodec.encode(["type": "ERROR", "object": error.status]) + [0x0A])
    }

    /// The writer only queues work on its event loop, so it is handed bytes under the lock:
    /// events from different threads (and the backlog, and the end) then reach the wire in the
    /// order they were accepted here, never an event after the end or ahead of an older one.
    private func send(_ bytes: [UInt8]) {
        lock.withLock {
            if finished { return }
            if let writer { writer.send(bytes) } else { pending.append(bytes) }
        }
    }

    func start(writer: StreamWriter) {
        let finishedEarly: Bool = lock.withLock {
            self.writer = writer
            writer.send(chunks: pending)
            pending = []
            if finished { writer.finish() }
            return finished
        }
        if finishedEarly { return }
        if let timeout {
            writer.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) { [weak self] in
                self?.end(closeConnection: false)
            }
        }
    }

    /// Ends the stream cleanly (the terminating zero-length chunk).
    func end(closeConnection: Bool) {
        let ended: Bool = lock.withLock {
            if finished { return false }
            finished = true
            writer?.finish(closeConnection: closeConnection)
            return true
        }
        if ended { unsubscribe(self) }
    }

    /// Marks the stream as ending right after its backlog (a 410 ERROR, for instance).
    func finishAfterBacklog() {
        lock.withLock { finished = true }
        unsubscribe(self)
    }

    func cancel() {
        lock.withLock { finished = true }
        unsubscribe(self)
    }

    var isFinished: Bool { lock.withLock { finished } }
}

extension ClusterState {
    func watch(_ request: APIRequest, route: ResourceRoute) throws(APIError) -> APIResponse {
        let type = route.type
        let labels = try LabelSelector.parse(request.query["labelSelector"] ?? "")
        let fields = try FieldSelector.parse(request.query["fieldSelector"] ?? "", type: type)
        let asTable = TableRenderer.wantsTable(request)
        let requested = request.query["resourceVersion"].flatMap(Int.init)
        let timeout = request.query["timeoutSeconds"].flatMap(Double.init)
        var cutAfter: Int?
        if random.chance(options.faults.watchCutRate) { cutAfter = Int(random.next() % 3) + 1 }
        let forcedGone = random.chance(options.faults.watchGoneRate)
        let renderer = TableRenderer(state: self)
        let session = WatchSession(
            type: type, namespace: route.namespace, labels: labels, fields: fields, asTable: asTable,
            bookmarks: request.query["allowWatchBookmarks"] == "true", timeout: timeout,
            cutAfterEvents: cutAfter,
            render: { [weak self] object, first in
                guard let self else { return object }
                let shaped = self.present(object, as: type)
                return asTable ? renderer.table(for: [shaped], type: type, listRevision: nil, includeObject: nil,
                                                withColumns: first) : shaped
            },
            unsubscribe: { [weak self] session in self?.removeWatch(session) })
        let headers: [(String, String)] = [("Content-Type", "application/json")]
        if let requested, requested != 0, forcedGone || requested < store.compactedRevision {
            session.sendError(APIError(code: 410, reason: "Expired",
                                       message: "too old resource version: \(requested) (\(store.compactedRevision))"))
            session.finishAfterBacklog()
            return .stream(status: 200, headers: headers, session)
        }
        if let requested, requested != 0, let history = store.events(after: requested, key: type.storageKey) {
            for event in history { session.deliver(event) }
        } else {
            for object in try matchingObjects(request, route: route) {
                session.enqueue(type: "ADDED", object: object)
            }
        }
        if !session.isFinished {
            store.subscribe(type.storageKey, session)
            activeWatches.append(session)
        }
        return .stream(status: 200, headers: headers, session)
    }

    func removeWatch(_ session: WatchSession) {
        watchRemovals.withLockedValue { $0.append(session) }
    }

    /// Drops finished watches and sends bookmarks; the cluster calls this on its tick.
    func maintainWatches(sendBookmarks: Bool) {
        let removed = watchRemovals.withLockedValue { list -> [WatchSession] in
            defer { list = [] }
            return list
        }
        if !removed.isEmpty {
            let gone = Set(removed.map(ObjectIdentifier.init))
            for session in activeWatches where gone.contains(ObjectIdentifier(session)) {
                store.unsubscribe(session.type.storageKey, session)
            }
            activeWatches.removeAll { gone.contains(ObjectIdentifier($0)) }
        }
        if sendBookmarks {
            for session in activeWatches { session.bookmark(revision: store.revision) }
        }
    }
}
