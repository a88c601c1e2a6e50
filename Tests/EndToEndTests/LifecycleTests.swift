import Foundation
import Testing

/// install, status, uninstall through the built binary against a Sandbox process.
@Suite("Lifecycle end to end", .serialized)
struct LifecycleEndToEndTests {
    @Test("a full install ends healthy, and an identical second install writes nothing")
    func fullInstallThenNoOp() async throws {
        let sandbox = try await SandboxProcess()
        let spec = try sandbox.spec()
        let first = try await sandbox.cli(["install", "-f", spec, "--timeout", "2m"])
        #expect(first.status == 0, "install failed: \(first.stderr)")
        #expect(first.stdout.contains("done: 7 components healthy"))

        let status = try await sandbox.cli(["status", "-n", "seldon-system"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("SeldonOperator seldon-system/seldon: 7/7 components ready"))
        for component in ["core", "deploy", "analytics", "catalogue", "payloadstore", "routing", "detectors"] {
            #expect(status.stdout.contains("\n\(component) ") && status.stdout.split(separator: "\n")
                .contains { $0.hasPrefix("\(component) ") && $0.contains("Ready") }, "\(component) is not Ready:\n\(status.stdout)")
        }
        let ready = try await sandbox.kubectl(["get", "seldonoperator", "seldon", "-n", "seldon-system",
                                         "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"])
        #expect(ready == "True")

        try await sandbox.clearRequestLog()
        let second = try await sandbox.cli(["install", "-f", spec, "--timeout", "2m"])
        #expect(second.status == 0, "second install failed: \(second.stderr)")
        #expect(second.stdout.contains("(no changes)"))
        let writes = try await sandbox.writeRequests()
        #expect(writes.allSatisfy { $0.hasSuffix("/seldonoperators/seldon/status") },
                "the second install wrote stack objects: \(writes.joined(separator: ", "))")
        #expect(writes == [], "the second install wrote: \(writes.joined(separator: ", "))")
    }

    @Test("turning a flag off prunes exactly that component's objects")
    func flagOffPrunesOneComponent() async throws {
        let sandbox = try await SandboxProcess()
        let full = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(full.status == 0, "install failed: \(full.stderr)")
        let before = try await sandbox.stackObjects()
        let analytics = before.filter { $0.contains("seldon-core-analytics") }
        #expect(!analytics.isEmpty)

        let reduced = try await sandbox.cli(["install", "-f", try sandbox.spec(["analytics: true": "analytics: false"]), "--timeout", "2m"])
        #expect(reduced.status == 0, "install without analytics failed: \(reduced.stderr)")
        #expect(try await sandbox.stackObjects() == before.subtracting(analytics))
        let status = try await sandbox.cli(["status", "-n", "seldon-system"])
        #expect(status.stdout.split(separator: "\n").contains { $0.hasPrefix("analytics ") && $0.contains("Disabled") })
    }

    @Test("uninstall removes everything it installed, and status then says nothing is installed")
    func uninstallRemovesEverything() async throws {
        let sandbox = try await SandboxProcess()
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")
        #expect(!(try await sandbox.stackObjects()).isEmpty)

        let uninstall = try await sandbox.cli(["uninstall", "-n", "seldon-system", "--timeout", "2m"])
        #expect(uninstall.status == 0, "uninstall failed: \(uninstall.stderr)")
        #expect(try await sandbox.stackObjects("deployments,statefulsets,daemonsets,services,configmaps,serviceaccounts,secrets,jobs") == [])
        #expect(try await sandbox.kubectl(["get", "seldonoperator", "-A", "-o", "name"]).isEmpty)
        let status = try await sandbox.cli(["status", "-n", "seldon-system"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("No SeldonOperator is installed in namespace seldon-system."))
    }

    @Test("status and uninstall with nothing installed say so and succeed")
    func nothingInstalled() async throws {
        let sandbox = try await SandboxProcess()
        // Without -n: the kubeconfig context's namespace, `default` for the Sandbox's.
        let status = try await sandbox.cli(["status"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("No SeldonOperator is installed in namespace default."))
        let uninstall = try await sandbox.cli(["uninstall"])
        #expect(uninstall.status == 0)
        #expect(uninstall.stdout.contains("Nothing to uninstall"))
    }

    @Test("an invalid spec is refused before anything is written, naming the field")
    func invalidSpecRefused() async throws {
        let sandbox = try await SandboxProcess()
        try await sandbox.clearRequestLog()
        let result = try await sandbox.cli(["install", "-f", try sandbox.spec(["analytics: true": "analytics: maybe"])])
        #expect(result.status != 0)
        #expect(result.stderr.contains("analytics"))
        #expect(try await sandbox.writeRequests() == [])
    }

    @Test("without Istio and Knative the rest installs; routing and detectors are blocked and PrerequisitesMet is False")
    func missingPrerequisites() async throws {
        let sandbox = try await SandboxProcess(addons: false)
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")
        #expect(install.stdout.contains("done: 5 components healthy; blocked: routing, detectors"))
        let status = try await sandbox.cli(["status", "-n", "seldon-system"]).stdout
        for component in ["routing", "detectors"] {
            #expect(status.split(separator: "\n").contains { $0.hasPrefix("\(component) ") && $0.contains("Blocked") },
                    "\(component) is not reported Blocked:\n\(status)")
        }
        let conditions = try await sandbox.kubectl(["get", "seldonoperator", "seldon", "-n", "seldon-system", "-o",
            "jsonpath={.status.conditions[?(@.type==\"PrerequisitesMet\")].status} {.status.conditions[?(@.type==\"Ready\")].status}"])
        #expect(conditions == "False True")
    }

    @Test("a values change writes only the objects it changes")
    func valuesChangeUpdatesOnlyChangedObjects() async throws {
        let sandbox = try await SandboxProcess()
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")
        try await sandbox.clearRequestLog()
        let changed = try await sandbox.cli(["install", "-f", try sandbox.spec(["type: ClusterIP": "type: NodePort"]), "--timeout", "2m"])
        #expect(changed.status == 0, "install of the changed spec failed: \(changed.stderr)")
        // The operator's own bookkeeping (the SeldonOperator, its lock, its records) aside,
        // the only object written is the Service the value feeds.
        let bookkeeping = ["/seldonoperators/", "/leases/", "/secrets/seldon-operator."]
        let writes = try await sandbox.writeRequests().filter { write in !bookkeeping.contains { write.contains($0) } }
        #expect(writes == ["PATCH /api/v1/namespaces/seldon-system/services/seldon-deploy"])
        let type = try await sandbox.kubectl(["get", "service", "seldon-deploy", "-n", "seldon-system", "-o", "jsonpath={.spec.type}"])
        #expect(type == "NodePort")
    }

    @Test("a crash-looping Deployment fails the install, naming the Deployment and the reason")
    func crashLoopFailsFast() async throws {
        let sandbox = try await SandboxProcess(options: ["--faults", "crashloop=seldon-system/seldon-deploy"])
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(install.status != 0)
        #expect(install.stderr.contains("Deployment seldon-system/seldon-deploy"), "stderr: \(install.stderr)")
        #expect(install.stderr.contains("CrashLoopBackOff"), "stderr: \(install.stderr)")
        #expect(!install.stderr.contains("timed out"), "it waited for the timeout instead of failing fast: \(install.stderr)")
        let ready = try await sandbox.kubectl(["get", "seldonoperator", "seldon", "-n", "seldon-system",
                                         "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"])
        #expect(ready == "False")
    }

    @Test("with 10% of API requests failing (500, 503, 429, dropped connections, timeouts) and slow answers the install still completes")
    func installSurvivesServerFaults() async throws {
        // 2% each of 500, 503, 429, connections closed without an answer, and requests never
        // answered (the client gives up after --request-timeout); every answer 20 ms late; one
        // watch in ten cut after a few events.
        let faults = "500=0.02,503=0.02,429=0.02,retry-after=0,drop=0.02,hang=0.02,latency=20ms,watch-cut=0.1"
        let sandbox = try await SandboxProcess(options: ["--faults", faults, "--seed", "6"])
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "3m", "--request-timeout", "2s"])
        #expect(install.status == 0, "install failed: \(install.stderr)")
        #expect(install.stdout.contains("done: 7 components healthy"))
        // A dropped connection is logged with status 0 (no answer was sent), a request left
        // unanswered until the client gave up with 499.
        let injected = Set(try await sandbox.requests().compactMap { $0["status"] as? Int }).intersection([500, 503, 429, 0, 499])
        #expect(injected == [500, 503, 429, 0, 499], "only \(injected.sorted()) were injected, so the test proved less than it says")
    }

    @Test("uninstall deletes custom resources while the operator holding their finalizers still runs")
    func uninstallWithOperatorFinalizers() async throws {
        let sandbox = try await SandboxProcess(options: [
            "--operator", "seldondeployments.machinelearning.seldon.io=seldon.io/finalizer@seldon-system/seldon-controller-manager",
        ])
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")
        try await sandbox.createSeldonDeployment()
        #expect(try await eventually {
            try await sandbox.kubectl(["get", "sdep", "iris", "-n", "default", "-o", "jsonpath={.metadata.finalizers}"])
                .contains("seldon.io/finalizer")
        })

        let uninstall = try await sandbox.cli(["uninstall", "-n", "seldon-system", "--timeout", "1m"])
        #expect(uninstall.status == 0, "uninstall failed: \(uninstall.stderr)")
        #expect(!uninstall.stdout.contains("removed the finalizers"))
        #expect(try await sandbox.kubectl(["get", "sdep", "-A", "-o", "name"]).isEmpty)
    }

    @Test("a finalizer nobody clears is reported by object, name and command; --force-remove-finalizers completes")
    func stuckFinalizerReportedThenForced() async throws {
        let sandbox = try await SandboxProcess(options: ["--faults", "stuck-finalizer=example.com/stuck"])
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")
        try await sandbox.createSeldonDeployment()

        let stuck = try await sandbox.cli(["uninstall", "-n", "seldon-system", "--timeout", "3s"])
        #expect(stuck.status != 0)
        #expect(stuck.stderr.contains("SeldonDeployment default/iris is held by finalizer example.com/stuck"), "stderr: \(stuck.stderr)")
        #expect(stuck.stderr.contains("kubectl patch seldondeployment.machinelearning.seldon.io/iris -n default"))

        let forced = try await sandbox.cli(["uninstall", "-n", "seldon-system", "--timeout", "5s", "--force-remove-finalizers"])
        #expect(forced.status == 0, "forced uninstall failed: \(forced.stderr)")
        #expect(try await sandbox.kubectl(["get", "sdep", "-A", "-o", "name"]).isEmpty)
        #expect(try await sandbox.kubectl(["get", "seldonoperator", "-A", "-o", "name"]).isEmpty)
    }
}
