import Foundation
import Testing

@Suite("Ctrl-C during install and uninstall")
struct InterruptTests {
    /// The CLI started in the background against `sandbox`, its stdout going to a file
    /// the test reads while it runs.
    final class Running {
        let process = Process()
        let output: URL

        init(_ arguments: [String], sandbox: SandboxProcess) throws {
            output = sandbox.folder.appendingPathComponent("run-\(UUID().uuidString).out")
            try Data().write(to: output)
            process.executableURL = CLI.executable
            process.currentDirectoryURL = CLI.packageRoot
            process.arguments = arguments + ["--kubeconfig", sandbox.kubeconfig]
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = process.standardOutput
            try process.run()
        }

        var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

        /// Waits (at most a minute) until the output contains `marker`.
        func waitFor(_ marker: String) async throws -> Bool {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, process.isRunning {
                if text.contains(marker) { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return text.contains(marker)
        }

        /// Sends SIGINT, as Ctrl-C does, and waits for the process to end.
        func interrupt() async -> Int32 {
            process.interrupt()
            return await process.exitStatus()
        }
    }

    @Test("SIGINT stops an install cleanly: exit 130, the lock released, records say so, and a rerun completes")
    func interruptedInstall() async throws {
        // Every workload takes three seconds to become ready: time to interrupt mid-install.
        let sandbox = try await SandboxProcess(options: ["--ready-delay", "3s"])
        let spec = try sandbox.spec()
        let install = try Running(["install", "-f", spec, "--timeout", "2m", "-o", "json"], sandbox: sandbox)
        #expect(try await install.waitFor(#""component":"core","object""#), "install never applied core's objects: \(install.text)")
        let status = await install.interrupt()
        #expect(install.process.terminationReason == .exit && status == 130, "exit \(status): \(install.text)")
        #expect(install.text.contains("interrupted by SIGINT"))
        // A released lease has no holder (kubectl prints an explicit null as "null").
        let holder = try await sandbox.kubectl(["get", "lease", "seldon-operator-seldon", "-n", "seldon-system", "-o", "jsonpath={.spec.holderIdentity}"])
        #expect(holder.isEmpty || holder == "null", "the lease is still held by \(holder)")
        let history = try await sandbox.cli(["history", "-n", "seldon-system"]).stdout
        #expect(history.contains("interrupted"), "\(history)")

        let rerun = try await sandbox.cli(["install", "-f", spec, "--timeout", "2m"])
        #expect(rerun.status == 0, "rerun failed: \(rerun.stderr)")
        let after = try await sandbox.cli(["history", "-n", "seldon-system"]).stdout.split(separator: "\n")
        #expect(after.contains { $0.hasPrefix("2 ") && $0.contains("core") && $0.contains("deployed") }, "\(after)")
    }

    @Test("SIGTERM stops an uninstall cleanly: exit 143, the lock released, and a rerun finishes the job")
    func interruptedUninstall() async throws {
        // A finalizer nobody clears keeps the uninstall waiting on its first wave.
        let sandbox = try await SandboxProcess(options: ["--faults", "stuck-finalizer=example.com/stuck"])
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")
        try await sandbox.createSeldonDeployment()
        let uninstall = try Running(["uninstall", "-n", "seldon-system", "--timeout", "2m", "-o", "json"], sandbox: sandbox)
        #expect(try await uninstall.waitFor(#""event":"deleted""#), "uninstall never deleted anything: \(uninstall.text)")
        uninstall.process.terminate()
        await uninstall.process.exitStatus()
        #expect(uninstall.process.terminationReason == .exit && uninstall.process.terminationStatus == 143, "\(uninstall.text)")
        #expect(uninstall.text.contains("interrupted by SIGTERM"))
        // A released lease has no holder (kubectl prints an explicit null as "null").
        let holder = try await sandbox.kubectl(["get", "lease", "seldon-operator-seldon", "-n", "seldon-system", "-o", "jsonpath={.spec.holderIdentity}"])
        #expect(holder.isEmpty || holder == "null", "the lease is still held by \(holder)")

        let rerun = try await sandbox.cli(["uninstall", "seldon", "-n", "seldon-system", "--timeout", "10s", "--force-remove-finalizers"])
        #expect(rerun.status == 0, "rerun failed: \(rerun.stderr)")
        #expect(try await sandbox.stackObjects() == [])
        #expect(try await sandbox.kubectl(["get", "sdep", "-A", "-o", "name"]).isEmpty)
    }
}
