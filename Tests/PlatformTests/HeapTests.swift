import Platform
import Testing

@Suite struct HeapTests {
    /// Frees a burst of small allocations on another thread (so they land in a thread arena
    /// glibc does not trim by itself) and checks the process's anonymous resident memory falls
    /// once the free pages are released.
    @Test func releasingFreePagesShrinksTheResidentHeap() async throws {
        let survivors = await withCheckedContinuation { continuation in
            DetachedThread.start {
                var blocks: [[UInt8]] = []
                for index in 0..<40_000 { blocks.append([UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 1000)) }
                // Every 100th block stays alive, so the arena cannot simply shrink from its top.
                let survivors = Survivors(blocks.enumerated().filter { $0.offset % 100 == 0 }.map(\.element))
                blocks.removeAll()
                continuation.resume(returning: survivors)
            }
        }
        let before = try anonymousResidentKilobytes()
        let released = Heap.releaseFreePages()
        let after = try anonymousResidentKilobytes()
        #expect(survivors.blocks.count == 400)
        #expect(released)
        // About 40 MB were freed; other tests of the run may allocate meanwhile, hence half.
        #expect(after < before - 20_000, "RssAnon \(before) kB before, \(after) kB after")
    }

    private struct Survivors: @unchecked Sendable {
        let blocks: [[UInt8]]
        init(_ blocks: [[UInt8]]) { self.blocks = blocks }
    }

    private func anonymousResidentKilobytes() throws -> Int {
        let status = try Subprocess.run(executable: "/bin/sh", arguments: ["-c", "grep RssAnon /proc/$PPID/status"])
        let digits = String(decoding: status.stdout, as: UTF8.self).filter(\.isNumber)
        return Int(digits) ?? 0
    }
}
