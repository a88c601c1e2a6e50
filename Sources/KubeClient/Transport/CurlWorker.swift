import CCurl
import CCurlShim
import Platform
import Synchronization

/// Drives every transfer of one transport through a single curl multi handle on a
/// dedicated thread. The multi handle keeps the connection cache, so sequential requests
/// reuse connections and concurrent ones share an HTTP/2 connection; the thread keeps
/// curl's blocking poll away from Swift's cooperative pool.
final class CurlWorker: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    /// Also guards the multi handle's lifetime against `curl_multi_wakeup`, which is
    /// called only while holding it.
    private let queue = Mutex(Queue())
    /// Transfers inside the multi handle; touched by the worker thread only.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init?() {
        guard CurlGlobal.initialized, let multi = curl_multi_init() else { return nil }
        self.multi = multi
        _ = seldon_curl_multi_set_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        DetachedThread.start(name: "kubeclient-curl") { [self] in run() }
    }

    /// What other threads hand the worker thread.
    private struct Queue {
        var pendingStarts: [CurlTransfer] = []
        var pendingCancels: [(CurlTransfer, any Error)] = []
        var stopping = false
        var multiAlive = true
    }

    func start(_ transfer: CurlTransfer) {
        let accepted = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.pendingStarts.append(transfer)
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted { transfer.fail(CancellationError()) }
    }

    /// Stops `transfer` if it is still running; its waiter gets `error`.
    func cancel(_ transfer: CurlTransfer, with error: any Error = CancellationError()) {
        queue.withLock { queue in
            guard queue.multiAlive else { return }
            queue.pendingCancels.append((transfer, error))
            curl_multi_wakeup(multi)
        }
    }

    /// Fails whatever is still running and ends the thread.
    func stop() {
        queue.withLock { queue in
            queue.stopping = true
            if queue.multiAlive { curl_multi_wakeup(multi) }
        }
    }

    private func run() {
        while true {
            let (starts, cancels, stop) = queue.withLock { queue in
                defer { queue.pendingStarts = []; queue.pendingCancels = [] }
                return (queue.pendingStarts, queue.pendingCancels, queue.stopping)
            }
            for transfer in starts {
                if curl_multi_add_handle(multi, transfer.handle) == CURLM_OK {
                    active[transfer.handle] = transfer
                } else {
                    transfer.fail(TransportError(kind: .other, url: transfer.url, detail: "curl_multi_add_handle failed", code: -1))
                }
            }
            for (transfer, error) in cancels {
                guard let running = active.removeValue(forKey: transfer.handle) else { continue }
                curl_multi_remove_handle(multi, running.handle)
                running.fail(error)
            }
            if stop { break }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                var handle: UnsafeMutableRawPointer?
                var result = CURLE_OK
                guard seldon_curl_message_done(message, &handle, &result) == 1, let handle,
                      let transfer = active.removeValue(forKey: handle) else { continue }
                curl_multi_remove_handle(multi, handle)
                transfer.complete(result)
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for transfer in active.values {
            curl_multi_remove_handle(multi, transfer.handle)
            transfer.fail(CancellationError())
        }
        active = [:]
        let leftovers = queue.withLock { queue in
            queue.multiAlive = false
            curl_multi_cleanup(multi)
            defer { queue.pendingStarts = [] }
            return queue.pendingStarts
        }
        for transfer in leftovers { transfer.fail(CancellationError()) }
    }
}

/// libcurl wants one global initialization per process before any handle exists.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}
