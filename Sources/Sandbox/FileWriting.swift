#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `write(2)` until every byte is out: the state file and the request log are written through
/// plain descriptors (mode 0600, append-only), which Foundation's `FileHandle` would only wrap.
/// Resumes after partial writes and signals; on failure returns false with `errno` set.
func writeFully(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    var written = 0
    while written < bytes.count {
        let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            written += count
        } else if count < 0 && errno == EINTR {
            continue
        } else {
            return false
        }
    }
    return true
}
