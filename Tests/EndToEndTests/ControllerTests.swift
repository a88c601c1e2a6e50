import Foundation
import Testing

/// `seldon-operator run` as a process against the Sandbox, driven with kubectl as a user
/// would. Serialized: each test installs a stack, and two cores shared with other suites
/// are better spent on one at a time.
@Suite("Controller (seldon-operator run) end to end", .serialized)
struct ControllerEndToEndTests {
    @Test("apply leads to Ready; steady state writes nothing for 60 s; a flag edit converges; a deleted Deployment comes back; delete removes the stack, then the object")
    func lifecycle() async throws {
        let sandbox = try await SandboxProcess()
        try await sandbox.prepareForController()
        let controller = try ControllerProcess(sandbox: sandbox, identity: "solo")
        _ = try await sandbox.kubectl(["apply", "-f", try sandbox.spec()])
        #expect(try await holds(within: 180) { try await sandbox.isTrue("Ready", of: "seldon") }, "\(controller.logTail())")
        let deployments = try await sandbox.stackObjects("deployments")
        #expect(deployments.contains("deployment.apps/seldon-controller-manager"))

        // Steady state: status written, events recorded; from here on nothing changes.
        try await sandbox.clearRequestLog()
        try await Task.sleep(for: .seconds(60))
        let writes = try await sandbox.writeRequests()
        #expect(writes.isEmpty, "writes in 60 s of steady state: \(writes)")

        // A drift: a Deployment deleted by hand is put back.
        let deleted = Date()
        _ = try await sandbox.kubectl(["delete", "-n", "seldon-system", "deployment", "seldon-controller-manager", "--wait=false"])
        let restored = try await holds(within: 60) {
            try await !sandbox.kubectl(["get", "-n", "seldon-system", "deployment", "seldon-controller-manager", "--ignore-not-found", "-o", "name"]).isEmpty
        }
        let elapsed = Date().timeIntervalSince(deleted)
        #expect(restored, "\(controller.logTail())")
        print("controller e2e: a deleted Deployment was back after \(String(format: "%.2f", elapsed)) s")
        #expect(try await holds(within: 60) { try await (controller.metric("seldon_operator_drift_corrections_total") ?? 0) >= 1 })

        // A flag edit: analytics off converges, and its objects are pruned.
        let analytics = try await sandbox.stackObjects().filter { $0.contains("prometheus") || $0.contains("grafana") }
        _ = try await sandbox.kubectl(["apply", "-f", try sandbox.spec(["    analytics: true": "    analytics: false"])])
        #expect(try await holds(within: 180) {
            guard try await sandbox.isTrue("Ready", of: "seldon") else { return false }
            return try await sandbox.stackObjects().isDisjoint(with: analytics)
        }, "\(controller.logTail())")
        #expect(!analytics.isEmpty)
        // What happened, as events.k8s.io/v1 Events about the SeldonOperator.
        let events = try await sandbox.kubectl(["get", "events.events.k8s.io", "-n", "seldon-system", "-o", "jsonpath={.items[*].reason}"])
        for reason in ["Installed", "DriftCorrected", "Upgraded", "Pruned"] {
            #expect(events.split(separator: " ").contains(Substring(reason)), "events: \(events)")
        }

        // Deleting the SeldonOperator removes the whole stack, then the object.
        _ = try await sandbox.kubectl(["delete", "-n", "seldon-system", "seldonoperator", "seldon", "--wait=false"])
        #expect(try await holds(within: 180) { try await sandbox.seldonOperatorObject("seldon") == nil }, "\(controller.logTail())")
        #expect(try await sandbox.stackObjects().isEmpty)
        #expect(await controller.terminate() == 0)
    }

    @Test("two replicas with --leader-elect: only one reconciles; killing it hands over within the lease")
    func leaderElection() async throws {
        let sandbox = try await SandboxProcess()
        try await sandbox.prepareForController()
        // controller-runtime's timings (lease 15 s, renew deadline 10 s, retry 2 s): shorter
        // ones could make a leader on a loaded machine step down for real.
        let election = ["--leader-elect", "--leader-election-namespace", "default"]
        let first = try ControllerProcess(sandbox: sandbox, identity: "replica-a", arguments: election)
        #expect(try await holds(within: 60) { first.logged("became leader") }, "\(first.logTail())")
        let second = try ControllerProcess(sandbox: sandbox, identity: "replica-b", arguments: election)
        #expect(try await holds(within: 60) { second.logged("waiting for the leader-election lease") }, "\(second.logTail())")

        try await sandbox.clearRequestLog()
        try await sandbox.kubectlApply(sandbox.seldonOperator(name: "seldon", spec: ControllerSpecs.minimal))
        #expect(try await holds(within: 180) { try await sandbox.isTrue("Ready", of: "seldon") }, "\(first.logTail())")
        // The standby wrote nothing but its attempts at the Lease, and reconciled nothing.
        let standbyWrites = try await sandbox.requests().filter { request in
            (request["userAgent"] as? String)?.contains("(controller; replica-b)") == true && request["method"] as? String != "GET"
                && !(request["path"] as? String ?? "").contains("/leases/")
        }
        #expect(standbyWrites.isEmpty, "the standby wrote: \(standbyWrites)")
        #expect(!second.logged("became leader") && !second.logged("reconciled"))
        #expect(first.logged("reconciled"))

        // The leader crashes: the standby takes over once the lease expires, and reconciles.
        let killed = Date()
        await first.kill9()
        #expect(try await holds(within: 60) { second.logged("became leader") }, "\(second.logTail())")
        let handover = Date().timeIntervalSince(killed)
        print("controller e2e: leadership handed over \(String(format: "%.2f", handover)) s after the leader was killed (lease 15 s, retry 2 s)")
        try await sandbox.kubectlApply(sandbox.seldonOperator(name: "seldon", spec: "  enable:\n    analytics: true\n"))
        #expect(try await holds(within: 180) { try await sandbox.isTrue("Ready", of: "seldon") }, "\(second.logTail())")
        #expect(second.logged("reconciled"))
        #expect(await second.terminate() == 0)
        // A graceful stop gives the lease up: it names no holder any more.
        let lease = try await sandbox.kubectl(["get", "lease", "-n", "default", "seldon-operator-leader", "-o", "jsonpath={.spec.holderIdentity}"])
        #expect(!lease.contains("replica-"), "the lease still names \(lease)")
    }

    @Test("a second SeldonOperator is Stalled naming the one in charge, and takes over once it is deleted")
    func secondOperator() async throws {
        let sandbox = try await SandboxProcess()
        try await sandbox.prepareForController(namespaces: ["seldon-system", "team-b"])
        let controller = try ControllerProcess(sandbox: sandbox, identity: "solo")
        try await sandbox.kubectlApply(sandbox.seldonOperator(name: "seldon", spec: ControllerSpecs.minimal))
        #expect(try await holds(within: 180) { try await sandbox.isTrue("Ready", of: "seldon") }, "\(controller.logTail())")

        try await sandbox.kubectlApply(sandbox.seldonOperator(name: "second", namespace: "team-b", spec: ControllerSpecs.minimal))
        #expect(try await holds(within: 60) { try await sandbox.isTrue("Stalled", of: "second", namespace: "team-b") }, "\(controller.logTail())")
        let message = try await sandbox.currentCondition("Stalled", of: "second", namespace: "team-b")?["message"] as? String ?? ""
        #expect(message.contains("seldon-system/seldon"), "\(message)")
        let finalizers = (try await sandbox.seldonOperatorObject("second", namespace: "team-b")?["metadata"] as? [String: Any])?["finalizers"]
        #expect(finalizers == nil, "nothing of the refused one is applied, not even the finalizer")

        _ = try await sandbox.kubectl(["delete", "-n", "seldon-system", "seldonoperator", "seldon", "--wait=false"])
        #expect(try await holds(within: 240) { try await sandbox.isTrue("Ready", of: "second", namespace: "team-b") }, "\(controller.logTail())")
        #expect(await controller.terminate() == 0)
    }

    @Test("Istio and Knative kinds the stack owns are watched: a Gateway deleted by hand comes back within seconds, not at the resync")
    func addonDrift() async throws {
        let sandbox = try await SandboxProcess(addons: true)
        try await sandbox.prepareForController()
        let controller = try ControllerProcess(sandbox: sandbox, identity: "solo")
        #expect(try await holds(within: 60) { controller.logged("watching a kind now served") }, "\(controller.logTail())")
        // The resync (10 min by default) is far off: only the Gateway watch can bring it back in time.
        let seconds = try await Self.gatewayComesBack(sandbox: sandbox, controller: controller)
        print("controller e2e: a deleted Gateway was back \(String(format: "%.2f", seconds)) s later")
        #expect(try await (controller.metric("seldon_operator_drift_corrections_total") ?? 0) >= 1)
        #expect(await controller.terminate() == 0)
    }

    @Test("Istio installed after the controller started is watched once discovery serves it, and drift on its Gateway is put back")
    func addonInstalledLater() async throws {
        let sandbox = try await SandboxProcess(addons: false)
        try await sandbox.prepareForController()
        let controller = try ControllerProcess(sandbox: sandbox, identity: "solo")
        #expect(try await holds(within: 60) { try await (controller.metric(#"seldon_operator_api_requests_total{verb="discovery",code="200"}"#) ?? 0) >= 1 })
        #expect(!controller.logged("watching a kind now served"))

        // Istio arrives: its CRDs, as Istio's installer would apply them (no stack label).
        try await sandbox.kubectlApply(["Gateway", "VirtualService"].map(Self.istioDefinition).joined(separator: "---\n"))
        // Discovery is asked again every 30 s; the test allows twice that and a margin.
        #expect(try await holds(within: 90) {
            controller.logLines().contains { $0["msg"] as? String == "watching a kind now served" && $0["kind"] as? String == "Gateway.networking.istio.io" }
        }, "\(controller.logTail())")

        _ = try await Self.gatewayComesBack(sandbox: sandbox, controller: controller)
        #expect(await controller.terminate() == 0)
    }

    /// Installs a stack with routing, deletes its Gateway by hand once no reconcile runs, and
    /// waits for it to be back; the seconds that took.
    static func gatewayComesBack(sandbox: SandboxProcess, controller: ControllerProcess) async throws -> Double {
        let spec = "  enable:\n    analytics: false\n    routing: true\n  routing:\n    create_gateway: true\n"
        try await sandbox.kubectlApply(sandbox.seldonOperator(name: "seldon", spec: spec))
        #expect(try await holds(within: 180) { try await sandbox.isTrue("Ready", of: "seldon") }, "\(controller.logTail())")
        let gateways = try await sandbox.stackObjects("gateways.networking.istio.io")
        #expect(gateways.count == 1, "\(gateways)")
        guard let gateway = gateways.first else { return .infinity }
        // Deleted while a reconcile waits for the Gateway to be ready, it would be noticed only
        // when that wait ends: the engine's readiness wait does not see a deletion as drift.
        #expect(try await controller.settled(within: 120), "\(controller.logTail())")
        let deleted = Date()
        _ = try await sandbox.kubectl(["delete", "-n", "seldon-system", gateway, "--wait=false"])
        #expect(try await holds(within: 60) { try await sandbox.stackObjects("gateways.networking.istio.io") == gateways }, "\(controller.logTail())")
        return Date().timeIntervalSince(deleted)
    }

    /// A CRD of Istio's `networking.istio.io` group serving `v1beta1`, schema left open.
    static func istioDefinition(kind: String) -> String {
        let plural = kind.lowercased() + "s"
        return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: \(plural).networking.istio.io
        spec:
          group: networking.istio.io
          scope: Namespaced
          names: {kind: \(kind), plural: \(plural), singular: \(kind.lowercased()), listKind: \(kind)List}
          versions:
          - name: v1beta1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}

        """
    }

    @Test("/metrics counts API requests by the exact HTTP status the server answered, not a 5xx bucket")
    func exactRequestCodes() async throws {
        // Every API answer is 503 (Service Unavailable): each request fails after KubeClient's
        // retries. The watches retry inside KubeClient's watcher; discovery (is Istio served?)
        // fails up to the controller, which counts it and asks again later.
        let sandbox = try await SandboxProcess(addons: false, options: ["--faults", "503=1"])
        let controller = try ControllerProcess(sandbox: sandbox, identity: "solo")
        let discoveryFailed = #/seldon_operator_api_requests_total\{verb="discovery",code="503"\} [1-9]/#
        #expect(try await holds(within: 120) { ((try? await controller.metricsText()) ?? "").contains(discoveryFailed) }, "\(controller.logTail())")
        let text = try await controller.metricsText()
        #expect(!text.contains("code=\"5xx\""), "\(text)")
        #expect(controller.process.isRunning, "an API server answering 503 makes the controller retry, not exit")
        #expect(await controller.terminate() == 0)
    }

    @Test("an invalid spec is Stalled with the field path and not retried; fixing it recovers")
    func invalidSpec() async throws {
        let sandbox = try await SandboxProcess()
        try await sandbox.prepareForController()
        let controller = try ControllerProcess(sandbox: sandbox, identity: "solo")
        try await sandbox.kubectlApply(sandbox.seldonOperator(name: "seldon", spec: "  enable:\n    detectors: true\n"))
        #expect(try await holds(within: 60) { try await sandbox.isTrue("Stalled", of: "seldon") }, "\(controller.logTail())")
        let message = try await sandbox.currentCondition("Stalled", of: "seldon")?["message"] as? String ?? ""
        #expect(message.contains("spec.enable.detectors"), "\(message)")

        // No retry storm: the stalled object is left alone until it changes.
        let reconciles = try await controller.metric("seldon_operator_reconcile_total{result=\"success\"}") ?? 0
        try await sandbox.clearRequestLog()
        try await Task.sleep(for: .seconds(10))
        #expect(try await controller.metric("seldon_operator_reconcile_total{result=\"success\"}") == reconciles)
        #expect(try await controller.metric("seldon_operator_reconcile_total{result=\"error\"}") == 0)
        #expect(try await sandbox.writeRequests().isEmpty)

        try await sandbox.kubectlApply(sandbox.seldonOperator(name: "seldon", spec: ControllerSpecs.minimal))
        #expect(try await holds(within: 180) { try await sandbox.isTrue("Ready", of: "seldon") }, "\(controller.logTail())")
        #expect(try await !sandbox.isTrue("Stalled", of: "seldon"))
        #expect(await controller.terminate() == 0)
    }

    @Test("an API server that goes away makes the controller wait and retry, not exit, even while leading; once it is back, the controller leads and reconciles again")
    func apiServerGoesAway() async throws {
        // The state file keeps objects and credentials, so the restarted Sandbox serves the
        // same kubeconfig on the same port and the running controller needs nothing new.
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("controller-e2e-state-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: state) }
        let sandbox = try await SandboxProcess(options: ["--state", state.path])
        try await sandbox.prepareForController()
        let controller = try ControllerProcess(sandbox: sandbox, identity: "solo", arguments: [
            "--leader-elect", "--leader-election-namespace", "default", "--lease-duration", "6s", "--renew-deadline", "4s", "--retry-period", "1s",
        ])
        _ = try await sandbox.kubectl(["apply", "-f", try sandbox.spec()])
        #expect(try await holds(within: 180) { try await sandbox.isTrue("Ready", of: "seldon") }, "\(controller.logTail())")
        let port = try await controller.metricsPort()
        let kubeconfig = try String(contentsOfFile: sandbox.kubeconfig, encoding: .utf8)
        let sandboxPort = try #require(kubeconfig.split(separator: "\n").first { $0.contains("server: https://127.0.0.1:") }?
            .split(separator: ":").last.map(String.init))
        let stopped = try await sandbox.cli(["sandbox", "stop"])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        // The renew deadline passes: it stops reconciling and campaigns again, still running.
        #expect(try await holds(within: 60) { controller.logged("stopped reconciling; waiting for the lease again") }, "\(controller.logTail())")
        // Ten more seconds without a server: ten retry periods of campaigning, and no exit.
        #expect(try await !holds(within: 10) { !controller.process.isRunning }, "\(controller.logTail())")
        let health = try String(contentsOf: URL(string: "http://127.0.0.1:\(port)/healthz")!, encoding: .utf8)
        #expect(health == "ok\n")

        let restarted = try await CLI.run(["sandbox", "start", "--background", "--port", sandboxPort, "--kubeconfig-out", sandbox.kubeconfig,
                                     "--ready-delay", "100ms", "--with-istio", "--with-knative", "--state", state.path])
        #expect(restarted.status == 0, "\(restarted.stderr)")
        #expect(try String(contentsOfFile: sandbox.kubeconfig, encoding: .utf8) == kubeconfig, "the restart serves the same kubeconfig")
        #expect(try await holds(within: 60) { controller.logLines().filter { $0["msg"] as? String == "became leader" }.count >= 2 },
                "\(controller.logTail())")
        // Reconciling again: a Deployment deleted after the restart is put back (a new uid).
        func uid() async throws -> String {
            try await sandbox.kubectl(["get", "-n", "seldon-system", "deployment", "seldon-controller-manager", "--ignore-not-found",
                                 "-o", "jsonpath={.metadata.uid}"])
        }
        let before = try await uid()
        #expect(!before.isEmpty, "the state file kept the installed Deployment")
        _ = try await sandbox.kubectl(["delete", "-n", "seldon-system", "deployment", "seldon-controller-manager", "--wait=false"])
        // Generous: after the outage the watches retry on a backoff of up to 30 s (with jitter),
        // and a loaded machine stretches every step; what matters is that it comes back.
        #expect(try await holds(within: 240) { try await ![before, ""].contains(uid()) }, "\(controller.logTail())")
        #expect(await controller.terminate() == 0)
    }

    @Test("the operator chart runs `seldon-operator run` with flags it accepts, probe and metrics ports that match them, and no wildcard permission")
    func operatorChart() async throws {
        let sandbox = try await SandboxProcess(addons: false)
        try await sandbox.prepareForController(namespaces: ["seldon-operator"])
        let rendered = try await CLI.run(["template", "seldon-operator", "charts/seldon-operator", "--namespace", "seldon-operator"], in: CLI.packageRoot)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        try await sandbox.kubectlApply(rendered.stdout)

        let deployment = try JSONSerialization.jsonObject(with: Data(try await sandbox.kubectl([
            "get", "deployment", "-n", "seldon-operator", "seldon-operator-controller-manager", "-o", "json",
        ]).utf8)) as? [String: Any]
        let pod = (deployment?["spec"] as? [String: Any]).flatMap { ($0["template"] as? [String: Any])?["spec"] as? [String: Any] }
        let container = try #require((pod?["containers"] as? [[String: Any]])?.first)
        let args = container["args"] as? [String] ?? []
        #expect(args.first == "run")
        let ports = Dictionary(uniqueKeysWithValues: (container["ports"] as? [[String: Any]] ?? []).compactMap { port in
            (port["name"] as? String).flatMap { name in (port["containerPort"] as? Int).map { (name, $0) } }
        })
        let metricsPort = try #require(ports["metrics"])
        let probesPort = try #require(ports["probes"])
        #expect(args.contains("--metrics-bind-address=:\(metricsPort)"))
        #expect(args.contains("--health-probe-bind-address=:\(probesPort)"))
        for probe in ["readinessProbe", "livenessProbe"] {
            let port = ((container[probe] as? [String: Any])?["httpGet"] as? [String: Any])?["port"] as? String
            #expect(port == "probes", "\(probe) targets \(port ?? "nothing")")
        }
        // The flags parse: the command gets as far as reading the (missing) kubeconfig.
        let parsed = try await CLI.run(args + ["--kubeconfig", sandbox.folder.appendingPathComponent("missing").path])
        #expect(parsed.status != 0 && parsed.stderr.contains("file not found"), "\(parsed.stderr)")

        let role = try JSONSerialization.jsonObject(with: Data(try await sandbox.kubectl([
            "get", "clusterrole", "seldon-operator-seldon-operator", "-o", "json",
        ]).utf8)) as? [String: Any]
        let rules = role?["rules"] as? [[String: Any]] ?? []
        #expect(!rules.isEmpty)
        for rule in rules {
            let words = (rule["apiGroups"] as? [String] ?? []) + (rule["resources"] as? [String] ?? []) + (rule["verbs"] as? [String] ?? [])
            #expect(!words.contains("*"), "wildcard in \(rule)")
            #expect(!(rule["resources"] as? [String] ?? []).contains("secrets") || !(rule["verbs"] as? [String] ?? []).contains("update"))
        }
    }

    @Test("run refuses bad flags before it connects, naming the flag", arguments: [
        (["--metrics-bind-address", "localhost"], "--metrics-bind-address"),
        (["--health-probe-bind-address", ":99999"], "--health-probe-bind-address"),
        (["--max-concurrent-reconciles", "0"], "--max-concurrent-reconciles"),
        (["--leader-elect", "--lease-duration", "10s", "--renew-deadline", "10s"], "renew deadline"),
        (["--resync-period", "soon"], "--resync-period"),
    ])
    func badFlags(arguments: [String], named: String) async throws {
        let result = try await CLI.run(["run", "--kubeconfig", "/nonexistent/kubeconfig"] + arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(named), "\(result.stderr)")
    }

    @Test("with 2,000 unrelated Secrets and ConfigMaps and 500 SeldonDeployments, the cache holds only the stack's own objects")
    func cacheHoldsOnlyTheStack() async throws {
        let sandbox = try await SandboxProcess()
        try await sandbox.prepareForController(namespaces: ["seldon-system", "unrelated"])
        let controller = try ControllerProcess(sandbox: sandbox, identity: "solo")
        _ = try await sandbox.kubectl(["apply", "-f", try sandbox.spec()])
        #expect(try await holds(within: 180) { try await sandbox.isTrue("Ready", of: "seldon") }, "\(controller.logTail())")
        let owned = "seldon_operator_cached_objects{watch=\"owned\"}"
        let stackCount = Double(try await sandbox.stackObjects(ControllerWatchedKinds.kubectlList).count)
        #expect(try await holds(within: 30) { try await controller.metric(owned) == stackCount })
        let residentBefore = controller.residentKilobytes()

        try await sandbox.kubectlApply(UnrelatedObjects.manifest(namespace: "unrelated", secrets: 1000, configMaps: 1000, seldonDeployments: 500))
        let secrets = try await sandbox.kubectl(["get", "secrets", "-n", "unrelated", "-o", "name"]).split(separator: "\n").count
        #expect(secrets == 1000)
        // The watches would have delivered them by the time kubectl has read them back; give a laggard a moment.
        #expect(try await holds(within: 10) { try await controller.metric(owned) != stackCount } == false)
        #expect(try await controller.metric(owned) == stackCount)
        #expect(try await controller.metric("seldon_operator_cached_objects{watch=\"seldonoperators\"}") == 1)
        print("controller e2e: cache \(Int(stackCount)) objects; resident \(residentBefore) kB before and \(controller.residentKilobytes()) kB after 2,500 unrelated objects")
        #expect(await controller.terminate() == 0)
    }
}

/// The kinds the controller watches by label, as one kubectl resource list.
enum ControllerWatchedKinds {
    static let kubectlList = [
        "namespaces", "serviceaccounts", "configmaps", "secrets", "services", "persistentvolumeclaims", "deployments",
        "statefulsets", "daemonsets", "jobs", "poddisruptionbudgets", "roles", "rolebindings", "clusterroles", "clusterrolebindings",
        "customresourcedefinitions", "validatingwebhookconfigurations", "mutatingwebhookconfigurations",
        "gateways.networking.istio.io", "virtualservices.networking.istio.io", "brokers.eventing.knative.dev", "triggers.eventing.knative.dev",
    ].joined(separator: ",")
}

/// Objects no stack owns, as other applications would have them.
enum UnrelatedObjects {
    static func manifest(namespace: String, secrets: Int, configMaps: Int, seldonDeployments: Int) -> String {
        var items: [String] = []
        for index in 0..<secrets {
            items.append("- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: app-secret-\(index)\n    namespace: \(namespace)\n  stringData:\n    token: not-a-real-token-\(index)")
        }
        for index in 0..<configMaps {
            items.append("- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: app-config-\(index)\n    namespace: \(namespace)\n  data:\n    setting: value-\(index)")
        }
        for index in 0..<seldonDeployments {
            let document = SandboxProcess.seldonDeployment(name: "model-\(index)", namespace: namespace)
            items.append("- " + document.split(separator: "\n").joined(separator: "\n  "))
        }
        return "apiVersion: v1\nkind: List\nitems:\n" + items.joined(separator: "\n") + "\n"
    }
}
