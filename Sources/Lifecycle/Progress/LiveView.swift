import Unstructured

/// The terminal live view: one line per component (state, ready/total, the object and
/// reason it waits on, elapsed time), redrawn on every event.
///
/// It only turns events into lines; the command layer owns the terminal (cursor
/// movement, width) and decides when to redraw, so this stays testable without one.
public struct LiveView: Sendable {
    struct Row: Sendable {
        var state = "pending"
        var ready = 0
        var total = 0
        var detail = ""
        var since: Duration = .zero
        var elapsed: Duration = .zero
        var finished = false
    }

    private var order: [String] = []
    private var rows: [String: Row] = [:]
    private var footer = ""

    public init() {}

    /// Folds one event into the view.
    public mutating func apply(_ event: ProgressEvent) {
        guard let component = event.component else {
            switch event.change {
            case let .started(operation, _, components):
                for name in components where rows[name] == nil { order.append(name); rows[name] = Row() }
                footer = "\(operation)…"
            case let .finished(succeeded, message): footer = "\(succeeded ? "✔" : "✘") \(message)"
            case let .deleting(wave, count): footer = "deleting \(count) \(wave)"
            case let .stuck(stuck): footer = "stuck: \(stuck.reference) (\(stuck.finalizers.joined(separator: ", ")))"
            default: break
            }
            return
        }
        if rows[component] == nil { order.append(component); rows[component] = Row() }
        var row = rows[component] ?? Row()
        if !row.finished { row.elapsed = event.elapsed - row.since }
        switch event.change {
        case .blocked(let reason): row.state = "blocked"; row.detail = reason; row.finished = true
        case .waitingForDependencies(let names): row.state = "waiting"; row.detail = "for " + names.joined(separator: ", ")
        case .applying(let total, _): row.state = "applying"; row.total = total; row.since = event.elapsed; row.detail = ""
        case .progress(let ready, let total, let waitingOn):
            row.state = "waiting"; row.ready = ready; row.total = total
            row.detail = waitingOn.map { "\($0.reference) \($0.status.reason?.description ?? "")" } ?? ""
        case .ready(let total): row.state = "ready"; row.ready = total; row.total = total; row.detail = ""; row.finished = true
        case .failed(let message): row.state = "failed"; row.detail = message; row.finished = true
        default: break
        }
        rows[component] = row
    }

    /// The lines to draw, each at most `width` characters.
    public func lines(width: Int = 100) -> [String] {
        let nameWidth = order.map(\.count).max() ?? 0
        var lines = order.compactMap { name -> String? in
            guard let row = rows[name] else { return nil }
            let seconds = row.elapsed.components.seconds
            let counts = row.total > 0 ? "\(row.ready)/\(row.total)" : "-"
            let columns = [name.fitted(toWidth: nameWidth), row.state.fitted(toWidth: 8), counts.fitted(toWidth: 7),
                           String(seconds).leftPad(4) + "s", row.detail]
            let text = columns.joined(separator: "  ")
            return String(text.prefix(max(width, 20)))
        }
        if !footer.isEmpty { lines.append(String(footer.prefix(max(width, 20)))) }
        return lines
    }
}

extension String {
    fileprivate func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
