#if canImport(Glibc)
import Glibc
#endif

/// Writes all of `bytes`, resuming after partial writes and signals; false, with `errno` set,
/// when the file takes no more. The state file (created with mode 0600) and the request log
/// (opened for appending) are plain descriptors rather than Foundation's `FileHandle`.
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
