import Platform
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A child must not keep the parent's descriptors: a detached Sandbox holding the pipe a test
/// gave the CLI kept that test waiting for an end of file that never came.
@Suite struct InheritedDescriptorTests {
    @Test func childrenGetOnlyTheStandardStreams() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        // Moved up high, where `ls` does not open its own descriptors, and without
        // close-on-exec, as a descriptor inherited from an unknowing parent is.
        ends = ends.map { end in defer { close(end) }; return fcntl(end, F_DUPFD, 500) }
        defer { ends.forEach { _ = close($0) } }
        try #require(ends.allSatisfy { $0 >= 500 })
        let output = try Subprocess.run(executable: "/bin/ls", arguments: ["/proc/self/fd"])
        let open = String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
        #expect(output.status == 0)
        #expect(!open.contains(ends[0]) && !open.contains(ends[1]), "\(open)")
    }

    @Test func aDetachedChildHoldsNoPipeOfOurs() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { _ = close(ends[0]) }
        let child = try Subprocess.startDetached(executable: "/bin/sleep", arguments: ["60"])
        defer {
            kill(child.pid, SIGKILL)
            _ = child.waitUntilExit()
        }
        close(ends[1])
        // Without a writer left, a read finds the end of file; were the child holding the
        // write end, the non-blocking read would find nothing yet (EAGAIN) instead.
        _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        var byte: UInt8 = 0
        #expect(read(ends[0], &byte, 1) == 0)
    }
}
