import Testing

@testable import Lifecycle

@Suite("Install order and uninstall waves")
struct OrderTests {
    func ref(_ apiVersion: String, _ kind: String, _ name: String = "x") -> ObjectReference {
        ObjectReference(apiVersion: apiVersion, kind: kind, namespace: "seldon-system", name: name)
    }

    @Test func installOrderPutsDependenciesFirstAndCustomResourcesLast() {
        let rendered = [
            ref("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
            ref("machinelearning.seldon.io/v1", "SeldonDeployment"),
            ref("apps/v1", "Deployment", "b"),
            ref("v1", "Service"),
            ref("apps/v1", "Deployment", "a"),
            ref("v1", "ServiceAccount"),
            ref("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            ref("v1", "Namespace"),
        ]
        #expect(InstallOrder.sorted(rendered).map { "\($0.kind)/\($0.name)" } == [
            "Namespace/x", "ServiceAccount/x", "CustomResourceDefinition/x", "Service/x", "Deployment/b", "Deployment/a",
            "ValidatingWebhookConfiguration/x", "SeldonDeployment/x",
        ])
    }

    @Test(arguments: [
        (GroupKind(group: "machinelearning.seldon.io", kind: "SeldonDeployment"), UninstallWave.customResources),
        (GroupKind(group: "eventing.knative.dev", kind: "Trigger"), .customResources),
        (GroupKind(group: "eventing.knative.dev", kind: "Broker"), .customResources),
        (GroupKind(group: "networking.istio.io", kind: "VirtualService"), .routing),
        (GroupKind(group: "networking.istio.io", kind: "Gateway"), .routing),
        (GroupKind(group: "networking.k8s.io", kind: "Ingress"), .routing),
        (GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration"), .webhooks),
        (GroupKind(group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration"), .webhooks),
        (GroupKind(group: "apps", kind: "Deployment"), .operators),
        (GroupKind(group: "", kind: "Service"), .operators),
        (GroupKind(group: "rbac.authorization.k8s.io", kind: "ClusterRole"), .operators),
        (GroupKind(group: "policy", kind: "PodDisruptionBudget"), .operators),
        (GroupKind(group: "apps", kind: "StatefulSet"), .statefulStores),
        (GroupKind(group: "", kind: "PersistentVolumeClaim"), .volumeClaims),
        (GroupKind(group: "", kind: "Namespace"), .namespaces),
        (GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition"), .customResourceDefinitions),
    ])
    func uninstallWave(_ kind: GroupKind, _ wave: UninstallWave) {
        #expect(UninstallWave.of(kind) == wave)
    }

    @Test func wavesRunCustomResourcesFirstAndPurgeOnlyAtTheEnd() {
        #expect(UninstallWave.allCases.first == .customResources)
        #expect(UninstallWave.allCases.filter(\.requiresPurge) == [.volumeClaims, .namespaces, .customResourceDefinitions])
        #expect(UninstallWave.allCases.sorted() == UninstallWave.allCases)
        #expect(UninstallWave.routing < .webhooks && .webhooks < .operators && .operators < .statefulStores)
    }
}
