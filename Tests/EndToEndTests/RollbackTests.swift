import Foundation
import Testing

@Suite("rollback: installing an earlier revision's spec again", .serialized)
struct RollbackTests {
    @Test("rollback --to 1 brings back what a later spec switched off, as a new revision that history shows")
    func rollbackRestoresAnEarlierSpec() async throws {
        let sandbox = try await SandboxProcess()
        let first = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(first.status == 0, "install failed: \(first.stderr)")
        let installed = try await sandbox.stackObjects()
        let reduced = try await sandbox.cli(["install", "-f", try sandbox.spec(["analytics: true": "analytics: false"]), "--timeout", "2m"])
        #expect(reduced.status == 0, "second install failed: \(reduced.stderr)")
        #expect(try await sandbox.stackObjects().count < installed.count)

        let rollback = try await sandbox.cli(["rollback", "--to", "1", "-n", "seldon-system", "--timeout", "2m"])
        #expect(rollback.status == 0, "rollback failed: \(rollback.stderr)")
        #expect(rollback.stdout.contains("rolled back seldon-system/seldon (revision 3"))
        #expect(try await sandbox.stackObjects() == installed)
        let enabled = try await sandbox.kubectl(["get", "seldonoperator", "seldon", "-n", "seldon-system", "-o", "jsonpath={.spec.enable.analytics}"])
        #expect(enabled == "true", "the SeldonOperator itself carries revision 1's spec again")
        let history = try await sandbox.cli(["history", "-n", "seldon-system"]).stdout.split(separator: "\n")
        #expect(history.contains { $0.hasPrefix("3 ") && $0.contains("analytics") && $0.contains("rollback to revision 1") })
        #expect(history.contains { $0.hasPrefix("2 ") && $0.contains("analytics") && $0.contains("removed") })
    }

    @Test("rollback to a revision that is not kept names the revisions that are, and changes nothing")
    func unknownRevisionRefused() async throws {
        let sandbox = try await SandboxProcess()
        let install = try await sandbox.cli(["install", "-f", try sandbox.spec(), "--timeout", "2m"])
        #expect(install.status == 0, "install failed: \(install.stderr)")
        try await sandbox.clearRequestLog()
        let rollback = try await sandbox.cli(["rollback", "--to", "7", "-n", "seldon-system"])
        #expect(rollback.status != 0)
        #expect(rollback.stderr.contains("revision 7 of seldon-system/seldon is not in its history; revisions kept: 1"))
        #expect(try await sandbox.writeRequests() == [])
    }
}
