import NIOCore
import NIOHTTP1
import NIOPosix

/// The controller's plain-HTTP endpoints, as the kubelet and Prometheus reach them:
/// `GET /metrics` (text exposition format), `GET /healthz` and `GET /readyz` (200 `ok`,
/// or 503 with the reason). Metrics and probes may share one server or listen apart
/// (`--metrics-bind-address`, `--health-probe-bind-address`); each server answers all
/// three paths, so either address works for any of them.
public final class ProbeServer: Sendable {
    /// The address actually bound: with port 0 the kernel chooses the port.
    public let host: String
    public let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    /// Listens on `host:port`; `port` 0 picks a free port (tests).
    public static func start(host: String, port: Int, metrics: ControllerMetrics, probes: ProbeState) async throws -> ProbeServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let routes = ProbeRoutes(metrics: metrics, probes: probes)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ProbeHandler(routes: routes))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            return ProbeServer(host: host, port: channel.localAddress?.port ?? port, channel: channel, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private init(host: String, port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.host = host
        self.port = port
        self.channel = channel
        self.group = group
    }

    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// The answer to each path; pure apart from reading the shared state.
struct ProbeRoutes: Sendable {
    struct Reply: Equatable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: String
    }

    let metrics: ControllerMetrics
    let probes: ProbeState

    func reply(method: HTTPMethod, path: String) -> Reply {
        guard method == .GET || method == .HEAD else {
            return Reply(status: .methodNotAllowed, contentType: "text/plain; charset=utf-8", body: "only GET is served\n")
        }
        switch path {
        case "/metrics":
            return Reply(status: .ok, contentType: PrometheusText.contentType, body: metrics.render())
        case "/healthz":
            return probe(nil)
        case "/readyz":
            return probe(probes.readinessFailure)
        default:
            return Reply(status: .notFound, contentType: "text/plain; charset=utf-8", body: "not found: \(path) (served: /metrics, /healthz, /readyz)\n")
        }
    }

    private func probe(_ failure: String?) -> Reply {
        guard let failure else { return Reply(status: .ok, contentType: "text/plain; charset=utf-8", body: "ok\n") }
        return Reply(status: .serviceUnavailable, contentType: "text/plain; charset=utf-8", body: "\(failure)\n")
    }
}

/// One connection: reads a request head, ignores any body, writes the route's reply.
final class ProbeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: ProbeRoutes
    private var head: HTTPRequestHead?

    init(routes: ProbeRoutes) { self.routes = routes }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(requestHead):
            head = requestHead
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? head.uri
            let reply = routes.reply(method: head.method, path: path)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: reply.contentType)
            headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            let responseHead = HTTPResponseHead(version: head.version, status: reply.status, headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            if head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: reply.body)))), promise: nil)
            }
            let keepAlive = head.isKeepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        }
    }
}
