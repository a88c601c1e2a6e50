import NIOConcurrencyHelpers
import Unstructured

/// One answered request, as tests read them back from `GET /sandbox/requests`.
public struct RequestRecord: Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: String
    public var status: Int
    public var fieldManager: String?
    public var userAgent: String?
    public var time: String

    var value: Value {
        var record: Value = ["method": .string(method), "path": .string(path), "query": .string(query),
                             "status": .int(status), "time": .string(time)]
        record["fieldManager"] = fieldManager.map(Value.string) ?? .null
        record["userAgent"] = userAgent.map(Value.string) ?? .null
        return record
    }
}

/// The request log: bounded, thread-safe, readable over HTTP so another process can count the writes a command made.
public final class RequestLog: Sendable {
    private let records = NIOLockedValueBox<[RequestRecord]>([])
    private let limit: Int

    public init(limit: Int = 100_000) { self.limit = limit }

    func append(_ record: RequestRecord) {
        records.withLockedValue { list in
            list.append(record)
            if list.count > limit { list.removeFirst(list.count - limit) }
        }
    }

    public var all: [RequestRecord] { records.withLockedValue { $0 } }

    public func clear() { records.withLockedValue { $0 = [] } }

    var json: Value { ["items": .list(all.map(\.value))] }
}
