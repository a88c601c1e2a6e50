import FoundationEssentials
import NIOConcurrencyHelpers
import Platform
import Unstructured
#if canImport(Glibc)
import Glibc
#endif

/// One answered request, as tests read them back from `GET /sandbox/requests`.
public struct RequestRecord: Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: String
    public var status: Int
    public var fieldManager: String?
    public var userAgent: String?
    public var time: String
    /// The server's number for the TCP connection the request came on (`APIRequest.connection`):
    /// fewer distinct numbers than requests means the client reused connections.
    public var connection: Int

    public init(method: String, path: String, query: String, status: Int, fieldManager: String? = nil,
                userAgent: String? = nil, time: String, connection: Int = 0) {
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.fieldManager = fieldManager
        self.userAgent = userAgent
        self.time = time
        self.connection = connection
    }

    var value: Value {
        var record: Value = ["method": .string(method), "path": .string(path), "query": .string(query),
                             "status": .int(status), "time": .string(time), "connection": .int(connection)]
        record["fieldManager"] = fieldManager.map(Value.string) ?? .null
        record["userAgent"] = userAgent.map(Value.string) ?? .null
        return record
    }
}

/// The request log: bounded, thread-safe, readable over HTTP so another process can count the
/// writes a command made, and optionally appended to a JSON-lines file as requests are answered.
public final class RequestLog: Sendable {
    private let records = NIOLockedValueBox<[RequestRecord]>([])
    private let limit: Int
    /// The JSON-lines file's descriptor, open for appending; nil for a log kept in memory only.
    private let file: NIOLockedValueBox<Int32?>

    /// A log kept in memory only.
    public convenience init(limit: Int = 100_000) { self.init(limit: limit, descriptor: nil) }

    private init(limit: Int, descriptor: Int32?) {
        self.limit = limit
        file = NIOLockedValueBox(descriptor)
    }

    deinit {
        file.withLockedValue { descriptor in
            if let descriptor { close(descriptor) }
        }
    }

    /// A log that also appends each record as one JSON line to `path` (created if missing).
    public static func appending(to path: String, limit: Int = 100_000) throws -> RequestLog {
        if !FileManager.default.fileExists(atPath: path),
           !FileManager.default.createFile(atPath: path, contents: nil) {
            throw RequestLogError(description: "\(path): cannot create the request log")
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw RequestLogError(description: "\(path): cannot open the request log for appending (errno \(errno))")
        }
        return RequestLog(limit: limit, descriptor: descriptor)
    }

    struct RequestLogError: Error, CustomStringConvertible { let description: String }

    func append(_ record: RequestRecord) {
        records.withLockedValue { list in
            list.append(record)
            if list.count > limit { list.removeFirst(list.count - limit) }
        }
        file.withLockedValue { descriptor in
            // A line the disk cannot take is dropped: the request was answered and the in-memory log has it.
            if let descriptor { _ = writeFully(Array((JSON.string(record.value) + "\n").utf8), to: descriptor) }
        }
    }

    public var all: [RequestRecord] { records.withLockedValue { $0 } }

    public func clear() { records.withLockedValue { $0 = [] } }

    var json: Value { ["items": .list(all.map(\.value))] }
}
