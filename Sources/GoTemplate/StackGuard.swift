#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Refuses to recurse when the current thread's stack is nearly used up.
///
/// Parsing and executing are recursive, and templates can recurse (`template`, `include`),
/// so a hostile or mistaken template could otherwise overflow the stack and crash the whole
/// process. A fixed depth limit cannot be right for every thread: a debug build on a
/// secondary thread has a fraction of the room of a release build on the main thread. So
/// besides `ExecutionOptions.maxDepth`, each recursion step checks how much stack is left
/// and fails with an error while enough remains to report it.
struct StackGuard {
    /// Stack kept in reserve for the caller's own frames, unwinding and reporting the error.
    static let reserve = 1024 * 1024

    /// The lowest stack address recursion may reach.
    private let limit: UInt

    /// Measures from the current frame: the guard allows what a new thread's stack holds
    /// (the platform default, which is also what the main thread and Swift's worker threads
    /// get), less the reserve.
    init() {
        let here = Self.currentAddress()
        let budget = UInt(max(Self.defaultThreadStackSize() - Self.reserve, 256 * 1024))
        limit = here > budget ? here - budget : 0
    }

    /// Whether there is still room to go deeper, measured from the caller's frame.
    @inline(never)
    func hasRoom() -> Bool {
        Self.currentAddress() > limit
    }

    @inline(never)
    private static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    private static func defaultThreadStackSize() -> Int {
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return 512 * 1024 }
        defer { pthread_attr_destroy(&attributes) }
        var size = 0
        guard pthread_attr_getstacksize(&attributes, &size) == 0, size > 0 else { return 512 * 1024 }
        return size
    }
}
