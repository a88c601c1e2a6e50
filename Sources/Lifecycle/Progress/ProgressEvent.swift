/// One thing that happened during an install or uninstall. The engine emits these to a
/// `ProgressSink`; the terminal live view, the line printer and the JSON-lines printer
/// are three readers of the same stream, so what they show cannot disagree.
public struct ProgressEvent: Sendable {
    /// The component concerned; nil for the stack as a whole.
    public var component: String?
    /// Time since the command started.
    public var elapsed: Duration
    public var change: Change

    public init(component: String?, elapsed: Duration, change: Change) {
        self.component = component
        self.elapsed = elapsed
        self.change = change
    }

    public enum Change: Sendable {
        /// The run began. `components` lists every component the run will report on.
        case started(operation: String, revision: Int?, components: [String])
        /// The component cannot go in: the cluster lacks an API it needs, or a dependency is blocked.
        case blocked(reason: String)
        /// Waiting for these components to become healthy before starting.
        case waitingForDependencies([String])
        /// Applying `total` objects (`changed` of them differ from what is live).
        case applying(total: Int, changed: Int)
        /// One object written (`changed`) or found already as desired.
        case applied(ObjectReference, changed: Bool)
        /// Health changed: `ready` of `total` objects current, and the first one still waited on.
        case progress(ready: Int, total: Int, waitingOn: NotReady?)
        /// Every object of the component is healthy.
        case ready(total: Int)
        case failed(message: String)
        /// An object of an earlier render removed because the new one no longer has it.
        case pruned(ObjectReference)
        /// Uninstall: a wave of deletions started.
        case deleting(wave: UninstallWave, count: Int)
        case deleted(ObjectReference)
        /// Uninstall: an object held by finalizers past the deadline.
        case stuck(StuckObject)
        case finalizersRemoved(ObjectReference)
        /// The run ended.
        case finished(succeeded: Bool, message: String)
    }
}

/// Where progress goes. Called from many tasks at once; implementations serialize.
public typealias ProgressSink = @Sendable (ProgressEvent) -> Void
