import Foundation
import ProcessTesting
import Testing

/// Installs killed without warning (SIGKILL: no cleanup, the lock left held), then run again.
@Suite("Interrupted installs end to end", .serialized)
struct InterruptionEndToEndTests {
    /// The lock the killed installs take: short, so ten take-overs fit in a test. Only they
    /// use it; the installs that must finish keep the default, which no renewal delayed by
    /// a loaded machine can outrun.
    static let victimLockDuration = "3s"

    @Test("SIGKILL at 10 seeded moments of an install (and once holding its lock), then install again: the objects of a clean install, each once")
    func killedInstallsConverge() async throws {
        let sandbox = try await SandboxProcess()
        let install = ["install", "-f", try sandbox.spec(), "--timeout", "3m"]

        let writesBefore = try await sandbox.writeRequests().count
        let clean = try await sandbox.cli(install)
        try #require(clean.status == 0, "the uninterrupted install failed: \(clean.stderr)")
        let cleanWrites = try await sandbox.writeRequests().count - writesBefore
        let expected = try await sandbox.inventory()
        try expectConsistent(expected, like: expected, context: "clean install")

        // Seeded, so a failure names a moment that can be replayed. A moment is a point in
        // the install's progress, not in time: the kill comes once the install has made a
        // chosen number of its writes (counted in the Sandbox's request log), so how busy the
        // machine is moves when a kill lands, never which part of the install it interrupts.
        srand48(6)
        var killed = 0
        for round in 1...10 {
            let moment = 1 + Int(drand48() * 0.8 * Double(cleanWrites))
            let (victim, writesAtStart) = try await startFromNothing(sandbox, install, round: round)
            while victim.isRunning {
                if try await sandbox.writeRequests().count - writesAtStart >= moment {
                    kill(victim.processIdentifier, SIGKILL)
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            await victim.exitStatus()
            if victim.terminationReason == .uncaughtSignal { killed += 1 }
            try await rerun(sandbox, install, like: expected, context: "round \(round) (killed after write \(moment) of \(cleanWrites))")
        }
        // A kill that came after the install ended proves nothing, so make sure most moments
        // fell inside one (a write counted late by the polling can let an install finish).
        #expect(killed >= 5, "only \(killed) of 10 installs were still running when killed")

        // Whether a random moment falls while the lock is held depends on the machine's
        // load, so one more kill comes right after the install takes it: the rerun must
        // wait for that lease to expire and take it over.
        let (victim, _) = try await startFromNothing(sandbox, install, round: 11)
        let locked = try await eventually(within: 120) { try await lockHolder(sandbox)?.contains("\(victim.processIdentifier)") == true }
        kill(victim.processIdentifier, SIGKILL)
        await victim.exitStatus()
        try #require(locked, "the install never took the lock")
        try await rerun(sandbox, install, like: expected, context: "killed holding the lock")
    }

    /// Removes everything, then starts an install (with the victims' short lock) from nothing;
    /// returns it with the number of writes in the request log before it started.
    private func startFromNothing(_ sandbox: SandboxProcess, _ install: [String], round: Int) async throws -> (Process, Int) {
        let uninstall = try await sandbox.cli(["uninstall", "-n", "seldon-system", "--purge", "--timeout", "2m"])
        try #require(uninstall.status == 0, "round \(round): uninstall failed: \(uninstall.stderr)")
        let writes = try await sandbox.writeRequests().count
        return (try sandbox.launch(install + ["--lock-duration", Self.victimLockDuration]), writes)
    }

    /// Installs again after a kill, waiting out a lock the killed install left, and checks
    /// the cluster against the clean install.
    private func rerun(_ sandbox: SandboxProcess, _ install: [String], like expected: EngineInventory, context: String) async throws {
        let rerun = try await installTakingOverLock(sandbox, install)
        try #require(rerun.status == 0, "\(context): the rerun failed: \(rerun.stderr)")
        try expectConsistent(try await sandbox.inventory(), like: expected, context: context)
    }

    /// Who holds the stack's lock, if anyone: a released lock keeps its Lease with no holder.
    private func lockHolder(_ sandbox: SandboxProcess) async throws -> String? {
        let lease = try await sandbox.kubectlResult(["get", "lease", "seldon-operator-seldon", "-n", "seldon-system", "-o", "json"])
        guard lease.status == 0 else { return nil }
        let object = try JSONSerialization.jsonObject(with: Data(lease.stdout.utf8)) as? [String: Any]
        let holder = (object?["spec"] as? [String: Any])?["holderIdentity"] as? String
        return holder?.isEmpty == false ? holder : nil
    }

    /// Runs `install` until the lock a killed install left has expired and it takes over;
    /// any other failure ends the loop.
    private func installTakingOverLock(_ sandbox: SandboxProcess, _ install: [String]) async throws -> CLI.Result {
        let deadline = Date().addingTimeInterval(120)
        while true {
            let result = try await sandbox.cli(install)
            guard result.status != 0, result.stderr.contains("the lock is held by"), Date() < deadline else { return result }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// The engine's objects are those of a clean install (same kinds, namespaces and names),
    /// each once; every component's newest record is deployed and names exactly the live
    /// objects (by uid) it applied, so nothing is orphaned and nothing is recorded twice.
    private func expectConsistent(_ inventory: EngineInventory, like clean: EngineInventory, context: String) throws {
        let keys = inventory.applied.map(\.key)
        #expect(keys.count == Set(keys).count, "\(context): an object appears twice: \(keys.sorted())")
        let expected = Set(clean.applied.map(\.key))
        #expect(Set(keys).subtracting(expected).isEmpty,
                "\(context): extra objects \(Set(keys).subtracting(expected).sorted())")
        #expect(expected.subtracting(keys).isEmpty, "\(context): missing objects \(expected.subtracting(keys).sorted())")

        let newest = inventory.newestRecords
        #expect(Set(newest.map(\.component)) == Set(clean.newestRecords.map(\.component)), "\(context): components recorded")
        for record in newest {
            #expect(record.outcome == "deployed", "\(context): \(record.component) r\(record.revision) is \(record.outcome)")
            let stale = record.objects.subtracting(inventory.applied)
            #expect(stale.isEmpty, "\(context): \(record.component)'s record names objects not live with that uid: \(stale)")
        }
        let recorded = newest.flatMap(\.objects)
        #expect(recorded.count == Set(recorded).count, "\(context): an object is in two components' records")
        #expect(inventory.unrecorded == clean.unrecorded,
                "\(context): objects outside every record: \(inventory.unrecorded.sorted())")
    }
}
