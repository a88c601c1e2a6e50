import Dispatch
import Platform

/// Runs `body` on a thread of its own with a stack large enough for deeply nested
/// templates (charts such as bitnami's nest `include` dozens deep, and each level costs
/// the recursive executor several frames), then returns its result. Callers may be on
/// threads with small stacks, such as Swift concurrency's pool.
func onLargeStack<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) throws(E) -> T {
    let box = ResultBox<T, E>()
    let done = DispatchSemaphore(value: 0)
    DetachedThread.start(stackSize: 256 << 20) {
        box.result = Result { () throws(E) -> T in try body() }
        done.signal()
    }
    done.wait()
    guard let result = box.result else { preconditionFailure("the render thread finished without a result") }
    return try result.get()
}

/// Hands a result from the worker thread to the waiting caller: written before the
/// semaphore is signalled, read after it is waited on, so never concurrently.
private final class ResultBox<T, E: Error>: @unchecked Sendable {
    var result: Result<T, E>?
    init() {}
}
