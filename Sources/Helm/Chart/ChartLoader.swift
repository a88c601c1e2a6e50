import FoundationEssentials
import Unstructured

/// Loads a chart from one kind of source. One implementation per source, as Helm's
/// `loader` package has: a folder (`DirectoryLoader`) or a `.tgz` archive (`ArchiveLoader`).
public protocol ChartLoader {
    func load() throws(ChartError) -> Chart
}

/// Limits that keep a hostile chart from exhausting memory; Helm's defaults.
public struct ChartLimits: Sendable {
    public var maxFileSize: Int
    public var maxTotalSize: Int
    public static let helm = ChartLimits(maxFileSize: 5 << 20, maxTotalSize: 100 << 20)
    public init(maxFileSize: Int, maxTotalSize: Int) {
        self.maxFileSize = maxFileSize
        self.maxTotalSize = maxTotalSize
    }
}

extension Chart {
    /// Loads the chart at `path`: a folder, or a file read as a gzipped tar archive.
    public static func load(path: String, limits: ChartLimits = .helm) throws(ChartError) -> Chart {
        try loader(for: path, limits: limits).load()
    }

    /// The loader for `path`, chosen by what is on disk.
    public static func loader(for path: String, limits: ChartLimits = .helm) throws(ChartError) -> any ChartLoader {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ChartError("path \"\(path)\" not found")
        }
        if isDirectory { return DirectoryLoader(path: path, limits: limits) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ChartError("cannot read \"\(path)\"")
        }
        return ArchiveLoader(bytes: [UInt8](data), source: path, limits: limits)
    }
}

/// Builds a chart from its files, as Helm's `LoadFiles` does: the shared second half of
/// every loader.
struct ChartAssembler {
    let source: String
    let limits: ChartLimits

    func assemble(_ files: [ChartFile]) throws(ChartError) -> Chart {
        let files = files.map { ChartFile(name: $0.name, data: Self.withoutByteOrderMark($0.data)) }
        guard let chartFile = files.first(where: { $0.name == "Chart.yaml" }) else {
            throw ChartError("\(source): Chart.yaml file is missing")
        }
        var metadata = try ChartMetadata(document: parseYAML(chartFile, numbers: .exact), source: "\(source)/Chart.yaml")
        var chart = Chart(metadata: metadata)
        var subchartFiles: [String: [ChartFile]] = [:]
        var subchartOrder: [String] = []

        for file in files where file.name != "Chart.yaml" {
            switch file.name {
            case "values.yaml":
                chart.values = try values(of: file)
            case "values.schema.json":
                do { chart.schema = try JSON.parse(file.text, source: "\(source)/values.schema.json") } catch {
                    throw ChartError("\(source)/values.schema.json: \(error)")
                }
            case "Chart.lock", "requirements.lock":
                continue
            case "requirements.yaml":
                // Dependencies lived here before apiVersion v2 moved them into Chart.yaml.
                let document = try parseYAML(file, numbers: .exact)
                metadata.dependencies = try ChartMetadata.dependencies(document["dependencies"], source: "\(source)/requirements.yaml")
                if metadata.apiVersion == "v1" { chart.files.append(file) }
            case let name where name.hasPrefix("templates/"):
                chart.templates.append(file)
            case let name where name.hasPrefix("charts/"):
                if name.hasSuffix(".prov") { continue }
                let rest = name.dropFirst("charts/".count)
                let subchart = String(rest.prefix { $0 != "/" })
                if subchartFiles[subchart] == nil { subchartOrder.append(subchart) }
                let inner = rest.drop { $0 != "/" }.dropFirst()
                subchartFiles[subchart, default: []].append(ChartFile(name: String(inner), data: file.data))
            default:
                chart.files.append(file)
            }
        }
        chart.metadata = metadata
        try metadata.validate(source: "\(source)/Chart.yaml")

        for name in subchartOrder {
            // Helm skips entries whose names start with `.` or `_` (editor backups, hidden folders).
            if name.hasPrefix(".") || name.hasPrefix("_") { continue }
            let entries = subchartFiles[name] ?? []
            if name.hasSuffix(".tgz") || name.hasSuffix(".tar.gz") {
                guard let archive = entries.first(where: { $0.name.isEmpty }) else { continue }
                let loader = ArchiveLoader(bytes: archive.data, source: "\(source)/charts/\(name)", limits: limits)
                do { chart.dependencies.append(try loader.load()) } catch {
                    throw ChartError("error unpacking subchart \(name) in \(metadata.name): \(error.message)")
                }
            } else {
                let sub = ChartAssembler(source: "\(source)/charts/\(name)", limits: limits)
                do { chart.dependencies.append(try sub.assemble(entries)) } catch {
                    throw ChartError("error unpacking subchart \(name) in \(metadata.name): \(error.message)")
                }
            }
        }
        chart.assignPaths(parent: nil)
        return chart
    }

    private func parseYAML(_ file: ChartFile, numbers: NumberStyle) throws(ChartError) -> Value {
        do { return try YAML.parse(file.text, source: "\(source)/\(file.name)", numbers: numbers) } catch {
            throw ChartError("cannot load \(file.name): \(error)")
        }
    }

    private func values(of file: ChartFile) throws(ChartError) -> Value.Map {
        let document = try parseYAML(file, numbers: .helm)
        if document.isNull { return [:] }
        guard let map = document.mapValue else {
            throw ChartError("cannot load values.yaml: expected a map, found \(document.kindName)")
        }
        return map
    }

    static func withoutByteOrderMark(_ data: [UInt8]) -> [UInt8] {
        data.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(data.dropFirst(3)) : data
    }
}
