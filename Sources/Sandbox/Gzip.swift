import CArchive
import Unstructured

/// Response compression as kube-apiserver does it: only when the client accepts gzip and the
/// body is over 128 KiB (the reference's `gzip-threshold` capture: a 150 KiB ConfigMap is
/// compressed, a 100 KiB one is not). Go clients such as kubectl always ask for gzip.
///
/// The gzip member comes from libarchive's gzip filter over its raw format (one unnamed
/// entry, no container), so the Sandbox needs no system library beyond the three the design
/// card names.
enum Gzip {
    static let thresholdBytes = 128 * 1024

    static func accepted(by acceptEncoding: String?) -> Bool {
        (acceptEncoding ?? "").split(separator: ",").contains {
            $0.split(separator: ";").first?.trimmingSpaces().lowercased() == "gzip"
        }
    }

    /// The gzip member for `bytes`, or nil if libarchive fails (the caller then sends them as they are).
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        guard let archive = archive_write_new() else { return nil }
        defer { archive_write_free(archive) }
        guard archive_write_set_format_raw(archive) == ARCHIVE_OK,
              archive_write_add_filter_gzip(archive) == ARCHIVE_OK,
              archive_write_set_options(archive, "gzip:!timestamp") == ARCHIVE_OK,
              // A single pass into memory with no padding to a block size.
              archive_write_set_bytes_in_last_block(archive, 1) == ARCHIVE_OK
        else { return nil }
        // Deflate's worst case adds 5 bytes per 16 KiB stored block, plus gzip's header and trailer.
        var output = [UInt8](repeating: 0, count: bytes.count + bytes.count / 1000 + 1024)
        var used = 0
        let written = output.withUnsafeMutableBytes { target -> Bool in
            guard archive_write_open_memory(archive, target.baseAddress, target.count, &used) == ARCHIVE_OK,
                  let entry = archive_entry_new() else { return false }
            defer { archive_entry_free(entry) }
            archive_entry_set_filetype(entry, 0o100_000)  // AE_IFREG, a macro Swift cannot import
            archive_entry_set_size(entry, la_int64_t(bytes.count))
            guard archive_write_header(archive, entry) == ARCHIVE_OK else { return false }
            let copied = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            return copied == bytes.count && archive_write_close(archive) == ARCHIVE_OK
        }
        return written ? Array(output.prefix(used)) : nil
    }
}
