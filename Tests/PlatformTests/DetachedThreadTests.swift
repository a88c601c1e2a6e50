import Platform
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct DetachedThreadTests {
    @Test func theBodyRunsOnANamedThread() async {
        let name = await withCheckedContinuation { continuation in
            DetachedThread.start(name: "platform-test") {
                continuation.resume(returning: currentThreadName())
            }
        }
        #expect(name == "platform-test")
    }

    /// A recursion this deep overflows the default 8 MiB stack.
    @Test func aLargeStackHoldsDeepRecursion() async {
        let result = await withCheckedContinuation { continuation in
            DetachedThread.start(stackSize: 256 << 20) { continuation.resume(returning: Self.depth(200_000)) }
        }
        #expect(result >= 0)
    }

    /// Keeps a frame's worth of bytes live across the call, so the optimizer cannot make
    /// the recursion a loop.
    private static func depth(_ n: Int) -> Int {
        var frame = [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 64)
        return n == 0 ? Int(frame[0]) : depth(n - 1) + withUnsafeMutableBytes(of: &frame) { Int($0[1] & 1) }
    }
}

/// The calling thread's name as the kernel has it.
private func currentThreadName() -> String {
    let descriptor = open("/proc/thread-self/comm", O_RDONLY)
    guard descriptor >= 0 else { return "" }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 64)
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    return String(decoding: buffer.prefix(max(count, 0)).filter { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
}
