import Foundation
import Testing

/// Webhooks called before they have endpoints are the classic failed install
/// (SeldonIO/seldon-core #669): the Sandbox refuses such calls as a real API server does.
@Suite("Webhook ordering end to end", .serialized)
struct WebhookEndToEndTests {
    /// No object of the stack is itself guarded by Core's webhook (it guards SeldonDeployments,
    /// which users create), so this guard makes every object of the components that need
    /// Core (deploy, routing and, through routing, detectors) depend on Core's webhook
    /// Service the same way, under `failurePolicy: Fail`. The engine's release records are
    /// left out: they are its bookkeeping, written before any component starts.
    static let guardOfCoreDependents = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingWebhookConfiguration
        metadata:
          name: e2e-guard-of-core-dependents
        webhooks:
        - name: dependents.e2e.seldon.io
          admissionReviewVersions: [v1]
          sideEffects: None
          failurePolicy: Fail
          clientConfig:
            service:
              name: seldon-webhook-service
              namespace: seldon-system
              path: /validate
              port: 443
          rules:
          - apiGroups: ["*"]
            apiVersions: ["*"]
            operations: [CREATE, UPDATE]
            resources: ["*"]
          objectSelector:
            matchExpressions:
            - {key: operator.seldon.io/component, operator: In, values: [deploy, routing, detectors]}
            - {key: operator.seldon.io/record, operator: DoesNotExist}
        """

    @Test("objects a webhook guards are written only once its Service has ready endpoints")
    func guardedObjectsWaitForWebhookEndpoints() async throws {
        // Pods take 3 s to become ready, so Core's webhook has no endpoints for that long
        // after its objects are applied: ample time for an early write to be refused.
        let sandbox = try await SandboxProcess(options: ["--ready-delay-for", "pod=3s"])
        try #require(try await sandbox.apply(Self.guardOfCoreDependents).status == 0)
        let refused = try await sandbox.apply("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: early
              namespace: default
              labels: {operator.seldon.io/component: deploy}
            """)
        #expect(refused.status != 0 && refused.stderr.contains("no endpoints available for service \"seldon-webhook-service\""),
                "the guard did not refuse a write while Core is absent, so the test would prove nothing: \(refused.stderr)")

        try await sandbox.clearRequestLog()
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "3m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")
        let requests = try await sandbox.requests()
        // The Sandbox refuses a webhook call without endpoints as the real server does, with
        // a 500 (no faults are injected here, so every 500 is such a refusal).
        let rejected = requests.filter { ($0["method"] as? String) != "GET" && ($0["status"] as? Int) == 500 }
        #expect(rejected.isEmpty, "writes were refused: \(rejected.map { "\($0["method"] ?? "") \($0["path"] ?? "")" })")
        let applied = requests.filter { ($0["method"] as? String) == "PATCH" && (200..<300).contains($0["status"] as? Int ?? 0) }
            .compactMap { $0["path"] as? String }
        for guarded in ["/deployments/seldon-deploy", "/gateways/seldon-gateway", "/brokers/default"] {
            #expect(applied.contains { $0.hasSuffix(guarded) }, "no guarded write of \(guarded) succeeded, so nothing was tested")
        }

        // What users do next: create a SeldonDeployment, which the chart's own webhook
        // (failurePolicy Fail) guards. The install has returned, so the webhook must answer.
        try await sandbox.createSeldonDeployment()
    }
}
