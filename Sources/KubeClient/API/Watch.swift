import Unstructured

/// One event of a single watch request, as the server framed it.
public enum WatchEvent: Sendable {
    case added(Value)
    case modified(Value)
    case deleted(Value)
    /// Only `metadata.resourceVersion` is meaningful: the point to resume from.
    case bookmark(resourceVersion: String)
    /// The server ended the watch with a Status; 410 `Expired` means "re-list".
    case error(APIError)
}

extension KubeClient {
    /// One watch request: events from `resourceVersion` until the server ends the stream
    /// (after `timeoutSeconds`) or the connection breaks (the stream then throws). It does
    /// not resume by itself; `Watcher` does.
    public func watch(_ gvk: GroupVersionKind, namespace: String?, resourceVersion: String?, options: ListOptions = .init(),
                      timeoutSeconds: Int = 300, bookmarks: Bool = true) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        let mapping = try await mapping(for: gvk)
        var query = options.query + [("watch", "true"), ("timeoutSeconds", String(timeoutSeconds))]
        if bookmarks { query.append(("allowWatchBookmarks", "true")) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        let call = Call(verb: "watch", method: "GET", path: mapping.path(namespace: mapping.namespaced ? namespace : nil), query: query)
        guard case let .streaming(reply) = try await perform(call, stream: true) else {
            throw MalformedResponseError(request: call.description, status: 0, message: "no stream", excerpt: "")
        }
        let logger = logger
        return AsyncThrowingStream { continuation in
            let reader = Task {
                var framer = LineFramer()
                do {
                    for try await piece in reply.body {
                        for line in framer.append(piece) {
                            let event = try WatchEvent(line: line, request: call.description)
                            logger.debug("watch \(call.path): \(event.logSummary)")
                            continuation.yield(event)
                        }
                    }
                    guard framer.isEmpty else {
                        throw MalformedResponseError(request: call.description, status: reply.status,
                                                     message: "the watch stream ended inside an event", excerpt: "")
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in reader.cancel() }
        }
    }
}

/// Splits a byte stream into newline-terminated lines, however the network chunked it.
struct LineFramer {
    private var pending: [UInt8] = []

    var isEmpty: Bool { pending.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D } }

    mutating func append(_ bytes: [UInt8]) -> [[UInt8]] {
        pending += bytes
        var lines: [[UInt8]] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { lines.append(line) }
        }
        return lines
    }
}

extension WatchEvent {
    init(line: [UInt8], request: String) throws {
        let document: Value
        do {
            document = try JSON.parse(bytes: line, source: request)
        } catch {
            throw MalformedResponseError(request: request, status: 200, message: "a watch event is not JSON (\(error))",
                                         excerpt: String(decoding: line.prefix(200), as: UTF8.self))
        }
        let object = document["object"]
        switch document["type"].stringValue {
        case "ADDED": self = .added(object)
        case "MODIFIED": self = .modified(object)
        case "DELETED": self = .deleted(object)
        case "BOOKMARK": self = .bookmark(resourceVersion: object["metadata"]["resourceVersion"].stringValue ?? "")
        case "ERROR":
            self = .error(APIError(code: object["code"].intValue ?? 500, status: object, fallbackMessage: "watch error",
                                   retryAfterHeader: nil, request: request))
        default:
            throw MalformedResponseError(request: request, status: 200,
                                         message: "unknown watch event type \(document["type"].stringValue ?? "(none)")",
                                         excerpt: String(decoding: line.prefix(200), as: UTF8.self))
        }
    }

    var logSummary: String {
        switch self {
        case let .added(object): "ADDED \(object["metadata"]["name"].stringValue ?? "") rv=\(object["metadata"]["resourceVersion"].stringValue ?? "")"
        case let .modified(object): "MODIFIED \(object["metadata"]["name"].stringValue ?? "") rv=\(object["metadata"]["resourceVersion"].stringValue ?? "")"
        case let .deleted(object): "DELETED \(object["metadata"]["name"].stringValue ?? "") rv=\(object["metadata"]["resourceVersion"].stringValue ?? "")"
        case let .bookmark(resourceVersion): "BOOKMARK rv=\(resourceVersion)"
        case let .error(error): "ERROR \(error.code) \(error.statusReason)"
        }
    }
}
