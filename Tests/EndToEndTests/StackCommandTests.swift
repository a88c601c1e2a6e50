import Foundation
import Testing

/// `plan` and `render` through the built binary: without a cluster, against a Sandbox with and
/// without Istio and Knative, and against one that does not answer.
@Suite("plan and render end to end", .serialized)
struct StackCommandTests {
    static let full = CLI.packageRoot.appendingPathComponent("examples/full.yaml").path

    /// A place where no kubeconfig is found: no $KUBECONFIG, and a scratch HOME without
    /// ~/.kube, removed when the test is done with it.
    final class NoKubeconfig {
        let home: String
        var environment: [String: String] { ["HOME": home, "KUBECONFIG": ""] }

        init() throws {
            home = FileManager.default.temporaryDirectory.appendingPathComponent("stack-e2e-home-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: home) }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("without a kubeconfig, plan works and says prerequisites were not checked")
    func planWithoutACluster() async throws {
        let place = try NoKubeconfig()
        let environment = place.environment
        let text = try await CLI.run(["plan", "-f", Self.full], in: CLI.packageRoot, environment: environment)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Prerequisites: not checked (no kubeconfig"), "\(text.stdout)")
        #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix("  routing ") && $0.contains("install") })

        let json = try await CLI.run(["plan", "-f", Self.full, "-o", "json"], in: CLI.packageRoot, environment: environment)
        let prerequisites = try #require(try Self.json(json.stdout)["prerequisites"] as? [String: Any])
        #expect(prerequisites["checked"] as? Bool == false)
    }

    @Test("plan and render refuse an invalid spec, naming every field at fault and the fix")
    func invalidSpecsNameTheFieldAndTheFix() async throws {
        let place = try NoKubeconfig()
        let environment = place.environment, home = place.home
        let cases: [(spec: String, expected: [String])] = [
            ("enable: {routing: \"yes\", foo: 1}", [
                "spec.enable.foo: unknown field; fix: remove it; known fields here: analytics, catalogue, payloadstore, routing, detectors",
                "spec.enable.routing: expected a boolean, got string",
            ]),
            ("enable: {detectors: true}", [
                "spec.enable.detectors: detectors need routing",
                "fix: set spec.enable.routing: true, or spec.enable.detectors: false",
                "fix: set spec.enable.payloadstore: true, or spec.enable.detectors: false",
            ]),
            ("enable: {routing: true}\n  routing: {create_gateway: false}", ["spec.core.values.istio.gateway:", "create_gateway: true"]),
            ("enable: {payloadstore: true}\n  payloadstore: {internal_elastic: {use_internal: false}}",
             ["spec.enterprise.values.elasticsearch.url:", "use_internal: true"]),
        ]
        for (index, (spec, expected)) in cases.enumerated() {
            let file = "\(home)/invalid-\(index).yaml"
            try "apiVersion: operator.seldon.io/v1alpha1\nkind: SeldonOperator\nmetadata: {name: s}\nspec:\n  \(spec)\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            for command in ["plan", "render"] {
                let result = try await CLI.run([command, "-f", file], in: CLI.packageRoot, environment: environment)
                #expect(result.status != 0, "\(command) accepted: \(spec)")
                #expect(result.stdout.isEmpty)
                for text in expected {
                    #expect(result.stderr.contains("\(file): ") && result.stderr.contains(text), "\(command): \(result.stderr)")
                }
            }
        }
    }

    @Test("render --output-dir writes one file per component, numbered in install order")
    func renderWritesOneFilePerComponent() async throws {
        let place = try NoKubeconfig()
        let environment = place.environment, folder = place.home + "/out"
        let result = try await CLI.run(["render", "-f", Self.full, "--output-dir", folder], in: CLI.packageRoot, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files == ["00-core.yaml", "01-analytics.yaml", "02-catalogue.yaml", "03-payloadstore.yaml", "04-deploy.yaml",
                          "05-routing.yaml", "06-detectors.yaml"])
        let core = try String(contentsOfFile: folder + "/00-core.yaml", encoding: .utf8)
        #expect(core.hasPrefix("---\n# Source: core/seldon-core/templates/"), "\(core.prefix(200))")
    }

    @Test("user values that override the operator's wiring are applied, with a warning naming the keys")
    func overridingWiringWarns() async throws {
        let place = try NoKubeconfig()
        let environment = place.environment, spec = place.home + "/override.yaml"
        try """
        apiVersion: operator.seldon.io/v1alpha1
        kind: SeldonOperator
        metadata: {name: seldon, namespace: seldon-system}
        spec:
          enable: {routing: true}
          core: {values: {istio: {gateway: other/gateway}}}
        """.write(toFile: spec, atomically: true, encoding: .utf8)
        let warning = "warning: spec.core.values overrides values the operator computes for core: istio.gateway"
        let rendered = try await CLI.run(["render", "-f", spec], in: CLI.packageRoot, environment: environment)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stderr.contains(warning), "\(rendered.stderr)")
        #expect(rendered.stdout.contains("name: ISTIO_GATEWAY\n              value: \"other/gateway\""), "the user's value wins")
        let planned = try await CLI.run(["plan", "-f", spec], in: CLI.packageRoot, environment: environment)
        #expect(planned.stdout.contains(warning), "\(planned.stdout)")
    }

    @Test("against a Sandbox without Istio and Knative, plan names each missing API and what it blocks, in every format")
    func planAgainstAClusterWithoutAddons() async throws {
        let sandbox = try await SandboxProcess(addons: false)
        let text = try await sandbox.cli(["plan", "-f", Self.full])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("Prerequisites: checked against https://127.0.0.1:") && $0.hasSuffix(": 4 missing") },
                "\(text.stdout)")
        #expect(lines.contains("  missing networking.istio.io/v1beta1 Gateway: blocks routing, detectors"))
        #expect(lines.contains("  missing networking.istio.io/v1beta1 VirtualService: blocks routing, detectors"))
        #expect(lines.contains("  missing eventing.knative.dev/v1 Broker: blocks detectors"))
        #expect(lines.contains("  missing eventing.knative.dev/v1 Trigger: blocks detectors"))
        #expect(lines.contains { $0.hasPrefix("  routing ") && $0.contains("blocked") && $0.contains("networking.istio.io/v1beta1 Gateway") })
        #expect(lines.contains { $0.hasPrefix("  detectors ") && $0.contains("blocked") && $0.contains("it needs routing, which is blocked") })

