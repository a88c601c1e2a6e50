import FoundationEssentials
import NIOConcurrencyHelpers

/// What the controller counts, rendered for `/metrics`. The names follow Prometheus's
/// conventions (`_total` counters, `_seconds` units) under one `seldon_operator_` prefix;
/// the reconcile metrics mirror controller-runtime's `controller_runtime_reconcile_*`, so
/// existing dashboards translate one to one.
///
/// Recording is synchronous and lock-protected: it happens inside reconciles and API
/// calls, which must not suspend to count.
public final class ControllerMetrics: Sendable {
    /// Prometheus's default buckets (client_golang `DefBuckets`, 5 ms to 10 s) plus 30 s to
    /// 10 min: a reconcile that installs a component waits for it to become healthy, which
    /// takes minutes.
    public static let durationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]

    private struct Histogram {
        var counts: [Int]
        var sum: Double = 0
        var count: Int = 0
    }

    private struct State {
        var reconciles: [String: Int] = [:]
        var errors = 0
        var duration = Histogram(counts: Array(repeating: 0, count: ControllerMetrics.durationBuckets.count))
        var componentsReady: [String: Int] = [:]
        var objectsApplied = 0
        var driftCorrections = 0
        var apiRequests: [APIRequestLabels: Int] = [:]
        var leader = false
        var cachedObjects: [String: Int] = [:]
    }

    private struct APIRequestLabels: Hashable, Comparable {
        var verb: String
        var code: String

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.verb, lhs.code) < (rhs.verb, rhs.code) }
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    // MARK: Recording

    /// One reconcile finished; `succeeded` false counts it as an error as well.
    public func reconciled(succeeded: Bool, duration: Duration) {
        let seconds = duration.seconds
        state.withLockedValue { state in
            state.reconciles[succeeded ? "success" : "error", default: 0] += 1
            if !succeeded { state.errors += 1 }
            for (index, bound) in Self.durationBuckets.enumerated() where seconds <= bound {
                state.duration.counts[index] += 1
            }
            state.duration.sum += seconds
            state.duration.count += 1
        }
    }

    /// Replaces the per-component ready flags (1 ready, 0 not) after a reconcile.
    public func setComponentsReady(_ ready: [String: Bool]) {
        state.withLockedValue { state in
            state.componentsReady = ready.mapValues { $0 ? 1 : 0 }
        }
    }

    public func objectsApplied(_ count: Int) {
        guard count > 0 else { return }
        state.withLockedValue { $0.objectsApplied += count }
    }

    public func driftCorrected(_ count: Int) {
        guard count > 0 else { return }
        state.withLockedValue { $0.driftCorrections += count }
    }

    /// One API request, by verb (`get`, `list`, `watch`, `apply`, ...) and HTTP status
    /// code (or `error` when no response arrived).
    public func apiRequest(verb: String, code: String) {
        state.withLockedValue { $0.apiRequests[APIRequestLabels(verb: verb, code: code), default: 0] += 1 }
    }

    /// How many objects the watches remember, by watch (`seldonoperators`, `owned`): the
    /// figure that shows the cache holds the stack's own objects and nothing else.
    public func setCachedObjects(operators: Int, owned: Int) {
        state.withLockedValue { $0.cachedObjects = ["owned": owned, "seldonoperators": operators] }
    }

    public func setLeader(_ leader: Bool) {
        state.withLockedValue { $0.leader = leader }
    }

    // MARK: Exposition

    /// Every metric in the text exposition format, families and label sets in a fixed order.
    public func render() -> String {
        let state = state.withLockedValue { $0 }
        var text = ""
        text += PrometheusText.header("seldon_operator_reconcile_total", help: "Reconciles finished, by result.", type: "counter")
        for result in ["error", "success"] {
            text += PrometheusText.sample("seldon_operator_reconcile_total", [("result", result)], Double(state.reconciles[result] ?? 0))
        }
        text += PrometheusText.header("seldon_operator_reconcile_errors_total", help: "Reconciles that failed.", type: "counter")
        text += PrometheusText.sample("seldon_operator_reconcile_errors_total", [], Double(state.errors))

        let histogram = "seldon_operator_reconcile_duration_seconds"
        text += PrometheusText.header(histogram, help: "Time from taking a key off the queue to finishing its reconcile.", type: "histogram")
        for (index, bound) in Self.durationBuckets.enumerated() {
            text += PrometheusText.sample(histogram + "_bucket", [("le", PrometheusText.number(bound))], Double(state.duration.counts[index]))
        }
        text += PrometheusText.sample(histogram + "_bucket", [("le", "+Inf")], Double(state.duration.count))
        text += PrometheusText.sample(histogram + "_sum", [], state.duration.sum)
        text += PrometheusText.sample(histogram + "_count", [], Double(state.duration.count))

        text += PrometheusText.header("seldon_operator_components_ready", help: "Whether each enabled component of the stack is ready (1) or not (0).", type: "gauge")
        for (component, ready) in state.componentsReady.sorted(by: { $0.key < $1.key }) {
            text += PrometheusText.sample("seldon_operator_components_ready", [("component", component)], Double(ready))
        }
        text += PrometheusText.header("seldon_operator_objects_applied_total", help: "Objects written to the cluster (created or changed).", type: "counter")
        text += PrometheusText.sample("seldon_operator_objects_applied_total", [], Double(state.objectsApplied))
        text += PrometheusText.header("seldon_operator_drift_corrections_total", help: "Owned objects put back after someone else changed or deleted them.", type: "counter")
        text += PrometheusText.sample("seldon_operator_drift_corrections_total", [], Double(state.driftCorrections))
        text += PrometheusText.header("seldon_operator_api_requests_total", help: "Requests to the Kubernetes API server, by verb and HTTP status code.", type: "counter")
        for (labels, count) in state.apiRequests.sorted(by: { $0.key < $1.key }) {
            text += PrometheusText.sample("seldon_operator_api_requests_total", [("verb", labels.verb), ("code", labels.code)], Double(count))
        }
        text += PrometheusText.header("seldon_operator_cached_objects", help: "Objects the watches remember, by watch.", type: "gauge")
        for (watch, count) in state.cachedObjects.sorted(by: { $0.key < $1.key }) {
            text += PrometheusText.sample("seldon_operator_cached_objects", [("watch", watch)], Double(count))
        }
        text += PrometheusText.header("seldon_operator_leader", help: "Whether this replica holds the leader-election lease.", type: "gauge")
        text += PrometheusText.sample("seldon_operator_leader", [], state.leader ? 1 : 0)
        return text
    }
}
