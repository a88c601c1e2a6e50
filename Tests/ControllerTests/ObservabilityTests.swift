import Foundation
import Lifecycle
import Testing
import Unstructured

@testable import Controller

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Metrics, probes, logs and events")
struct ObservabilityTests {
    @Test("metrics render in the Prometheus text format with histogram buckets, sums and label escaping")
    func prometheusText() {
        let metrics = ControllerMetrics()
        metrics.reconciled(succeeded: true, duration: .milliseconds(20))
        metrics.reconciled(succeeded: false, duration: .seconds(3))
        metrics.setComponentsReady(["core": true, "analytics": false])
        metrics.objectsApplied(7)
        metrics.driftCorrected(1)
        metrics.apiRequest(verb: "get", code: "200")
        metrics.apiRequest(verb: "get", code: "200")
        metrics.apiRequest(verb: "patch", code: "409")
        let text = metrics.render()
        for line in [
            "# TYPE seldon_operator_reconcile_total counter",
            #"seldon_operator_reconcile_total{result="error"} 1"#,
            #"seldon_operator_reconcile_total{result="success"} 1"#,
            "seldon_operator_reconcile_errors_total 1",
            "# TYPE seldon_operator_reconcile_duration_seconds histogram",
            #"seldon_operator_reconcile_duration_seconds_bucket{le="0.01"} 0"#,
            #"seldon_operator_reconcile_duration_seconds_bucket{le="0.025"} 1"#,
            #"seldon_operator_reconcile_duration_seconds_bucket{le="5"} 2"#,
            #"seldon_operator_reconcile_duration_seconds_bucket{le="+Inf"} 2"#,
            "seldon_operator_reconcile_duration_seconds_sum 3.02",
            "seldon_operator_reconcile_duration_seconds_count 2",
            #"seldon_operator_components_ready{component="analytics"} 0"#,
            #"seldon_operator_components_ready{component="core"} 1"#,
            "seldon_operator_objects_applied_total 7",
            "seldon_operator_drift_corrections_total 1",
            #"seldon_operator_api_requests_total{verb="get",code="200"} 2"#,
            #"seldon_operator_api_requests_total{verb="patch",code="409"} 1"#,
            "seldon_operator_leader 0",
        ] {
            #expect(text.split(separator: "\n").contains(Substring(line)), "missing: \(line)")
        }
        #expect(PrometheusText.escapeLabel("a\"b\\c\nd") == #"a\"b\\c\nd"#)
        #expect(PrometheusText.escapeHelp("a\"b\\c\nd") == #"a"b\\c\nd"#)
        // A line feed after a carriage return is one Character but must still be escaped.
        #expect(PrometheusText.escapeLabel("a\r\nb") == "a\r\\nb")
    }

    @Test("/metrics, /healthz and /readyz answer over real HTTP on a kernel-chosen port")
    func probeServer() async throws {
        let metrics = ControllerMetrics()
        metrics.objectsApplied(3)
        let probes = ProbeState()
        let server = try await ProbeServer.start(host: "127.0.0.1", port: 0, metrics: metrics, probes: probes)
        defer { Task { await server.stop() } }
        #expect(server.port > 0)
        let base = "http://127.0.0.1:\(server.port)"

        let (metricsBody, metricsResponse) = try await fetch(base + "/metrics")
        #expect(metricsResponse.statusCode == 200)
        #expect(metricsResponse.value(forHTTPHeaderField: "Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(metricsBody.contains("seldon_operator_objects_applied_total 3\n"))

        #expect(try await fetch(base + "/healthz").1.statusCode == 200)
        let (notReady, notReadyResponse) = try await fetch(base + "/readyz")
        #expect(notReadyResponse.statusCode == 503)
        #expect(notReady == "starting: the watches have not listed yet\n")
        probes.markReady()
        let (ready, readyResponse) = try await fetch(base + "/readyz")
        #expect(readyResponse.statusCode == 200)
        #expect(ready == "ok\n")
        #expect(try await fetch(base + "/other").1.statusCode == 404)
    }

    private func fetch(_ address: String) async throws -> (String, HTTPURLResponse) {
        let url = try #require(URL(string: address))
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = try #require(response as? HTTPURLResponse)
        return (String(decoding: data, as: UTF8.self), http)
    }

    @Test("log lines are one JSON object each: time, level, message, then fields in order")
    func jsonLog() throws {
        let lines = LogLines()
        lines.log.info("reconciled", ["object": "seldon-system/seldon", "durationSeconds": 0.25])
        lines.log.debug("detail")
        JSONLog(minimum: .warning, write: { _ in Issue.record("below the minimum level") }).info("dropped")
        #expect(lines.all == [
            #"{"ts":"2025-11-21T22:00:00.000Z","level":"info","msg":"reconciled","object":"seldon-system/seldon","durationSeconds":0.25}"#,
            #"{"ts":"2025-11-21T22:00:00.000Z","level":"debug","msg":"detail"}"#,
        ])
    }

    @Test("events are events.k8s.io/v1 Events naming the SeldonOperator, with client-go style names")
    func eventObject() async throws {
        let cluster = MemoryCluster()
        let clock = ManualClock()
        let recorder = ClusterEventRecorder(cluster: cluster, instance: "seldon-operator-7d9f", log: LogLines().log, now: clock.reader)
        let regarding = ObjectReference(apiVersion: "operator.seldon.io/v1alpha1", kind: "SeldonOperator", namespace: "seldon-system", name: "seldon")
        await recorder.record(OperatorEvent(regarding: regarding, uid: "uid-1", reason: .driftCorrected, note: "1 object put back"))
        let events = try await cluster.list(apiVersion: "events.k8s.io/v1", kind: "Event", namespace: "seldon-system", labelSelector: nil)
        let event = try #require(events.first)
        #expect(event["metadata"]["name"] == "seldon.187a248ed830c000")
        #expect(event["eventTime"] == "2025-11-21T22:00:00.000000Z")
        #expect(event["type"] == "Normal")
        #expect(event["reason"] == "DriftCorrected")
        #expect(event["action"] == "CorrectDrift")
        #expect(event["reportingController"] == "operator.seldon.io/seldon-operator")
        #expect(event["reportingInstance"] == "seldon-operator-7d9f")
        #expect(event["regarding"] == ["apiVersion": "operator.seldon.io/v1alpha1", "kind": "SeldonOperator", "name": "seldon",
                                       "namespace": "seldon-system", "uid": "uid-1"])
        #expect(OperatorEvent.Reason.installFailed.isWarning && OperatorEvent.Reason.refused.isWarning)
        let long = String(repeating: "é", count: 1000)
        let cut = ClusterEventRecorder.truncated(long, bytes: 1024)
        #expect(cut.utf8.count <= 1024 && cut.hasSuffix("..."))
    }

    @Test("an event the cluster refuses is logged, never thrown")
    func refusedEvent() async {
        let cluster = MemoryCluster()
        await cluster.setUnavailable(true)
        let lines = LogLines()
        let recorder = ClusterEventRecorder(cluster: cluster, instance: "i", log: lines.log)
        await recorder.record(OperatorEvent(regarding: ObjectReference(apiVersion: "v1", kind: "X", name: "x"), reason: .installed, note: ""))
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains(#""msg":"event not recorded""#) == true)
    }
}
