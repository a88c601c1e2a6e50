import Controller
import FoundationEssentials
import KubeClient
import Lifecycle
import NIOConcurrencyHelpers
import Stack
import Unstructured

/// The controller's `StackDriver`: the same planning, rendering and lifecycle engine as
/// `seldon-operator install` and `uninstall`, fed from the SeldonOperator read from the
/// cluster instead of a file.
///
/// Unlike `install`, it applies neither the SeldonOperator's CRD (the operator chart
/// installs it) nor the SeldonOperator's spec: the engine applies the object it is given
/// with force, which would take the spec's fields from the user and, racing a `kubectl
/// apply`, put back the spec it read. It is given the object's identity only, so the
/// engine labels it as its own and writes nothing else.
struct EngineStackDriver: StackDriver {
    let client: KubeClient
    let cluster: any Cluster
    let charts: ChartSource
    /// Who holds the per-stack lock while the engine works.
    let identity: String
    let log: JSONLog

    func install(_ resource: SeldonOperatorResource) async throws -> InstallOutcome {
        // Prerequisite APIs come and go (Istio installed later): plan against discovery as it is now.
        await client.invalidateDiscovery()
        let planned = try await InstallPlanner(client: client, charts: charts).plan(
            resource, specText: Self.specText(resource), operatorObject: Self.identityOnly(resource), operatorDefinition: nil)
        let pruned = NIOLockedValueBox<[ObjectReference]>([])
        let engine = Engine(cluster: cluster, identity: identity, progress: { [log] event in
            if case let .pruned(reference) = event.change { pruned.withLockedValue { $0.append(reference) } }
            log.debug("install progress", ["instance": .string("\(resource.namespace)/\(resource.name)"), "event": .string(event.line)])
        })
        let summary = try await engine.install(planned.install)
        // The same component statuses `install` writes, disabled and blocked components included.
        let components = StatusWriter.status(
            plan: planned.stack, reports: summary.components, failure: nil, generation: nil, previous: [], now: ""
        ).components
        return InstallOutcome(revision: summary.revision, writes: summary.writes, pruned: pruned.withLockedValue { $0 },
                              components: components)
    }

    func uninstall(_ instance: StackInstance) async throws {
        let engine = Engine(cluster: cluster, identity: identity, progress: { [log] event in
            log.debug("uninstall progress", ["instance": .string(instance.description), "event": .string(event.line)])
        })
        try await engine.uninstall(UninstallRequest(instance: instance.name, namespace: instance.namespace))
    }

    /// The manifest the engine's records keep (for `history` and `rollback`), rebuilt from
    /// the decoded spec: the stored object's server-set fields are no part of it.
    static func specText(_ resource: SeldonOperatorResource) -> String {
        var object = identityOnly(resource)
        object["spec"] = resource.spec.value
        return YAML.string(object)
    }

    static func identityOnly(_ resource: SeldonOperatorResource) -> Value {
        [
            "apiVersion": .string(SeldonOperatorResource.apiVersion), "kind": .string(SeldonOperatorResource.kind),
            "metadata": ["name": .string(resource.name), "namespace": .string(resource.namespace)],
        ]
    }
}
