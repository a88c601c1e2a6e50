import FoundationEssentials
import NIOConcurrencyHelpers
import Platform
import Unstructured

/// Structured log lines, one JSON object per line, as log collectors (Loki, Elasticsearch,
/// Cloud Logging) ingest them without parsing rules: `ts` (RFC 3339 with milliseconds),
/// `level`, `msg`, then the caller's fields in the order given (`controller`, `object`,
/// `duration`, `error`, ...). Fields are data, never interpolated into the message, so a
/// query can select on them.
///
/// Secrets never reach a log: the controller logs object references, counts and error
/// messages, never object contents.
public struct JSONLog: Sendable {
    public enum Level: String, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error

        private var rank: Int { Level.allCases.firstIndex(of: self) ?? 0 }
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    public let minimum: Level
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> Date

    /// Lines go to `write` (standard error by default); lines below `minimum` are dropped.
    public init(minimum: Level = .info, now: @escaping @Sendable () -> Date = { Date() },
                write: @escaping @Sendable (String) -> Void = JSONLog.standardError) {
        self.minimum = minimum
        self.now = now
        self.write = write
    }

    public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        guard level >= minimum else { return }
        write(line(level, message, fields))
    }

    /// The same, for fields known only at run time (a bridged `Logger`'s metadata).
    public func log(_ level: Level, _ message: String, fields: [(key: String, value: Value)]) {
        guard level >= minimum else { return }
        write(line(level, message, fields))
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) { log(.error, message, fields) }

    func line(_ level: Level, _ message: String, _ fields: some Sequence<(key: String, value: Value)>) -> String {
        var map: Value.Map = [
            "ts": .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(now())),
            "level": .string(level.rawValue),
            "msg": .string(message),
        ]
        for (key, value) in fields where map[key] == nil {
            map[key] = value
        }
        return JSON.string(.map(map))
    }

    /// Writes whole lines to standard error under a lock, so lines of concurrent
    /// reconciles never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        standardErrorLock.withLock {
            StandardStream.error.write(line + "\n")
        }
    }

    private static let standardErrorLock = NIOLock()
}
