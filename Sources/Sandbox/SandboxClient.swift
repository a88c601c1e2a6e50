import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A minimal HTTP(S) client for talking to a Sandbox: `sandbox stop`, the benchmark and tests.
/// TLS verifies the server against the Sandbox's own CA; the bearer token authenticates.
public struct SandboxClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public let host: String
    public let port: Int
    public let caPEM: String?
    public let token: String?

    public init(host: String = "127.0.0.1", port: Int, caPEM: String?, token: String?) {
        self.host = host
        self.port = port
        self.caPEM = caPEM
        self.token = token
    }

    public init(sandbox: Sandbox) {
        self.init(port: sandbox.port, caPEM: sandbox.credentials?.caCertificatePEM, token: sandbox.credentials?.bearerToken)
    }

    /// Sends one request on a fresh connection. For watches, `stopAfterLines` ends the read early.
    public func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [],
                     stopAfterLines: Int? = nil, timeoutSeconds: Int64 = 30) async throws -> Response {
        let group = MultiThreadedEventLoopGroup.singleton
        let sslContext: NIOSSLContext? = try caPEM.map { pem in
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem)])
            return try NIOSSLContext(configuration: configuration)
        }
        let promise = group.next().makePromise(of: Response.self)
        let hostName = host
        let bootstrap = ClientBootstrap(group: group).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let sslContext {
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: sslContext, serverHostname: nil))
                }
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise, stopAfterLines: stopAfterLines))
            }
        }
        let channel = try await bootstrap.connect(host: hostName, port: port).get()
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
        head.headers.add(name: "Host", value: "\(host):\(port)")
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        if let token { head.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
        }
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(timeoutSeconds)) { channel.close(promise: nil) }
        defer { timeout.cancel() }
        let response = try await promise.futureResult.get()
        // Not awaited: a TLS close waits up to NIOSSL's shutdown timeout (5 s) for the peer's
        // close_notify, which a server still streaming a watch does not send; the answer is complete.
        channel.close(promise: nil)
        return response
    }
}

private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private let promise: EventLoopPromise<SandboxClient.Response>
    private let stopAfterLines: Int?
    private var response = SandboxClient.Response(status: 0, headers: [], body: [])
    private var done = false
    private var lines = 0

    init(promise: EventLoopPromise<SandboxClient.Response>, stopAfterLines: Int?) {
        self.promise = promise
        self.stopAfterLines = stopAfterLines
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            response.status = Int(head.status.code)
            response.headers = head.headers.map { ($0.name, $0.value) }
        case var .body(buffer):
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            response.body.append(contentsOf: bytes)
            lines += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            if let stopAfterLines, lines >= stopAfterLines {
                finish(context)
            }
        case .end:
            finish(context)
        }
    }

    private func finish(_ context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        promise.succeed(response)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            if response.status != 0 { promise.succeed(response) } else {
                promise.fail(ChannelError.inputClosed)
            }
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            promise.fail(error)
        }
        context.close(promise: nil)
    }
}
