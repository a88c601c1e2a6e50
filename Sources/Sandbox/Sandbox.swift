import FoundationEssentials
import NIOCore
import NIOPosix
import NIOSSL
import Platform

/// A running Sandbox: the HTTPS server, the cluster behind it, and the controller ticker.
public final class Sandbox: Sendable {
    public let cluster: Cluster
    public let server: HTTPServer
    public let credentials: Credentials?
    public let options: SandboxOptions
    /// The controllers run on a thread of their own, not on Swift's cooperative pool, so that a
    /// caller blocking pool threads (a test waiting on kubectl, say) cannot stall the cluster.
    private let controllerLoop: MultiThreadedEventLoopGroup
    private let ticker: RepeatedTask

    public var port: Int { server.port }
    public var url: String { "\(options.useTLS ? "https" : "http")://127.0.0.1:\(server.port)" }

    public static func start(_ options: SandboxOptions) async throws -> Sandbox {
        let saved = try options.statePath.flatMap { path in try StateFile.read(path).map { (path, $0) } }
        var credentials: Credentials?
        if options.useTLS {
            credentials = try saved.flatMap { path, document in try StateFile.credentials(in: document, path: path) }
                ?? Credentials.generate()
        }
        let cluster = Cluster(options: options, credentials: credentials,
                              requestLog: try options.requestLogPath.map { try RequestLog.appending(to: $0) } ?? RequestLog())
        if let (path, document) = saved {
            try cluster.withState { state in
                try StateFile.restore(document, into: state, path: path)
            }
        }
        var tls: NIOSSLContext?
        if let credentials {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(credentials.serverCertificatePEM.utf8), format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(credentials.serverKeyPEM.utf8), format: .pem)))
            configuration.certificateVerification = .optionalVerification
            configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(credentials.caCertificatePEM.utf8), format: .pem)])
            tls = try NIOSSLContext(configuration: configuration)
        }
        let server = try await HTTPServer.start(port: options.port, tls: tls, handler: cluster)
        cluster.serverAddress = "127.0.0.1:\(server.port)"
        let interval = options.controllerInterval
        let statePath = options.statePath
        let controllerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let delay = TimeAmount.nanoseconds(Int64(interval * 1_000_000_000))
        let ticker = controllerLoop.next().scheduleRepeatedTask(initialDelay: delay, delay: delay) { _ in
            cluster.tick()
            if let statePath { cluster.saveIfDirty(to: statePath) }
        }
        return Sandbox(cluster: cluster, server: server, credentials: credentials, options: options,
                       controllerLoop: controllerLoop, ticker: ticker)
    }

    private init(cluster: Cluster, server: HTTPServer, credentials: Credentials?, options: SandboxOptions,
                 controllerLoop: MultiThreadedEventLoopGroup, ticker: RepeatedTask) {
        self.cluster = cluster
        self.server = server
        self.credentials = credentials
        self.options = options
        self.controllerLoop = controllerLoop
        self.ticker = ticker
    }

    /// The kubeconfig for this Sandbox (nil without TLS).
    public var kubeconfig: String? { credentials?.kubeconfig(server: url) }

    public func stop() async {
        ticker.cancel()
        // Shutting the loop down waits for a tick in progress, so the state saved next is final.
        try? await controllerLoop.shutdownGracefully()
        if let path = options.statePath { cluster.saveIfDirty(to: path, force: true) }
        await server.stop()
    }

    /// Calls `handler` when a client asks the Sandbox to stop (`POST /sandbox/shutdown`).
    public func onShutdownRequest(_ handler: @escaping @Sendable () -> Void) {
        cluster.onShutdown = handler
    }
}

extension Cluster {
    func saveIfDirty(to path: String, force: Bool = false) {
        withState { state in
            guard state.dirty || force else { return }
            do {
                try StateFile.save(state, to: path)
                state.dirty = false
            } catch {
                StandardStream.error.write("sandbox: \(error)\n")
            }
        }
    }
}
