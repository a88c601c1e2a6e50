import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads a chart from a folder, honouring `.helmignore`.
///
/// Symbolic links are followed only while they stay inside the chart: a chart must not
/// be able to expose files of the machine that renders it through `.Files`.
public struct DirectoryLoader: ChartLoader {
    public let path: String
    public let limits: ChartLimits

    public init(path: String, limits: ChartLimits = .helm) {
        self.path = path
        self.limits = limits
    }

    public func load() throws(ChartError) -> Chart {
        let root = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        var rules = HelmIgnore.defaults
        if let data = FileManager.default.contents(atPath: root.appendingPathComponent(HelmIgnore.fileName).path) {
            rules = try HelmIgnore(text: String(decoding: data, as: UTF8.self)).addingDefaults()
        }
        var files: [ChartFile] = []
        var total = 0
        try walk(root, relative: "", root: root, rules: rules, into: &files, total: &total)
        return try ChartAssembler(source: path, limits: limits).assemble(files)
    }

    private func walk(
        _ directory: URL, relative: String, root: URL, rules: HelmIgnore, into files: inout [ChartFile], total: inout Int
    ) throws(ChartError) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() } catch {
            throw ChartError("cannot read folder \(directory.path): \(Self.reason(error))")
        }
        for name in names {
            let entry = directory.appendingPathComponent(name)
            let relativeName = relative.isEmpty ? name : "\(relative)/\(name)"
            let resolved = entry.resolvingSymlinksInPath()
            guard resolved.path == root.path || resolved.path.hasPrefix(root.path + "/") else {
                throw ChartError("chart file \(relativeName) is a link pointing outside the chart (\(resolved.path))")
            }
            let attributes: [FileAttributeKey: Any]
            do { attributes = try FileManager.default.attributesOfItem(atPath: resolved.path) } catch {
                throw ChartError("cannot read \(relativeName): \(Self.reason(error))")
            }
            let type = attributes[.type] as? FileAttributeType
            if type == .typeDirectory {
                if rules.ignores(relativeName, isDirectory: true) { continue }
                try walk(resolved, relative: relativeName, root: root, rules: rules, into: &files, total: &total)
                continue
            }
            if rules.ignores(relativeName, isDirectory: false) { continue }
            guard type == .typeRegular else {
                throw ChartError("cannot load irregular file \(relativeName) as it is not a regular file")
            }
            let size = (attributes[.size] as? UInt).map { Int(clamping: $0) } ?? 0
            if size > limits.maxFileSize {
                throw ChartError("chart file \"\(relativeName)\" is larger than the maximum file size \(limits.maxFileSize)")
            }
            total += size
            if total > limits.maxTotalSize {
                throw ChartError("chart is larger than the maximum size \(limits.maxTotalSize) (at \(relativeName))")
            }
            guard let data = FileManager.default.contents(atPath: resolved.path) else {
                throw ChartError("cannot read \(relativeName)")
            }
            files.append(ChartFile(name: relativeName, data: [UInt8](data)))
        }
    }

    /// Why a file operation failed, as the system words it ("Permission denied"):
    /// FoundationEssentials' errors carry the errno but no localized description.
    private static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, let posix = error.underlying as? POSIXError {
            return String(cString: strerror(posix.code.rawValue))
        }
        return "\(error)"
    }
}
