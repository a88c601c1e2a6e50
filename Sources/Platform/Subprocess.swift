#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`: what the CLI's `--background` Sandbox and
/// the kubeconfig exec plugins need, without Foundation's `Process`.
public final class Subprocess: @unchecked Sendable {
    /// How a finished child ended: its exit status, or 128 + the signal that killed it,
    /// as a shell reports it.
    public typealias Status = Int32

    public let pid: pid_t
    private var status: Status?

    private init(pid: pid_t) { self.pid = pid }

    public struct SpawnError: Error, CustomStringConvertible {
        public let executable: String
        public let code: Int32
        public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// Starts `executable` with its standard streams on /dev/null, in a process group of its
    /// own so the terminal's Ctrl-C does not reach it: a daemon the caller leaves running.
    public static func startDetached(executable: String, arguments: [String], environment: [String: String]? = nil) throws -> Subprocess {
        let actions = FileActions()
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
            actions.openNullDevice(as: descriptor)
        }
        return try spawn(executable, arguments, environment, actions: actions, ownProcessGroup: true)
    }

    /// Runs `executable` to completion with standard input on /dev/null and returns what it
    /// wrote to standard output and standard error. Blocks the calling thread: call it away
    /// from Swift's cooperative pool (see `runDetached`).
    public static func run(executable: String, arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let stdout = try Pipe(), stderr = try Pipe()
        let actions = FileActions()
        actions.openNullDevice(as: STDIN_FILENO)
        actions.duplicate(stdout.write, as: STDOUT_FILENO)
        actions.duplicate(stderr.write, as: STDERR_FILENO)
        actions.close(stdout.read)
        actions.close(stderr.read)
        let child: Subprocess
        do {
            child = try spawn(executable, arguments, environment, actions: actions, ownProcessGroup: false)
        } catch {
            stdout.closeBoth()
            stderr.closeBoth()
            throw error
        }
        close(stdout.write)
        close(stderr.write)
        let (out, err) = drain(stdout.read, stderr.read)
        return Output(status: child.waitUntilExit(), stdout: out, stderr: err)
    }

    /// `run` on a thread of its own, so a slow helper program never holds a thread of
    /// Swift's cooperative pool.
    public static func runDetached(executable: String, arguments: [String], environment: [String: String]? = nil) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DetachedThread.start(name: "subprocess") {
                continuation.resume(with: Result { try run(executable: executable, arguments: arguments, environment: environment) })
            }
        }
    }

    public struct Output: Sendable {
        public var status: Status
        public var stdout: [UInt8]
        public var stderr: [UInt8]
    }

    /// The exit status if the child has ended, reaping it; nil while it runs.
    public func exitStatusIfEnded() -> Status? {
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        status = Self.decode(raw)
        return status
    }

    public func waitUntilExit() -> Status {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        status = Self.decode(raw)
        return status!
    }

    private static func decode(_ raw: Int32) -> Status {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    private static func spawn(_ executable: String, _ arguments: [String], _ environment: [String: String]?,
                              actions: FileActions, ownProcessGroup: Bool) throws -> Subprocess {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with every signal at its default and none blocked: a parent that
        // ignores SIGTERM to handle it itself (as the controller's service group does) must
        // not pass that on, or the child could never be stopped.
        var signals = sigset_t()
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        actions.closeInheritedDescriptors()
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        var pid = pid_t()
        let code = envp.map { envp in
            posix_spawn(&pid, executable, &actions.raw, &attributes, argv, envp)
        } ?? posix_spawn(&pid, executable, &actions.raw, &attributes, argv, environ)
        guard code == 0 else { throw SpawnError(executable: executable, code: code) }
        return Subprocess(pid: pid)
    }

    /// Reads both pipes to their end together, so a child that fills one while we wait on
    /// the other cannot deadlock.
    private static func drain(_ first: Int32, _ second: Int32) -> ([UInt8], [UInt8]) {
        var outputs: [[UInt8]] = [[], []]
        var open = [first, second]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while open.contains(where: { $0 >= 0 }) {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 || errno == EINTR else { break }
            for index in fds.indices where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(fds[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    outputs[index].append(contentsOf: chunk[..<count])
                } else if count == 0 || errno != EINTR {
                    close(fds[index].fd)
                    open[index] = -1
                }
            }
        }
        return (outputs[0], outputs[1])
    }
}

/// `posix_spawn_file_actions_t`, owned.
private final class FileActions {
    var raw = posix_spawn_file_actions_t()
    init() { posix_spawn_file_actions_init(&raw) }
    deinit { posix_spawn_file_actions_destroy(&raw) }

    func openNullDevice(as descriptor: Int32) {
        posix_spawn_file_actions_addopen(&raw, descriptor, "/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
    }
    func duplicate(_ source: Int32, as descriptor: Int32) { posix_spawn_file_actions_adddup2(&raw, source, descriptor) }
    func close(_ descriptor: Int32) { posix_spawn_file_actions_addclose(&raw, descriptor) }

    /// Closes in the child every descriptor above standard error that this process has open
    /// and did not mark close-on-exec, as Foundation's `Process` did. A detached daemon that
    /// kept one would hold it for its whole life: the CLI's own parent (a test, a script
    /// reading its output) then never sees the end of a pipe or socket it gave the CLI.
    /// Added last, after the standard streams are in place; glibc ignores closing a
    /// descriptor that another thread closed meanwhile.
    func closeInheritedDescriptors() {
        #if os(Linux)
        guard let folder = opendir("/proc/self/fd") else { return }
        defer { closedir(folder) }
        let own = dirfd(folder)
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let descriptor = Int32(name), descriptor > STDERR_FILENO, descriptor != own { close(descriptor) }
        }
        #endif
    }
}

/// A pipe whose ends are closed in the child on exec.
private struct Pipe {
    let read: Int32
    let write: Int32

    init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw Subprocess.SpawnError(executable: "pipe", code: errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        (read, write) = (ends[0], ends[1])
    }

    func closeBoth() {
        _ = close(read)
        _ = close(write)
    }
}
