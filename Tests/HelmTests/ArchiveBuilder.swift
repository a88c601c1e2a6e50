import CArchive

/// Builds gzipped tar archives in memory with libarchive, so loader tests can hand the
/// loader exactly the hostile entries they are about.
struct ArchiveBuilder {
    enum Entry {
        case file(String, String)
        case directory(String)
        case symlink(String, target: String)
        case hardlink(String, target: String)
        case characterDevice(String)
        case fifo(String)
    }

    static func tgz(_ entries: [Entry]) -> [UInt8] {
        guard let archive = archive_write_new() else { return [] }
        defer { archive_write_free(archive) }
        archive_write_add_filter_gzip(archive)
        archive_write_set_format_pax_restricted(archive)
        var buffer = [UInt8](repeating: 0, count: 8 << 20)
        var used = 0
        buffer.withUnsafeMutableBytes { memory in
            archive_write_open_memory(archive, memory.baseAddress, memory.count, &used)
            for item in entries {
                guard let entry = archive_entry_new() else { continue }
                defer { archive_entry_free(entry) }
                var data: [UInt8] = []
                switch item {
                case let .file(name, text):
                    data = Array(text.utf8)
                    archive_entry_set_pathname(entry, name)
                    archive_entry_set_filetype(entry, 0o100000)
                    archive_entry_set_size(entry, Int64(data.count))
                case let .directory(name):
                    archive_entry_set_pathname(entry, name)
                    archive_entry_set_filetype(entry, 0o040000)
                case let .symlink(name, target):
                    archive_entry_set_pathname(entry, name)
                    archive_entry_set_filetype(entry, 0o120000)
                    archive_entry_set_symlink(entry, target)
                case let .hardlink(name, target):
                    archive_entry_set_pathname(entry, name)
                    archive_entry_set_filetype(entry, 0o100000)
                    archive_entry_set_hardlink(entry, target)
                case let .characterDevice(name):
                    archive_entry_set_pathname(entry, name)
                    archive_entry_set_filetype(entry, 0o020000)
                case let .fifo(name):
                    archive_entry_set_pathname(entry, name)
                    archive_entry_set_filetype(entry, 0o010000)
                }
                archive_entry_set_perm(entry, 0o644)
                archive_write_header(archive, entry)
                if !data.isEmpty {
                    _ = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
                }
            }
            archive_write_close(archive)
        }
        return Array(buffer.prefix(used))
    }
}
