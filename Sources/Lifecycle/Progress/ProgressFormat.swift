import Unstructured

/// The words and values each printer shows for an event, defined once.
extension ProgressEvent {
    /// One line of text: `[  2.3s] core: applied Deployment seldon-system/x`.
    public var line: String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let time = TenthsText.string(seconds)
        let padded = String(repeating: " ", count: max(0, 6 - time.count)) + time
        return "[\(padded)s] \(component.map { "\($0): " } ?? "")\(change.summary)"
    }

    /// The event as one JSON object, for `--output json` (one per line).
    public var value: Value {
        var map: Value.Map = [
            "elapsedSeconds": .float(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18),
            "event": .string(change.name),
        ]
        if let component { map["component"] = .string(component) }
        for (key, value) in change.fields { map[key] = value }
        return .map(map)
    }
}

extension ProgressEvent.Change {
    /// The event's name in JSON output.
    var name: String {
        switch self {
        case .started: "started"
        case .blocked: "blocked"
        case .waitingForDependencies: "waitingForDependencies"
        case .applying: "applying"
        case .applied: "applied"
        case .progress: "progress"
        case .ready: "ready"
        case .failed: "failed"
        case .pruned: "pruned"
        case .deleting: "deleting"
        case .deleted: "deleted"
        case .stuck: "stuck"
        case .finalizersRemoved: "finalizersRemoved"
        case .finished: "finished"
        }
    }

    var fields: [(String, Value)] {
        func object(_ reference: ObjectReference) -> Value {
            var map: Value.Map = ["apiVersion": .string(reference.apiVersion), "kind": .string(reference.kind), "name": .string(reference.name)]
            if let namespace = reference.namespace { map["namespace"] = .string(namespace) }
            return .map(map)
        }
        switch self {
        case let .started(operation, revision, components):
            return [("operation", .string(operation)), ("revision", revision.map(Value.int) ?? .null),
                    ("components", .list(components.map(Value.string)))]
        case let .blocked(reason): return [("reason", .string(reason))]
        case let .waitingForDependencies(names): return [("dependencies", .list(names.map(Value.string)))]
        case let .applying(total, changed): return [("total", .int(total)), ("changed", .int(changed))]
        case let .applied(reference, changed): return [("object", object(reference)), ("changed", .bool(changed))]
        case let .progress(ready, total, waitingOn):
            var fields: [(String, Value)] = [("ready", .int(ready)), ("total", .int(total))]
            if let waitingOn {
                fields.append(("waitingOn", object(waitingOn.reference)))
                fields.append(("health", .string(waitingOn.status.word)))
                if let reason = waitingOn.status.reason {
                    fields.append(("reason", .string(reason.code)))
                    fields.append(("message", .string(reason.message)))
                }
            }
            return fields
        case let .ready(total): return [("total", .int(total))]
        case let .failed(message): return [("message", .string(message))]
        case let .pruned(reference), let .deleted(reference), let .finalizersRemoved(reference):
            return [("object", object(reference))]
        case let .deleting(wave, count): return [("wave", .string(wave.description)), ("count", .int(count))]
        case let .stuck(stuck):
            return [("object", object(stuck.reference)), ("finalizers", .list(stuck.finalizers.map(Value.string))),
                    ("command", .string(stuck.forceCommand))]
        case let .finished(succeeded, message): return [("succeeded", .bool(succeeded)), ("message", .string(message))]
        }
    }

    /// What the line printer says.
    var summary: String {
        switch self {
        case let .started(operation, revision, components):
            "\(operation) started\(revision.map { " (revision \($0))" } ?? ""): \(components.joined(separator: ", "))"
        case let .blocked(reason): "blocked: \(reason)"
        case let .waitingForDependencies(names): "waiting for \(names.joined(separator: ", "))"
        case let .applying(total, changed): "applying \(changed) of \(total) objects (\(total - changed) unchanged)"
        case let .applied(reference, changed): "\(changed ? "applied" : "unchanged") \(reference)"
        case let .progress(ready, total, waitingOn):
            "\(ready)/\(total) ready" + (waitingOn.map { "; waiting on \($0)" } ?? "")
        case let .ready(total): "ready (\(total) objects)"
        case let .failed(message): "FAILED: \(message)"
        case let .pruned(reference): "pruned \(reference)"
        case let .deleting(wave, count): "deleting \(count) \(wave)"
        case let .deleted(reference): "deleted \(reference)"
        case let .stuck(stuck): "STUCK: \(stuck)"
        case let .finalizersRemoved(reference): "removed the finalizers of \(reference)"
        case let .finished(succeeded, message): "\(succeeded ? "done" : "failed"): \(message)"
        }
    }
}
