/// What health rules conclude about one object: a closed set, so every caller decides
/// what each outcome means to it (wait, fail fast, report).
///
/// - `current`: the object's controller has done everything its spec asks.
/// - `inProgress`: not there yet, and nothing says it will not get there; keep waiting.
/// - `failed`: it will not get there without someone acting (a crash-looping
///   container, an exceeded progress deadline, a failed Job). Installs stop at once.
/// - `unknown`: the object does not carry what the rules need to decide (a malformed
///   status); treated like in progress, but reported as such.
public enum HealthStatus: Hashable, Sendable, CustomStringConvertible {
    case current
    case inProgress(HealthReason)
    case failed(HealthReason)
    case unknown(HealthReason)

    public var isCurrent: Bool { self == .current }

    public var isFailed: Bool { if case .failed = self { true } else { false } }

    /// The reason for anything but `current`.
    public var reason: HealthReason? {
        switch self {
        case .current: nil
        case let .inProgress(reason), let .failed(reason), let .unknown(reason): reason
        }
    }

    /// `Current`, `InProgress`, `Failed` or `Unknown`: the word JSON output and `status` print.
    public var word: String {
        switch self {
        case .current: "Current"
        case .inProgress: "InProgress"
        case .failed: "Failed"
        case .unknown: "Unknown"
        }
    }

    public var description: String {
        reason.map { "\(word): \($0)" } ?? word
    }
}

/// Why an object is not current: a CamelCase code for machines (`CrashLoopBackOff`,
/// `LessReady`) and a message for people that says what was seen, with counts.
public struct HealthReason: Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension HealthStatus {
    static func inProgress(_ code: String, _ message: String) -> HealthStatus {
        .inProgress(HealthReason(code, message))
    }

    static func failed(_ code: String, _ message: String) -> HealthStatus {
        .failed(HealthReason(code, message))
    }

    static func unknown(_ code: String, _ message: String) -> HealthStatus {
        .unknown(HealthReason(code, message))
    }
}