        let json = try Self.json(try await sandbox.cli(["plan", "-f", Self.full, "-o", "json"]).stdout)
        let prerequisites = try #require(json["prerequisites"] as? [String: Any])
        #expect(prerequisites["checked"] as? Bool == true)
        let missing = try #require(prerequisites["missing"] as? [[String: Any]])
        #expect(missing.map { $0["api"] as? String } == ["eventing.knative.dev/v1 Broker", "eventing.knative.dev/v1 Trigger",
                                                         "networking.istio.io/v1beta1 Gateway", "networking.istio.io/v1beta1 VirtualService"])
        #expect(missing.map { $0["blocks"] as? [String] ?? [] } == [["detectors"], ["detectors"], ["routing", "detectors"], ["routing", "detectors"]])
        let states = (json["components"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "")=\($0["state"] ?? "")" }
        #expect(states == ["core=install", "deploy=install", "analytics=install", "catalogue=install", "payloadstore=install",
                           "routing=blocked", "detectors=blocked"])

        let dot = try await sandbox.cli(["plan", "-f", Self.full, "-o", "dot"])
        #expect(dot.stdout.contains("\"missing networking.istio.io/v1beta1 Gateway\" -> \"routing\""), "\(dot.stdout)")
        #expect(try await graphvizLayout(dot.stdout, scratch: sandbox.folder) == 0, "dot refused:\n\(dot.stdout)")

        let mermaid = try await sandbox.cli(["plan", "-f", Self.full, "-o", "mermaid"]).stdout
        #expect(mermaid.contains("missing2[/\"missing networking.istio.io/v1beta1 Gateway\"/]"), "\(mermaid)")
        #expect(mermaid.contains("missing2 -.-> routing"))
        #expect(mermaid.contains("class routing,detectors,missing0,missing1,missing2,missing3 blocked"))
    }

    @Test("against a Sandbox with Istio and Knative, plan finds every prerequisite served")
    func planAgainstAClusterWithAddons() async throws {
        let sandbox = try await SandboxProcess(addons: true)
        let text = try await sandbox.cli(["plan", "-f", Self.full])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains(": every API the enabled components need is served\n"), "\(text.stdout)")
        #expect(!text.stdout.contains("blocked"))
        // A kubeconfig found through $KUBECONFIG is used just as one given with --kubeconfig.
        let found = try await CLI.run(["plan", "-f", Self.full], in: CLI.packageRoot, environment: ["KUBECONFIG": sandbox.kubeconfig])
        #expect(found.stdout.contains(": every API the enabled components need is served\n"), "\(found.stdout)\n\(found.stderr)")
        let json = try Self.json(try await sandbox.cli(["plan", "-f", Self.full, "-o", "json"]).stdout)
        let prerequisites = try #require(json["prerequisites"] as? [String: Any])
        #expect(prerequisites["checked"] as? Bool == true)
        #expect((prerequisites["missing"] as? [Any])?.isEmpty == true)
        let dot = try await sandbox.cli(["plan", "-f", Self.full, "-o", "dot"]).stdout
        #expect(try await graphvizLayout(dot, scratch: sandbox.folder) == 0, "dot refused:\n\(dot)")
    }

    @Test("a cluster asked for that does not answer fails plan and render; one merely found is reported and skipped")
    func unreachableCluster() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stack-e2e-dead-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let dead = folder.appendingPathComponent("dead.kubeconfig").path
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
        users: [{name: someone, user: {token: not-a-secret}}]
        contexts: [{name: dead, context: {cluster: dead, user: someone}}]
        current-context: dead
        """.write(toFile: dead, atomically: true, encoding: .utf8)

        for command in ["plan", "render"] {
            let asked = try await CLI.run([command, "-f", Self.full, "--kubeconfig", dead], in: CLI.packageRoot)
            #expect(asked.status != 0, "\(command) with an unreachable --kubeconfig succeeded")
            #expect(asked.stderr.contains("cannot reach the cluster at https://127.0.0.1:1"), "\(asked.stderr)")

            let found = try await CLI.run([command, "-f", Self.full], in: CLI.packageRoot, environment: ["KUBECONFIG": dead])
            #expect(found.status == 0, "\(command): \(found.stderr)")
            #expect(found.stderr.contains("warning: cannot reach the cluster at https://127.0.0.1:1"), "\(found.stderr)")
            #expect(found.stderr.contains("going on without a cluster"))
        }
        let plan = try await CLI.run(["plan", "-f", Self.full], in: CLI.packageRoot, environment: ["KUBECONFIG": dead])
        #expect(plan.stdout.contains("Prerequisites: not checked (cannot reach the cluster at https://127.0.0.1:1"), "\(plan.stdout)")
    }

    @Test("render against an installed stack reuses the generated Secrets and webhook CA the cluster holds")
    func renderReusesTheClustersSecrets() async throws {
        let sandbox = try await SandboxProcess(addons: false)
        let spec = try sandbox.spec(["analytics: true": "analytics: false"])
        let install = try await sandbox.cli(["install", "-f", spec, "--timeout", "3m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")

        // The condition the install wrote names the APIs the cluster lacks.
        let prerequisites = try await sandbox.kubectl(["get", "seldonoperator", "seldon", "-n", "seldon-system", "-o",
            "jsonpath={.status.conditions[?(@.type==\"PrerequisitesMet\")].status}: {.status.conditions[?(@.type==\"PrerequisitesMet\")].message}"])
        #expect(prerequisites.hasPrefix("False: "), "\(prerequisites)")
        for api in ["networking.istio.io/v1beta1 Gateway", "networking.istio.io/v1beta1 VirtualService",
                    "eventing.knative.dev/v1 Broker", "eventing.knative.dev/v1 Trigger"] {
            #expect(prerequisites.contains(api), "\(prerequisites)")
        }

        let rendered = try await sandbox.cli(["render", "-f", spec])
        #expect(rendered.status == 0, "render failed: \(rendered.stderr)")
        #expect(rendered.stderr.contains("warning: routing is not rendered: the cluster does not serve networking.istio.io/v1beta1 Gateway"))
        let renderedObjects = try await objects(of: rendered.stdout, in: sandbox)
        #expect(!renderedObjects.contains { $0["kind"] as? String == "Gateway" }, "render left out what install left out")
        // Every object render prints is one install put in the cluster.
        let renderedFile = sandbox.folder.appendingPathComponent("rendered.yaml")
        try rendered.stdout.write(to: renderedFile, atomically: true, encoding: .utf8)
        let installed = try await sandbox.kubectl(["get", "-f", renderedFile.path, "-o", "name"]).split(separator: "\n")
        #expect(installed.count == renderedObjects.count)

        let generated = ["seldon-webhook-server-cert", "metadata-postgres", "elastic-credentials"]
        for name in generated {
            let live = try Self.json(try await sandbox.kubectl(["get", "secret", name, "-n", "seldon-system", "-o", "json"]))
            let ours = try #require(renderedObjects.first { $0["kind"] as? String == "Secret" && Self.name(of: $0) == name },
                                    "render has no Secret \(name)")
            let liveData = try #require(live["data"] as? [String: String])
            #expect(!liveData.isEmpty)
            #expect(ours["data"] as? [String: String] == liveData, "Secret \(name) was regenerated instead of reused")
        }
        // The webhook's CA bundle is the cluster's too, so the API server keeps trusting the webhook.
        let webhook = try #require(renderedObjects.first { $0["kind"] as? String == "ValidatingWebhookConfiguration" })
        let liveWebhook = try Self.json(try await sandbox.kubectl(["get", "validatingwebhookconfiguration", Self.name(of: webhook), "-o", "json"]))
        #expect(Self.caBundles(webhook) == Self.caBundles(liveWebhook))
        #expect(!Self.caBundles(webhook).isEmpty)

        // Without the cluster, lookup finds nothing and the passwords are new: the difference the cluster makes.
        // (Offline, routing and detectors are rendered too, and this Sandbox has no Istio or
        // Knative kinds for kubectl to read them with: only the catalogue's file is read.)
        let folder = sandbox.folder.appendingPathComponent("offline")
        let offlinePlace = try NoKubeconfig()
        let offline = try await CLI.run(["render", "-f", spec, "--output-dir", folder.path], in: CLI.packageRoot,
                                  environment: offlinePlace.environment)
        #expect(offline.status == 0, "\(offline.stderr)")
        let catalogueFile = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix("-catalogue.yaml") })
        let catalogue = try String(contentsOf: folder.appendingPathComponent(catalogueFile), encoding: .utf8)
        let offlineSecret = try #require(try await objects(of: catalogue, in: sandbox)
            .first { $0["kind"] as? String == "Secret" && Self.name(of: $0) == "metadata-postgres" })
        let liveSecret = try Self.json(try await sandbox.kubectl(["get", "secret", "metadata-postgres", "-n", "seldon-system", "-o", "json"]))
        #expect((offlineSecret["data"] as? [String: String])?["password"] != (liveSecret["data"] as? [String: String])?["password"])
    }

    /// The objects of a multi-document manifest, read by kubectl (client side) so this test
    /// does not parse YAML itself. kubectl prints one indented JSON object after another, each
    /// opening and closing at the start of a line; joined with commas they make an array.
    private func objects(of manifest: String, in sandbox: SandboxProcess) async throws -> [[String: Any]] {
        let file = sandbox.folder.appendingPathComponent("rendered-\(UUID().uuidString).yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        let stream = try await sandbox.kubectl(["create", "--dry-run=client", "-o", "json", "-f", file.path])
        let array = "[" + stream.replacingOccurrences(of: "\n}\n{", with: "\n},\n{") + "]"
        return try #require(try JSONSerialization.jsonObject(with: Data(array.utf8)) as? [[String: Any]])
    }

    private static func name(of object: [String: Any]) -> String {
        (object["metadata"] as? [String: Any])?["name"] as? String ?? ""
    }

    private static func caBundles(_ webhookConfiguration: [String: Any]) -> [String] {
        (webhookConfiguration["webhooks"] as? [[String: Any]] ?? []).compactMap {
            ($0["clientConfig"] as? [String: Any])?["caBundle"] as? String
        }
    }
}

/// Graphviz's `dot` (Debian package graphviz) laying out a graph, as a user piping `plan -o dot`
/// into it would; its complaints go to the test's stderr. Returns dot's exit status.
func graphvizLayout(_ source: String, scratch: URL) async throws -> Int32 {
    let file = scratch.appendingPathComponent("plan-\(UUID().uuidString).dot")
    try source.write(to: file, atomically: true, encoding: .utf8)
    let process = try Process.run(URL(fileURLWithPath: "/usr/bin/dot"), arguments: ["-Tsvg", "-o", "/dev/null", file.path])
    return await process.exitStatus()
}
