#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and standard error as unbuffered file descriptors: each `write` reaches
/// the descriptor whole before it returns, so log lines from several threads never
/// interleave mid-line and nothing is lost when the process exits.
public enum StandardStream: Sendable {
    case output
    case error

    private var descriptor: Int32 { self == .output ? STDOUT_FILENO : STDERR_FILENO }

    /// Writes all of `text`, resuming after partial writes and signals. A closed pipe
    /// (the reader went away) drops the rest, as `print` does.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = writeFully(UnsafeRawBufferPointer($0), to: descriptor) }
    }
}
