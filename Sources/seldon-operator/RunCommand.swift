import ArgumentParser
import Controller
import FoundationEssentials
import KubeClient
import Lifecycle
import Logging
import ServiceLifecycle

/// `seldon-operator run`: the controller. Keeps every SeldonOperator in the cluster (or one
/// namespace) converged until SIGTERM, serving `/metrics`, `/healthz` and `/readyz`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the controller: keep every SeldonOperator converged, correct drift, uninstall on delete.",
        discussion: """
        Without --kubeconfig (and without $KUBECONFIG or ~/.kube/config) it uses the Pod's service account.
        Logs are JSON lines on standard error. SIGTERM stops it in order: in-flight reconciles finish, \
        the rest is handed back, and the leader-election lease is released.
        """
    )

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var charts: ChartOptions

    @Option(name: .shortAndLong, help: "Reconcile the SeldonOperators of this namespace only (default: every namespace).")
    var namespace: String?

    @Flag(help: "Reconcile only while holding the coordination.k8s.io Lease, so replicas never reconcile at once.")
    var leaderElect = false

    @Option(help: "Where the leader-election Lease lives (default: the kubeconfig's or the Pod's namespace).")
    var leaderElectionNamespace: String?

    @Option(help: "The leader-election Lease's name.")
    var leaderElectionId = "seldon-operator-leader"

    @Option(help: "How long a Lease not renewed keeps standbys waiting.")
    var leaseDuration = TimeoutOption(seconds: 15)

    @Option(help: "How long the leader keeps trying to renew before it stops reconciling.")
    var renewDeadline = TimeoutOption(seconds: 10)

    @Option(help: "How often the leader renews and standbys try to acquire.")
    var retryPeriod = TimeoutOption(seconds: 2)

    @Option(help: "Where /metrics is served (HOST:PORT, :PORT; 0 turns it off).")
    var metricsBindAddress = BindAddress(everyInterfaceOn: 8080)

    @Option(help: "Where /healthz and /readyz are served (HOST:PORT, :PORT; 0 turns it off).")
    var healthProbeBindAddress = BindAddress(everyInterfaceOn: 8081)

    @Option(help: "How many SeldonOperators may be reconciled at once.")
    var maxConcurrentReconciles = 1

    @Option(help: "How often every SeldonOperator is reconciled even when nothing changed (0 turns it off).")
    var resyncPeriod = ResyncPeriod(duration: .seconds(600))

    @Option(help: "Who this replica is in the Lease, in Events and in the stack's lock (default: $POD_NAME, else host/pid).")
    var identity: String?

    @Option(help: "The lowest log level written: debug, info, warning or error.")
    var logLevel: JSONLog.Level = .info

    func validate() throws {
        guard maxConcurrentReconciles >= 1 else { throw ValidationError("--max-concurrent-reconciles must be at least 1, got \(maxConcurrentReconciles)") }
        if leaderElect, let problem = timings.problem { throw ValidationError("leader election: \(problem)") }
    }

    var timings: LeaderElectionTimings {
        LeaderElectionTimings(leaseDuration: leaseDuration.duration, renewDeadline: renewDeadline.duration, retryPeriod: retryPeriod.duration)
    }

    func run() async throws {
        let identity = identity ?? ProcessInfo.processInfo.environment["POD_NAME"] ?? Identity.current
        let log = JSONLog(minimum: logLevel)
        let metrics = ControllerMetrics()
        // The identity in the User-Agent tells replicas apart in the API server's audit log;
        // the observer counts every request the client sends, its own discovery included.
        let options = ClientOptions(
            transport: TransportOptions(userAgent: "seldon-operator/\(KubeClientVersion.current) (controller; \(identity))"),
            requestObserver: RequestObserver { verb, status in metrics.apiRequest(verb: verb, code: status.map(String.init) ?? "<error>") })
        let (client, contextNamespace) = try cluster.connect(options: options)
        let wiring = ControllerWiring(client: client, metrics: metrics, charts: try charts.source(), identity: identity,
                                      namespace: namespace, log: log)
        let controller = OperatorController(
            cluster: wiring.cluster, reconciler: wiring.reconciler,
            settings: .init(
                namespace: namespace, maxConcurrentReconciles: maxConcurrentReconciles, resyncPeriod: resyncPeriod.duration,
                leaderElection: leaderElect
                    ? .init(namespace: leaderElectionNamespace ?? contextNamespace, leaseName: leaderElectionId, identity: identity, timings: timings)
                    : nil),
            metrics: wiring.metrics, probes: wiring.probes, log: log)

        let servers = try await EndpointServers.start(
            metrics: metricsBindAddress, probes: healthProbeBindAddress, controllerMetrics: wiring.metrics, probeState: wiring.probes, log: log)
        log.info("starting", [
            "identity": .string(identity), "namespace": .string(namespace ?? "(all)"), "leaderElect": .bool(leaderElect),
            "maxConcurrentReconciles": .int(maxConcurrentReconciles),
        ])
        // SIGTERM (the kubelet stopping the Pod) or SIGINT (Ctrl-C) shuts the group down
        // gracefully, controller first: see `ControllerService` and `EndpointService`.
        let group = ServiceGroup(
            services: [EndpointService(servers: servers), ControllerService(controller: controller, log: log)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "seldon-operator") { _ in JSONLogHandler(log: log) })
        try await group.run()
        log.info("stopped")
    }

    /// Runs the controller until cancelled. Losing the lease (another replica took it, or the
    /// API server was unreachable past the renew deadline) stops reconciling at once and
    /// campaigns again: an API server that goes away makes the controller wait, not exit.
    static func runUntilCancelled(_ controller: OperatorController, log: JSONLog) async {
        while !Task.isCancelled {
            do {
                try await controller.run()
                return
            } catch {
                log.error("stopped reconciling; waiting for the lease again", ["error": .string(String(describing: error))])
            }
        }
    }
}

/// `--resync-period 10m`, where `0` turns resyncs off.
struct ResyncPeriod: ExpressibleByArgument {
    let duration: Duration

    init(duration: Duration) { self.duration = duration }

    init?(argument: String) {
        if argument == "0" {
            duration = .zero
        } else if let option = TimeoutOption(argument: argument) {
            duration = option.duration
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { "\(duration.components.seconds)s" }
}

extension JSONLog.Level: ExpressibleByArgument {}
