import FoundationEssentials
import Helm
import Unstructured

extension ChartBundle {
    /// Reads `folder/bundle.yaml`.
    public static func load(folder: URL) throws -> ChartBundle {
        let path = folder.appendingPathComponent(manifestFile).path
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw BundleError.unreadable(path, "cannot read: \(readFailureReason(error))")
        }
        return ChartBundle(folder: folder, manifest: try BundleManifest(value: try YAML.parse(text, source: path), source: path))
    }

    /// Packs every chart folder under `charts` into `output/VERSION/` and writes the
    /// bundle.yaml pinning them. Names and versions come from each Chart.yaml.
    @discardableResult
    public static func build(charts: URL, version: String, output: URL) throws -> ChartBundle {
        let folders = try FileManager.default.contentsOfDirectory(atPath: charts.path).sorted()
            .map { charts.appendingPathComponent($0) }
            .filter { folder in
                var isDirectory = false
                return FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) && isDirectory
            }
        let sources = try folders.map { folder in
            let metadata = try Chart.load(path: folder.path).metadata
            return Source(name: metadata.name, version: metadata.version, folder: folder)
        }
        let destination = output.appendingPathComponent(version)
        let manifest = try pack(sources, version: version, into: destination)
        try Data(YAML.string(manifest.value).utf8).write(to: destination.appendingPathComponent(manifestFile), options: .atomic)
        return ChartBundle(folder: destination, manifest: manifest)
    }
}
