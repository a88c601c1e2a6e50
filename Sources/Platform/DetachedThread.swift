#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX thread that runs one closure and ends. Foundation's `Thread` would do, but it is
/// the only reason some modules would load Foundation, its ICU and their megabytes of
/// resident pages into the controller (docs/architecture.md, "Foundation").
public enum DetachedThread {
    /// Starts `body` on a new detached thread. Linux keeps 15 bytes of `name`. `stackSize`,
    /// in bytes, is for work that recurses deeply (the template executor); nil keeps the
    /// system's default.
    public static func start(name: String? = nil, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
        let context = Unmanaged.passRetained(ThreadBody(name: name, body: body)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(&thread, &attributes, { context in
            let body = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
            if let name = body.name { nameCurrentThread(name) }
            body.body()
            return nil
        }, context)
        // Without a thread the process cannot go on in any meaningful way: the callers
        // (the curl worker, the template renderer) have no fallback to run on.
        precondition(status == 0, "pthread_create failed: \(status)")
    }
}

private final class ThreadBody {
    let name: String?
    let body: @Sendable () -> Void
    init(name: String?, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}

/// Names the calling thread for `top -H`, gdb and /proc. glibc's `pthread_setname_np` is
/// behind _GNU_SOURCE, which Swift's Glibc module does not define; the kernel's own file
/// for it is equivalent.
private func nameCurrentThread(_ name: String) {
    #if os(Linux)
    let descriptor = open("/proc/thread-self/comm", O_WRONLY)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    #endif
}
