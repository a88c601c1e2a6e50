import Foundation
import Helm
import KubeClient
import Sprig
import Stack
import Unstructured

/// Renders a stack the way `install` will apply it: with a cluster, `lookup` reads it (so
/// generated Secrets and the webhook CA already there are reused, never regenerated);
/// without one, `lookup` finds nothing, as in `helm template`.
struct ClusterRendering {
    let charts: ChartSource
    let client: KubeClient?

    /// Renders until every `lookup` the charts make has been read from the cluster (see
    /// `ClusterLookup`); a lookup that depends on another's answer takes one more pass.
    func render(_ stack: StackPlan) async throws -> [RenderedComponent] {
        let lookup = ClusterLookup()
        let renderer = StackRenderer(
            charts: charts,
            engine: Helm.Engine(functions: Sprig.library(entropy: SystemEntropy(), clock: SystemClock()),
                                clusterReader: client == nil ? nil : lookup))
        var passes = 0
        while true {
            let rendered = try renderer.render(stack)
            passes += 1
            guard let client, !lookup.unanswered.isEmpty, passes < 5 else { return rendered }
            try await lookup.fetchUnanswered(from: client)
        }
    }
}

/// Helm's `lookup` answered from objects read before rendering.
///
/// Rendering is synchronous and the cluster is not, so the planner renders twice: a first
/// pass records every object the charts look up (answering "not found"), those objects are
/// read, and the real pass answers from what was read. Generated secrets are thereby found
/// and reused instead of regenerated on every install.
final class ClusterLookup: ClusterReader, @unchecked Sendable {
    struct Key: Hashable, Sendable {
        var apiVersion: String
        var kind: String
        var namespace: String
        var name: String
    }

    /// Guarded by `lock`: renders call `lookup` synchronously, possibly from several threads.
    private var known: [Key: Value?] = [:]
    private var asked: Set<Key> = []
    private let lock = NSLock()

    func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value? {
        let key = Key(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
        return lock.withLock {
            if let answer = known[key] { return answer }
            asked.insert(key)
            return nil
        }
    }

    /// The lookups the last render made that have not been read yet.
    var unanswered: Set<Key> { lock.withLock { asked.subtracting(known.keys) } }

    /// Reads every unanswered lookup from the cluster; a missing object or kind is remembered as nil.
    func fetchUnanswered(from client: KubeClient) async throws {
        for key in unanswered {
            let gvk = GroupVersionKind(apiVersion: key.apiVersion, kind: key.kind)
            let namespace = key.namespace.isEmpty ? nil : key.namespace
            let found: Value?
            do {
                if key.name.isEmpty {
                    let list = try await client.list(gvk, namespace: namespace)
                    found = ["apiVersion": .string(key.apiVersion), "kind": .string(key.kind + "List"), "items": .list(list.items)]
                } else {
                    found = try await client.get(gvk, name: key.name, namespace: namespace)
                }
            } catch let error as APIError where error.reason == .notFound {
                found = nil
            } catch is NoMappingError {
                found = nil
            }
            lock.withLock { known[key] = .some(found) }
        }
    }
}
