import Foundation
import Testing

@Suite("-n defaults to the kubeconfig context's namespace; -A looks everywhere")
struct NamespaceTests {
    @Test("status, history and uninstall look in the context's namespace unless told otherwise")
    func contextNamespaceIsTheDefault() async throws {
        let sandbox = try await SandboxProcess()
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")

        // The Sandbox's context names no namespace: `default`, where nothing is installed.
        let status = try await sandbox.cli(["status"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("No SeldonOperator is installed in namespace default. Installed elsewhere: seldon-system/seldon"))
        let uninstall = try await sandbox.cli(["uninstall"])
        #expect(uninstall.status == 0)
        #expect(uninstall.stdout.contains("Nothing to uninstall"))
        #expect(!(try await sandbox.stackObjects()).isEmpty)

        for command in ["status", "history"] {
            let all = try await sandbox.cli([command, "-A"])
            #expect(all.status == 0 && all.stdout.contains("SeldonOperator seldon-system/seldon"), "\(command) -A: \(all.stdout)")
        }
        #expect(try await sandbox.cli(["status", "-A", "-n", "seldon-system"]).status != 0)

        // A context whose namespace is the stack's needs no -n.
        _ = try await sandbox.kubectl(["config", "set-context", "--current", "--namespace", "seldon-system"])
        let contextual = try await sandbox.cli(["status"])
        #expect(contextual.stdout.contains("SeldonOperator seldon-system/seldon: 7/7 components ready"), "\(contextual.stdout)")
        let removed = try await sandbox.cli(["uninstall", "--timeout", "2m"])
        #expect(removed.status == 0, "uninstall failed: \(removed.stderr)")
        #expect(removed.stdout.contains("uninstalled seldon-system/seldon"))
    }
}
