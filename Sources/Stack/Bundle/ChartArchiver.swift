import CArchive
import FoundationEssentials

/// Packs a chart folder into a `.tgz` whose bytes depend only on the files' paths and
/// contents: entries sorted, every timestamp fixed, owner root, modes normalized, and no
/// timestamp in the gzip header. Two machines packing the same chart get the same sha256,
/// which is what lets bundle.yaml pin charts by checksum.
public struct ChartArchiver: Sendable {
    /// 2000-01-01T00:00:00Z: a fixed time for every entry (0 confuses some extractors).
    public static let entryTime = 946_684_800

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    public init() {}

    /// Writes the chart in `folder` to `destination`, entries under `prefix/` (the chart's
    /// name, as `helm package` lays archives out). Symbolic links are refused: they could
    /// point outside the chart.
    public func archive(folder: URL, prefix: String, to destination: URL) throws(Failure) {
        let files = try Self.files(in: folder)
        guard let archive = archive_write_new() else { throw Failure(path: destination.path, message: "libarchive could not allocate a writer") }
        defer { archive_write_free(archive) }
        try check(archive_write_set_format_ustar(archive), archive, destination.path)
        try check(archive_write_add_filter_gzip(archive), archive, destination.path)
        try check(archive_write_set_options(archive, "gzip:!timestamp"), archive, destination.path)
        try check(archive_write_open_filename(archive, destination.path), archive, destination.path)
        for relative in files {
            let source = folder.appendingPathComponent(relative)
            let contents: Data
            do { contents = try Data(contentsOf: source) } catch {
                throw Failure(path: source.path, message: "cannot read: \(readFailureReason(error))")
            }
            try writeEntry(named: "\(prefix)/\(relative)", contents: contents, to: archive, source: source.path)
        }
        try check(archive_write_close(archive), archive, destination.path)
    }

    private func writeEntry(named name: String, contents: Data, to archive: OpaquePointer, source: String) throws(Failure) {
        guard let entry = archive_entry_new() else { throw Failure(path: source, message: "libarchive could not allocate an entry") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_filetype(entry, 0o100_000)  // AE_IFREG, a macro Swift cannot import
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_size(entry, la_int64_t(contents.count))
        archive_entry_set_mtime(entry, time_t(Self.entryTime), 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        try check(archive_write_header(archive, entry), archive, source)
        let written = contents.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        guard written == contents.count else {
            throw Failure(path: source, message: "libarchive wrote \(written) of \(contents.count) bytes: \(Self.message(archive))")
        }
    }

    /// Regular files under `folder`, as sorted relative paths.
    static func files(in folder: URL) throws(Failure) -> [String] {
        let manager = FileManager.default
        // A chart folder reached through a link is walked where it really is.
        let root = folder.resolvingSymlinksInPath().path
        guard let subpaths = try? manager.subpathsOfDirectory(atPath: root) else {
            throw Failure(path: folder.path, message: "not a readable folder")
        }
        var files: [String] = []
        for relative in subpaths {
            let path = folder.appendingPathComponent(relative).path
            // The link itself, not what it points to (`lstat`).
            let type = (try? manager.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            if type == .typeSymbolicLink {
                throw Failure(path: path, message: "symbolic links are not allowed in a chart")
            }
            if type == .typeRegular { files.append(relative) }
        }
        guard !files.isEmpty else { throw Failure(path: folder.path, message: "no files to pack") }
        return files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private func check(_ status: Int32, _ archive: OpaquePointer, _ path: String) throws(Failure) {
        guard status == ARCHIVE_OK else { throw Failure(path: path, message: Self.message(archive)) }
    }

    static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error \(archive_errno(archive))"
    }
}
