import Unstructured

extension Engine {
    /// Where each installed component stands now: its last record's outcome, and the
    /// health of every object that record names, read from the cluster. Reads only; takes
    /// no lock. An empty answer means nothing is installed.
    public func status(instance: String, namespace: String) async throws -> [ComponentReport] {
        let records = try await History(cluster: cluster, instance: instance, namespace: namespace).byComponent()
        var reports: [ComponentReport] = []
        for (component, history) in records.sorted(by: { $0.key < $1.key }) {
            guard let latest = history.first else { continue }
            if latest.outcome == .removed {
                reports.append(ComponentReport(
                    name: component, enabled: false, phase: .disabled, ready: 0, total: 0, chartVersion: nil,
                    message: latest.message))
                continue
            }
            reports.append(try await report(component, latest: latest))
        }
        return reports
    }

    private func report(_ component: String, latest: ReleaseRecord) async throws -> ComponentReport {
        var objects: [(ObjectReference, Value?)] = []
        for entry in latest.objects { objects.append((entry.reference, try await cluster.get(entry.reference))) }
        let context = try await healthContext(for: objects.compactMap(\.1))
        var ready = 0
        var firstWaiting: NotReady?
        var failed = false
        for (reference, live) in objects {
            let status = live.map { Health.assess($0, context: context) } ?? .inProgress("NotFound", "missing from the cluster")
            if status.isCurrent { ready += 1; continue }
            failed = failed || status.isFailed
            if firstWaiting == nil || status.isFailed { firstWaiting = NotReady(reference: reference, status: status) }
        }
        let phase: ComponentReport.Phase = switch latest.outcome {
        case .pending, .interrupted: .installing
        case .failed: .failed
        case .deployed, .removed: failed ? .failed : ready == objects.count ? .ready : .degraded
        }
        let message = firstWaiting.map(\.description) ?? (latest.message.isEmpty ? nil : latest.message)
        return ComponentReport(
            name: component, enabled: true, phase: phase, ready: ready, total: objects.count,
            chartVersion: latest.chartVersion, message: message)
    }

    /// What the health rules need besides the objects: the Pods beside workloads, the
    /// endpoints of webhook Services, the storage classes of claims.
    private func healthContext(for objects: [Value]) async throws -> HealthContext {
        var context = HealthContext(now: now())
        for feed in HealthWaiter.feeds(for: objects, labelSelector: nil) where feed.role != .target {
            let listed = try await cluster.list(apiVersion: feed.apiVersion, kind: feed.kind, namespace: feed.namespace, labelSelector: nil)
            switch feed.role {
            case .pod: context.pods += listed
            case .endpoints: context.endpoints += listed
            case .storageClass: context.storageClasses += listed
            case .target: break
            }
        }
        return context
    }
}
