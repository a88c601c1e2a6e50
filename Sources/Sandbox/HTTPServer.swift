import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request as the API layer sees it: already read whole (API bodies are small).
public struct APIRequest: Sendable {
    public var method: String
    /// The path without the query, percent-decoded segments are left to the router.
    public var path: String
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]
    /// True when the peer presented a client certificate our CA signed.
    public var hasClientCertificate: Bool
    /// The TCP connection the request came on, numbered from 1 in the order the server
    /// accepted them (0 for requests that never crossed a socket): the request log shows
    /// with it how many requests a client sent over each connection.
    public var connection: Int

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:],
                body: [UInt8] = [], hasClientCertificate: Bool = false, connection: Int = 0) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.hasClientCertificate = hasClientCertificate
        self.connection = connection
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Splits `/a/b?x=1&y=%20` into path and decoded query items (first value wins, as Go's `Get`).
    static func splitURI(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = percentDecode(String(parts[0]))
            let value = parts.count > 1 ? percentDecode(String(parts[1])) : ""
            if query[key] == nil { query[key] = value }
        }
        return (String(uri[..<mark]), query)
    }

    static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What the API layer answers.
public enum APIResponse: Sendable {
    case full(status: Int, headers: [(String, String)], body: [UInt8])
    /// A watch: the stream writes chunks until it ends or the client goes away.
    case stream(status: Int, headers: [(String, String)], WatchStream)
    /// Fault injection: close the connection without answering.
    case drop
    /// Fault injection: keep the connection open and never answer, until the client gives up.
    case hang
}

/// The write side of a streamed response, handed to a `WatchStream` by the connection.
public final class StreamWriter: Sendable {
    private let channel: any Channel
    /// Runs on the event loop: tells the connection to read no further request.
    private let stopReading: @Sendable () -> Void

    init(channel: any Channel, stopReading: @escaping @Sendable () -> Void) {
        self.channel = channel
        self.stopReading = stopReading
    }

    public var eventLoop: any EventLoop { channel.eventLoop }

    public func send(_ bytes: [UInt8]) { send(chunks: [bytes]) }

    /// Writes each element as its own chunk and flushes once.
    public func send(chunks: [[UInt8]]) {
        let channel = self.channel
        channel.eventLoop.execute {
            for bytes in chunks {
                channel.write(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: bytes))), promise: nil)
            }
            channel.flush()
        }
    }

    /// Ends the response. With `closeConnection` the connection is closed once the end is
    /// written, and no request the client sends meanwhile is read: the client saw a complete
    /// response on a keep-alive connection and may already be sending its next request there,
    /// which the server must leave unanswered and unprocessed so the client can safely send it
    /// again on a new connection (a create run here and answered into a closing socket came
    /// back as AlreadyExists when the client retried it).
    public func finish(closeConnection: Bool = false) {
        let channel = self.channel
        let stopReading = self.stopReading
        channel.eventLoop.execute {
            if closeConnection { stopReading() }
            channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in
                if closeConnection { channel.close(promise: nil) }
            }
        }
    }
}

/// A streamed response body. `start` is called once the response head is written;
/// `cancel` when the connection closes first.
public protocol WatchStream: AnyObject, Sendable {
    func start(writer: StreamWriter)
    func cancel()
}

/// Answers requests; `Cluster` implements it.
public protocol APIHandler: Sendable {
    func respond(to request: APIRequest, on eventLoop: any EventLoop) -> EventLoopFuture<APIResponse>
}

/// HTTPS (or plain HTTP for unit tests) on 127.0.0.1 with SwiftNIO.
public final class HTTPServer: Sendable {
    public let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    public static func start(port: Int, tls: NIOSSLContext?, handler: any APIHandler,
                             threads: Int = 2) async throws -> HTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let accepted = NIOLockedValueBox(0)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let connection = accepted.withLockedValue { count in
                    count += 1
                    return count
                }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionHandler(handler: handler, usesTLS: tls != nil, connection: connection))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
            let boundPort = channel.localAddress?.port ?? port
            return HTTPServer(port: boundPort, channel: channel, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private init(port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.port = port
        self.channel = channel
        self.group = group
    }

    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    /// Completes when the listening socket closes.
    public func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }
}

/// One connection: gathers each request, asks the handler, writes the answer.
private final class ConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: any APIHandler
    private let usesTLS: Bool
    private let connection: Int
    /// Set once the server has decided to close this connection after the current response:
    /// from then on requests are not read (see `StreamWriter.finish`).
    private var closing = false
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var activeStream: (any WatchStream)?
    private static let maxBody = 16 * 1024 * 1024

    init(handler: any APIHandler, usesTLS: Bool, connection: Int) {
        self.handler = handler
        self.usesTLS = usesTLS
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case let .head(head):
            self.head = head
            body = []
            // libcurl asks before sending larger bodies; without an answer it waits a second.
            if head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let interim = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }
        case var .body(buffer):
            if body.count + buffer.readableBytes > Self.maxBody {
                context.close(promise: nil)
                return
            }
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            self.head = nil
            handle(head: head, context: context)
        }
    }

    private func handle(head: HTTPRequestHead, context: ChannelHandlerContext) {
        let (path, query) = APIRequest.splitURI(head.uri)
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        var hasCertificate = false
        if usesTLS, let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) {
            hasCertificate = tls.peerCertificate != nil
        }
        let request = APIRequest(method: head.method.rawValue, path: path, query: query, headers: headers,
                                 body: body, hasClientCertificate: hasCertificate, connection: connection)
        body = []
        let keepAlive = head.isKeepAlive
        let version = head.version
        let acceptsGzip = Gzip.accepted(by: headers["accept-encoding"])
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        handler.respond(to: request, on: context.eventLoop).whenComplete { result in
            let (this, context) = loopBound.value
            switch result {
            case let .success(response):
                this.write(response, version: version, keepAlive: keepAlive, acceptsGzip: acceptsGzip, context: context)
            case .failure:
                context.close(promise: nil)
            }
        }
    }

    private func write(_ response: APIResponse, version: HTTPVersion, keepAlive: Bool, acceptsGzip: Bool,
                       context: ChannelHandlerContext) {
        switch response {
        case .drop:
            context.close(promise: nil)
        case .hang:
            break
        case let .full(status, headers, plain):
            var head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status))
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            var bytes = plain
            if acceptsGzip, plain.count > Gzip.thresholdBytes, let compressed = Gzip.compress(plain) {
                bytes = compressed
                head.headers.add(name: "Content-Encoding", value: "gzip")
                head.headers.add(name: "Vary", value: "Accept-Encoding")
            }
            head.headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            if !keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))),
                          promise: nil)
            let done = context.writeAndFlushWithPromise(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                closing = true
                let channel = context.channel
                done.whenComplete { _ in channel.close(promise: nil) }
            }
        case let .stream(status, headers, stream):
            var head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status))
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            activeStream = stream
            let this = NIOLoopBound(self, eventLoop: context.eventLoop)
            stream.start(writer: StreamWriter(channel: context.channel, stopReading: { this.value.closing = true }))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        activeStream?.cancel()
        activeStream = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension ChannelHandlerContext {
    fileprivate func writeAndFlushWithPromise(_ data: NIOAny) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        writeAndFlush(data, promise: promise)
        return promise.futureResult
    }
}
