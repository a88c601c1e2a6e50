import Platform
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SubprocessTests {
    @Test func runCollectsBothStreamsAndTheExitStatus() throws {
        let output = try Subprocess.run(executable: "/bin/sh", arguments: ["-c", "printf out; printf err >&2; exit 3"])
        #expect(output.status == 3)
        #expect(String(decoding: output.stdout, as: UTF8.self) == "out")
        #expect(String(decoding: output.stderr, as: UTF8.self) == "err")
    }

    /// Far more than a pipe buffer on each stream, so reading one to its end first would
    /// deadlock against a child blocked writing the other.
    @Test func aChildFillingBothPipesDoesNotDeadlock() throws {
        let script = "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2; head -c 300000 /dev/zero"
        let output = try Subprocess.run(executable: "/bin/sh", arguments: ["-c", script])
        #expect(output.status == 0)
        #expect(output.stdout.count == 600_000)
        #expect(output.stderr.count == 300_000)
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() throws {
        let output = try Subprocess.run(executable: "/usr/bin/env", arguments: [], environment: ["ONLY": "this"])
        #expect(String(decoding: output.stdout, as: UTF8.self) == "ONLY=this\n")
    }

    @Test func standardInputIsEmpty() throws {
        let output = try Subprocess.run(executable: "/bin/cat", arguments: [])
        #expect(output.status == 0 && output.stdout.isEmpty)
    }

    @Test func aMissingExecutableNamesItself() {
        #expect {
            try Subprocess.run(executable: "/nonexistent/plugin", arguments: [])
        } throws: { error in
            "\(error)" == "cannot start /nonexistent/plugin: No such file or directory"
        }
    }

    @Test func aSignalledChildReportsOneHundredTwentyEightPlusTheSignal() throws {
        let output = try Subprocess.run(executable: "/bin/sh", arguments: ["-c", "kill -TERM $$"])
        #expect(output.status == 128 + 15)
    }

    @Test func aDetachedChildRunsInItsOwnProcessGroupUntilItEnds() async throws {
        let child = try Subprocess.startDetached(executable: "/bin/sh", arguments: ["-c", "sleep 0.3"])
        #expect(child.exitStatusIfEnded() == nil)
        #expect(getpgid(child.pid) == child.pid)
        let status = await Task.detached { child.waitUntilExit() }.value
        #expect(status == 0)
        #expect(child.exitStatusIfEnded() == 0)
    }

    @Test func runDetachedDoesNotHoldTheCallersThread() async throws {
        async let slow = Subprocess.runDetached(executable: "/bin/sh", arguments: ["-c", "sleep 0.2; echo done"])
        let fast = try await Subprocess.runDetached(executable: "/bin/echo", arguments: ["first"])
        #expect(String(decoding: fast.stdout, as: UTF8.self) == "first\n")
        #expect(String(decoding: try await slow.stdout, as: UTF8.self) == "done\n")
    }
}
