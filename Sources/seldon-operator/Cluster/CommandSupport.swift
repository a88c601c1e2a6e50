import ArgumentParser
import Foundation
import Lifecycle
import Sandbox
import Stack
import Unstructured

/// `--timeout 10m`: a duration as kubectl writes them (`500ms`, `90s`, `10m`).
struct TimeoutOption: ExpressibleByArgument {
    let duration: Duration

    init?(argument: String) {
        guard let seconds = parseDuration(argument), seconds > 0 else { return nil }
        duration = .milliseconds(Int64((seconds * 1000).rounded()))
    }

    init(seconds: Int) { duration = .seconds(seconds) }

    var defaultValueDescription: String { "\(duration.components.seconds)s" }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes progress events as they come, from whichever task reports them: one line per
/// event, one JSON object per line, or (on a terminal) the live view redrawn in place.
final class ProgressPrinter: @unchecked Sendable {
    enum Mode { case lines, json, live }

    private let mode: Mode
    /// Guarded by `lock`: events arrive from concurrently running components.
    private var view = LiveView()
    private var drawn = 0
    private let lock = NSLock()

    init(format: OutputFormat) {
        switch format {
        case .json: mode = .json
        case .text: mode = isatty(STDOUT_FILENO) == 1 ? .live : .lines
        }
    }

    func report(_ event: ProgressEvent) {
        lock.withLock {
            switch mode {
            case .lines: Self.write(event.line + "\n")
            case .json: Self.write(JSON.string(event.value) + "\n")
            case .live:
                view.apply(event)
                let lines = view.lines(width: Self.terminalWidth)
                // Move back over the previous frame and clear it, then draw the new one.
                let rewind = drawn > 0 ? "\u{1B}[\(drawn)A\u{1B}[J" : ""
                Self.write(rewind + lines.map { $0 + "\n" }.joined())
                drawn = lines.count
            }
        }
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static var terminalWidth: Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
        return Int(size.ws_col)
    }
}

/// Which SeldonOperators a command means: the one named, or every one in the namespace
/// given, or (neither given) every one in the cluster.
struct InstanceSelection {
    let cluster: KubeCluster

    func instances(name: String?, namespace: String?) async throws -> [(name: String, namespace: String)] {
        let all = try await cluster.list(apiVersion: SeldonOperatorResource.apiVersion, kind: SeldonOperatorResource.kind,
                                         namespace: namespace, labelSelector: nil)
        return all.compactMap { object -> (String, String)? in
            guard let objectName = object["metadata"]["name"].stringValue,
                  let objectNamespace = object["metadata"]["namespace"].stringValue,
                  name == nil || name == objectName else { return nil }
            return (objectName, objectNamespace)
        }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }
}
