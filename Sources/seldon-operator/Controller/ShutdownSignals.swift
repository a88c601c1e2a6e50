import Dispatch
import Foundation

/// Turns SIGTERM (the kubelet stopping the Pod) and SIGINT (Ctrl-C) into one call of
/// `onSignal`, which cancels the controller's task so it stops in order: no new work,
/// in-flight reconciles finish, the lease is released.
///
/// Installing turns the signals' default action (terminate at once) off, so the process is
/// not killed before it has stopped in order; a second signal cancels again, which changes nothing.
final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]

    init(onSignal: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "seldon-operator.signals")
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { onSignal(number) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
