import Testing
@testable import Helm

@Suite struct ManifestSorterTests {
    @Test func splitsDocumentsAndDropsEmptyOnes() {
        #expect(ManifestSorter.split("---\na: 1\n---\n\n---   \nb: 2\n--- c: 3\n") == ["a: 1", "b: 2", "c: 3"])
        #expect(ManifestSorter.split("  \n").isEmpty)
    }

    @Test func ordersByInstallOrderStablyWithUnknownKindsLast() throws {
        let files = [
            "c/templates/b.yaml": "kind: Deployment\nmetadata: {name: d}\n---\nkind: Zeta\n---\nkind: Alpha\n---\nkind: Service\n",
            "c/templates/a.yaml": "kind: Service\nmetadata: {name: first}\n---\nkind: Namespace\n---\nkind: Alpha\nmetadata: {name: a2}",
        ]
        let (manifests, _) = try ManifestSorter.sort(files)
        #expect(manifests.map(\.kind) == ["Namespace", "Service", "Service", "Deployment", "Alpha", "Alpha", "Zeta"])
        #expect(manifests[1].content.contains("first"))
        #expect(manifests[4].path == "c/templates/a.yaml")
    }

    @Test func separatesHooksAndDropsUnknownOnes() throws {
        let files = [
            "c/templates/h.yaml": """
                kind: Job
                metadata:
                  annotations:
                    helm.sh/hook: pre-install,post-upgrade
                    helm.sh/hook-weight: "5"
                ---
                kind: Pod
                metadata:
                  annotations: {helm.sh/hook: test-success}
                ---
                kind: Pod
                metadata:
                  annotations: {helm.sh/hook: unknown}
                ---
                kind: ConfigMap
                metadata:
                  annotations: {other: 5}
                """,
        ]
        let (manifests, hooks) = try ManifestSorter.sort(files)
        #expect(manifests.map(\.kind) == ["ConfigMap"])
        #expect(hooks.map(\.manifest.kind) == ["Pod", "Job"])
        #expect(hooks[0].isTest)
        #expect(hooks[1].weight == 5 && hooks[1].events == ["pre-install", "post-upgrade"])
    }

    @Test func invalidYAMLNamesTheFile() {
        #expect(throws: ReleaseError.self) { try ManifestSorter.sort(["c/templates/x.yaml": "a: b\n c: d: e\n"]) }
    }
}
