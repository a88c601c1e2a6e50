import CCurl
import FoundationEssentials
import Synchronization

/// Settings of the HTTP layer that do not depend on the cluster.
public struct TransportOptions: Sendable {
    public var userAgent: String
    public var connectTimeout: Duration
    /// The default limit for a whole non-streaming request, and for a streamed one (a watch)
    /// to answer with its status line and headers: a server that accepts a watch and never
    /// answers must not hold it until some outer timeout.
    public var requestTimeout: Duration

    public init(userAgent: String = "seldon-operator/\(KubeClientVersion.current)",
                connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(60)) {
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }
}

/// The version the User-Agent names; the command line sets it at startup.
public enum KubeClientVersion {
    public static let current = "0.1.0"
}

/// Moves HTTP requests to one API server over libcurl. One transport per cluster: it owns
/// the connection pool, so share it between everything that talks to that cluster.
public final class CurlTransport: Sendable {
    public let security: TransportSecurity
    public let options: TransportOptions
    private let worker: CurlWorker

    public init(security: TransportSecurity, options: TransportOptions = .init()) throws(TransportError) {
        guard let worker = CurlWorker() else {
            throw TransportError(kind: .other, url: "", detail: "libcurl could not be initialized", code: -1)
        }
        self.security = security
        self.options = options
        self.worker = worker
    }

    deinit { worker.stop() }

    /// Sends `request` and waits for the whole response. Cancelling the task aborts the transfer.
    public func send(_ request: HTTPRequest, clientCertificate: ClientCertificate? = nil) async throws -> HTTPResponse {
        var request = request
        if request.timeout == nil { request.timeout = options.requestTimeout }
        let slot = TransferSlot()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                launch(request, clientCertificate, .buffered(continuation), slot)
            }
        } onCancel: {
            slot.cancel()
        }
    }

    /// Sends `request` and returns as soon as the status is known; the body then streams.
    /// Dropping the body stream (or cancelling its consumer) aborts the transfer. No answer
    /// within `requestTimeout` fails it as timed out, which callers retry like any timeout.
    public func stream(_ request: HTTPRequest, clientCertificate: ClientCertificate? = nil) async throws -> HTTPStreamingResponse {
        let slot = TransferSlot()
        let limit = options.requestTimeout
        let answerDeadline = Task {
            try await Task.sleep(for: limit)
            slot.cancel(with: TransportError(kind: .timedOut, url: request.url,
                                             detail: "no response within \(limit)", code: 28))
        }
        defer { answerDeadline.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                launch(request, clientCertificate, .streaming(continuation), slot)
            }
        } onCancel: {
            slot.cancel()
        }
    }

    private func launch(_ request: HTTPRequest, _ certificate: ClientCertificate?, _ delivery: CurlTransfer.Delivery,
                        _ slot: TransferSlot) {
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer(request: request, security: security, clientCertificate: certificate,
                                        options: options, delivery: delivery)
        } catch {
            switch delivery {
            case let .buffered(continuation): continuation.resume(throwing: error)
            case let .streaming(continuation): continuation.resume(throwing: error)
            }
            return
        }
        let worker = worker
        transfer.onConsumerGone = { [weak transfer] in
            if let transfer { worker.cancel(transfer) }
        }
        slot.attach(transfer, worker: worker)
        worker.start(transfer)
    }
}

/// Lets a task's cancellation handler reach a transfer that may not exist yet.
private final class TransferSlot: Sendable {
    private struct Contents {
        var transfer: CurlTransfer?
        var worker: CurlWorker?
        var cancelled = false
    }

    private let contents = Mutex(Contents())

    func attach(_ transfer: CurlTransfer, worker: CurlWorker) {
        let cancelNow = contents.withLock { contents in
            contents.transfer = transfer
            contents.worker = worker
            return contents.cancelled
        }
        if cancelNow { worker.cancel(transfer) }
    }

    func cancel(with error: any Error = CancellationError()) {
        let target = contents.withLock { contents in
            contents.cancelled = true
            return contents.transfer.map { ($0, contents.worker) }
        }
        if let (transfer, worker) = target { worker?.cancel(transfer, with: error) }
    }
}
