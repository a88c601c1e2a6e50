import Controller
import Foundation
import Lifecycle
import Stack
import Unstructured

/// A stack engine that records what it is asked and answers from a script.
actor ScriptedStack: StackDriver {
    private(set) var installs: [SeldonOperatorResource] = []
    private(set) var uninstalls: [StackInstance] = []
    /// Answers to the next installs, first first; when empty, a no-op with every
    /// component ready.
    private var outcomes: [Result<InstallOutcome, ClusterError>] = []

    func script(_ outcome: Result<InstallOutcome, ClusterError>) { outcomes.append(outcome) }

    func install(_ resource: SeldonOperatorResource) async throws -> InstallOutcome {
        installs.append(resource)
        guard !outcomes.isEmpty else { return InstallOutcome(revision: nil, writes: 0, components: Self.ready) }
        return try outcomes.removeFirst().get()
    }

    func uninstall(_ instance: StackInstance) async throws {
        uninstalls.append(instance)
    }

    static let ready = [
        ComponentStatus(name: "core", enabled: true, phase: .ready, objectsReady: 12, objectsTotal: 12, chartVersion: "1.0.0"),
        ComponentStatus(name: "analytics", enabled: false, phase: .disabled),
    ]
}

/// Keeps every event recorded.
actor RecordedEvents: EventRecorder {
    private(set) var events: [OperatorEvent] = []

    func record(_ event: OperatorEvent) async { events.append(event) }

    var reasons: [OperatorEvent.Reason] { events.map(\.reason) }
}

/// Collects log lines in memory.
final class LogLines: Sendable {
    private let lines = Locked<[String]>([])

    var all: [String] { lines.value }
    var log: JSONLog {
        JSONLog(minimum: .debug, now: { Date(timeIntervalSince1970: 1_763_762_400) }, write: { [lines] line in lines.mutate { $0.append(line) } })
    }
}

/// A value behind a lock, for test doubles shared between tasks.
final class Locked<T: Sendable>: @unchecked Sendable {
    // Sound: every access to `stored` holds `lock`.
    private var stored: T
    private let lock = NSLock()

    init(_ value: T) { stored = value }

    var value: T { lock.withLock { stored } }

    func mutate<R>(_ body: (inout T) -> R) -> R { lock.withLock { body(&stored) } }
}

/// A wall clock tests move by hand.
final class ManualClock: Sendable {
    private let current = Locked(Date(timeIntervalSince1970: 1_763_762_400))

    var now: Date { current.value }
    func advance(seconds: TimeInterval) { current.mutate { $0 = $0.addingTimeInterval(seconds) } }
    var reader: @Sendable () -> Date { { [current] in current.value } }
}
