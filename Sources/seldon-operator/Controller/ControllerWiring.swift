import Controller
import KubeClient
import Lifecycle
import Stack

/// The controller's parts over one KubeClient: the reconciler sees the cluster only through
/// `ControllerCluster`, writes status through `KubeStatusWriter` and drives the lifecycle
/// engine through `EngineStackDriver`. `metrics` is the one the client's request observer
/// counts into.
struct ControllerWiring {
    let metrics: ControllerMetrics
    let probes = ProbeState()
    let cluster: ControllerCluster
    let reconciler: SeldonOperatorReconciler

    init(client: KubeClient, metrics: ControllerMetrics, charts: ChartSource, identity: String, namespace: String?, log: JSONLog) {
        self.metrics = metrics
        cluster = ControllerCluster(base: KubeCluster(client: client))
        reconciler = SeldonOperatorReconciler(
            cluster: cluster, statusWriter: KubeStatusWriter(client: client),
            stack: EngineStackDriver(client: client, cluster: cluster, charts: charts, identity: identity, log: log),
            events: ClusterEventRecorder(cluster: cluster, instance: identity, log: log),
            metrics: metrics, log: log, namespace: namespace)
    }
}

/// The metrics and probe servers the flags ask for: one server when both addresses are the
/// same, none for an address turned off. Each server answers every path.
struct EndpointServers {
    let servers: [ProbeServer]

    static func start(metrics: BindAddress, probes: BindAddress, controllerMetrics: ControllerMetrics, probeState: ProbeState,
                      log: JSONLog) async throws -> EndpointServers {
        var started: [ProbeServer] = []
        var addresses: [BindAddress] = []
        for (role, address) in [("metrics", metrics), ("probes", probes)] {
            guard let host = address.host else { continue }
            if let shared = addresses.firstIndex(of: address), address.port != 0 {
                log.info("serving", ["endpoint": .string(role), "address": .string("\(host):\(started[shared].port)")])
                continue
            }
            let server = try await ProbeServer.start(host: host, port: address.port, metrics: controllerMetrics, probes: probeState)
            log.info("serving", ["endpoint": .string(role), "address": .string("\(host):\(server.port)")])
            started.append(server)
            addresses.append(address)
        }
        return EndpointServers(servers: started)
    }

    func stop() async {
        for server in servers { await server.stop() }
    }
}
