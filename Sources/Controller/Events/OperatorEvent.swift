import FoundationEssentials
import Lifecycle
import Unstructured

/// One thing worth telling the owner of a SeldonOperator, shown by `kubectl describe` and
/// `kubectl events`. Reasons are CamelCase and from a closed set so alerts can match them.
public struct OperatorEvent: Sendable, Equatable {
    /// What the controller did, as an Event's `reason`.
    ///
    /// It reads like Lifecycle's `ComponentReport.Phase` (a closed set of CamelCase raw
    /// values), but the two share no value and answer different questions: a phase is where
    /// one component stands and is stored in `status.components`; a reason is something that
    /// happened to the whole stack, told once. One type for both would let a phase be sent as
    /// an event reason, and would make Lifecycle, which knows nothing of Events, own the
    /// controller's vocabulary (or the reverse: Lifecycle importing Controller, against the
    /// module order), so they stay apart.
    public enum Reason: String, Sendable, CaseIterable {
        case installed = "Installed"
        case upgraded = "Upgraded"
        case pruned = "Pruned"
        case driftCorrected = "DriftCorrected"
        case uninstalled = "Uninstalled"
        case installFailed = "InstallFailed"
        case uninstallFailed = "UninstallFailed"
        case invalidSpec = "InvalidSpec"
        case refused = "Refused"

        /// Failures and refusals are warnings; everything else is normal.
        public var isWarning: Bool {
            switch self {
            case .installFailed, .uninstallFailed, .invalidSpec, .refused: true
            case .installed, .upgraded, .pruned, .driftCorrected, .uninstalled: false
            }
        }

        /// The `action` field: what the controller was doing.
        public var action: String {
            switch self {
            case .installed, .installFailed: "Install"
            case .upgraded: "Upgrade"
            case .pruned: "Prune"
            case .driftCorrected: "CorrectDrift"
            case .uninstalled, .uninstallFailed: "Uninstall"
            case .invalidSpec, .refused: "Validate"
            }
        }
    }

    /// The SeldonOperator the event is about.
    public var regarding: ObjectReference
    public var uid: String?
    public var reason: Reason
    /// For people; kept under the API's 1 kB limit for `note`.
    public var note: String

    public init(regarding: ObjectReference, uid: String? = nil, reason: Reason, note: String) {
        self.regarding = regarding
        self.uid = uid
        self.reason = reason
        self.note = note
    }
}

/// Where events go. Recording never fails the reconcile: an event is a courtesy, and a
/// cluster that refuses it (RBAC, quota) must not stop the stack from converging.
public protocol EventRecorder: Sendable {
    func record(_ event: OperatorEvent) async
}

/// Writes `events.k8s.io/v1` Events through a `Cluster`.
public struct ClusterEventRecorder: EventRecorder {
    public static let reportingController = "operator.seldon.io/seldon-operator"

    public let cluster: any Cluster
    /// This replica (Pod name), the Event's `reportingInstance`.
    public let instance: String
    public let now: @Sendable () -> Date
    public let log: JSONLog

    public init(cluster: any Cluster, instance: String, log: JSONLog, now: @escaping @Sendable () -> Date = { Date() }) {
        self.cluster = cluster
        self.instance = instance
        self.log = log
        self.now = now
    }

    public func record(_ event: OperatorEvent) async {
        do {
            _ = try await cluster.create(object(for: event))
        } catch {
            log.warning("event not recorded", [
                "object": .string(event.regarding.description), "reason": .string(event.reason.rawValue),
                "error": .string(String(describing: error)),
            ])
        }
    }

    /// The Event object. Its name is the regarding object's name and the time in hex
    /// nanoseconds, as client-go's recorder names events, so names never collide.
    func object(for event: OperatorEvent) -> Value {
        let moment = now()
        let nanoseconds = UInt64(max(0, moment.timeIntervalSince1970) * 1e9)
        var regarding: Value.Map = [
            "apiVersion": .string(event.regarding.apiVersion), "kind": .string(event.regarding.kind),
            "name": .string(event.regarding.name),
        ]
        if let namespace = event.regarding.namespace { regarding["namespace"] = .string(namespace) }
        if let uid = event.uid { regarding["uid"] = .string(uid) }
        return [
            "apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": [
                "name": .string("\(event.regarding.name).\(String(nanoseconds, radix: 16))"),
                "namespace": .string(event.regarding.namespace ?? "default"),
            ],
            "eventTime": .string(MicroTime.string(moment)),
            "reportingController": .string(Self.reportingController),
            "reportingInstance": .string(instance),
            "action": .string(event.reason.action),
            "reason": .string(event.reason.rawValue),
            "type": .string(event.reason.isWarning ? "Warning" : "Normal"),
            "regarding": .map(regarding),
            "note": .string(Self.truncated(event.note, bytes: 1024)),
        ]
    }

    /// Cuts `text` to at most `bytes` UTF-8 bytes on a character boundary.
    static func truncated(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > bytes - 3 { break }
            result.append(character)
            used += size
        }
        return result + "..."
    }
}

/// Kubernetes timestamps as the controller writes them.
enum MicroTime {
    /// `MicroTime`: `2026-11-21T21:38:23.123456Z`, as `eventTime` requires.
    static func string(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let whole = Time.string(Date(timeIntervalSince1970: seconds))
        let micros = min(999_999, Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down)))
        let fraction = String(micros)
        return whole.dropLast() + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }
}

enum Time {
    /// `Time`, in whole seconds: `2026-11-21T21:38:23Z`, as conditions carry it.
    static func string(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(Date.ISO8601FormatStyle())
    }
}
