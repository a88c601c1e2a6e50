import CArchive
import FoundationEssentials

/// Loads a chart from a gzipped tar archive held in memory; nothing is written to disk.
///
/// Every entry lives under one top folder (`mychart/...`), which is stripped. Entries
/// that could reach outside the chart or the machine are refused, naming the entry:
/// absolute paths, `..` components, links whose target leaves the chart, devices,
/// fifos and sockets, and files or totals over the size limits. Links that stay inside
/// the chart read as a copy of their target.
public struct ArchiveLoader: ChartLoader {
    public let bytes: [UInt8]
    public let source: String
    public let limits: ChartLimits

    public init(bytes: [UInt8], source: String, limits: ChartLimits = .helm) {
        self.bytes = bytes
        self.source = source
        self.limits = limits
    }

    public func load() throws(ChartError) -> Chart {
        try ChartAssembler(source: source, limits: limits).assemble(readEntries())
    }

    // libarchive's AE_IF* file types; C macros with casts do not import into Swift.
    private static let directoryType: UInt32 = 0o040000
    private static let regularType: UInt32 = 0o100000
    private static let symlinkType: UInt32 = 0o120000

    private enum Entry {
        case file([UInt8])
        case link(target: String)
    }

    /// The archive's files, names relative to the chart root, links resolved.
    func readEntries() throws(ChartError) -> [ChartFile] {
        guard let archive = archive_read_new() else { throw ChartError("\(source): cannot allocate an archive reader") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_gzip(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)

        // libarchive reads straight from our buffer, so all reading happens in its scope.
        let (order, entries) = try bytes.withUnsafeBytes { buffer in
            Result { () throws(ChartError) in try readAll(archive, from: buffer) }
        }.get()
        var files: [ChartFile] = []
        for name in order {
            if let data = try contents(of: name, in: entries, hops: 0) { files.append(ChartFile(name: name, data: data)) }
        }
        return files
    }

    private func readAll(_ archive: OpaquePointer, from buffer: UnsafeRawBufferPointer) throws(ChartError) -> ([String], [String: Entry]) {
        var order: [String] = []
        var entries: [String: Entry] = [:]
        var total = 0
        guard archive_read_open_memory(archive, buffer.baseAddress, buffer.count) == ARCHIVE_OK else {
            throw ChartError("\(source): not a gzipped tar archive: \(Self.message(archive))")
        }
        var entry: OpaquePointer?
        while true {
            let result = archive_read_next_header(archive, &entry)
            if result == ARCHIVE_EOF { break }
            guard result == ARCHIVE_OK || result == ARCHIVE_WARN, let entry else {
                throw ChartError("\(source): corrupt archive: \(Self.message(archive))")
            }
            let rawName = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            let type = archive_entry_filetype(entry)
            if rawName == "pax_global_header" { continue }
            let name = try chartPath(of: rawName)
            // A hard link carries no file type of its own, only the path it repeats.
            if let hardlink = archive_entry_hardlink(entry) {
                entries[name] = .link(target: try chartPath(of: String(cString: hardlink)))
                order.append(name)
                continue
            }
            switch type {
            case Self.directoryType:
                continue
            case Self.regularType:
                entries[name] = .file(try readData(archive, entry: rawName, total: &total))
            case Self.symlinkType:
                let target = archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
                entries[name] = .link(target: try resolveSymlink(target, from: name, entry: rawName))
            default:
                throw ChartError("\(source): entry \"\(rawName)\" is not a regular file, folder or link; refusing to load it")
            }
            if name.isEmpty { continue }
            order.append(name)
        }
        return (order, entries)
    }

    /// The name of an entry inside the chart: the top folder removed, separators
    /// normalised, and anything that escapes the chart refused.
    private func chartPath(of rawName: String) throws(ChartError) -> String {
        let normalized = rawName.replacing("\\", with: "/")
        if normalized.hasPrefix("/") || normalized.first.map({ $0.isLetter }) == true && normalized.dropFirst().hasPrefix(":") {
            throw ChartError("\(source): entry \"\(rawName)\" has an absolute path; chart archives may only hold relative paths")
        }
        var components = normalized.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if components.contains("..") {
            throw ChartError("\(source): entry \"\(rawName)\" refers to a parent folder (\"..\"); refusing to load it")
        }
        components.removeAll { $0 == "." }
        guard !components.isEmpty else { return "" }
        if components.count == 1 && components[0] == "Chart.yaml" {
            throw ChartError("\(source): Chart.yaml is not inside the chart's top folder")
        }
        return components.dropFirst().joined(separator: "/")
    }

    private func resolveSymlink(_ target: String, from name: String, entry rawName: String) throws(ChartError) -> String {
        if target.hasPrefix("/") {
            throw ChartError("\(source): link \"\(rawName)\" points to the absolute path \"\(target)\" outside the chart")
        }
        var components = name.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                if components.isEmpty {
                    throw ChartError("\(source): link \"\(rawName)\" points to \"\(target)\" outside the chart")
                }
                components.removeLast()
            default: components.append(String(part))
            }
        }
        return components.joined(separator: "/")
    }

    private func contents(of name: String, in entries: [String: Entry], hops: Int) throws(ChartError) -> [UInt8]? {
        switch entries[name] {
        case let .file(data)?: return data
        case let .link(target)?:
            guard hops < 16 else { throw ChartError("\(source): too many levels of links at \"\(name)\"") }
            guard entries[target] != nil else {
                throw ChartError("\(source): link \"\(name)\" points to \"\(target)\", which is not a file of the chart")
            }
            return try contents(of: target, in: entries, hops: hops + 1)
        case nil: return nil
        }
    }

    private func readData(_ archive: OpaquePointer, entry: String, total: inout Int) throws(ChartError) -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else { throw ChartError("\(source): cannot read entry \"\(entry)\": \(Self.message(archive))") }
            data.append(contentsOf: chunk[0..<count])
            total += count
            if data.count > limits.maxFileSize {
                throw ChartError("\(source): entry \"\(entry)\" is larger than the maximum file size \(limits.maxFileSize)")
            }
            if total > limits.maxTotalSize {
                throw ChartError("\(source): decompressed chart is larger than the maximum size \(limits.maxTotalSize) (at \"\(entry)\")")
            }
        }
        return data
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
    }
}
