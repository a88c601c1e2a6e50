import Controller
import Logging
import ServiceLifecycle
import Unstructured

/// The watches, workers and leader election of `run` as one Service. Leader election stays
/// inside it because it gates the reconciling: the elector's work *is* the watches and
/// workers, and the lease is released when that work has stopped, never before.
///
/// Graceful shutdown cancels the controller, which then stops in order: no new keys, in-flight
/// reconciles finish, keys not started are handed back, the lease is released.
struct ControllerService: Service, CustomStringConvertible {
    let controller: OperatorController
    let log: JSONLog
    /// ServiceLifecycle logs services by description: a name, not a dump of the wiring.
    var description: String { "controller" }

    func run() async {
        await cancelWhenGracefulShutdown {
            await RunCommand.runUntilCancelled(controller, log: log)
        }
    }
}

/// The metrics and probe listeners as a Service. Listed before the controller in the group,
/// so they stop after it (ServiceGroup shuts services down in reverse order): `/healthz` keeps
/// answering while in-flight reconciles finish.
struct EndpointService: Service, CustomStringConvertible {
    let servers: EndpointServers
    var description: String { "endpoints" }

    func run() async {
        // Returns on graceful shutdown, or throws when the group is cancelled: both mean stop.
        try? await gracefulShutdown()
        await servers.stop()
    }
}

/// Lets ServiceLifecycle's own log lines (services starting, signals caught) come out as the
/// controller's JSON lines rather than in swift-log's default text format.
struct JSONLogHandler: LogHandler {
    let log: JSONLog
    var metadata: Logger.Metadata = [:]

    var logLevel: Logger.Level {
        get {
            switch log.minimum {
            case .debug: .debug
            case .info: .info
            case .warning: .warning
            case .error: .error
            }
        }
        // The level is the command's `--log-level`; a library does not change it.
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = self.metadata.merging(event.metadata ?? [:]) { _, new in new }
            .sorted { $0.key < $1.key }
            .map { (key: $0.key, value: Value.string($0.value.description)) }
        if let error = event.error { fields.append((key: "error", value: .string(String(describing: error)))) }
        log.log(Self.level(event.level), event.message.description, fields: fields)
    }

    static func level(_ level: Logger.Level) -> JSONLog.Level {
        switch level {
        case .trace, .debug: .debug
        case .info, .notice: .info
        case .warning: .warning
        case .error, .critical: .error
        }
    }
}
