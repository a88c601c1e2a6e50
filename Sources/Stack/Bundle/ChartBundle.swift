import FoundationEssentials
import Unstructured

/// A folder holding chart archives and the bundle.yaml that pins them. Loading a chart from
/// a bundle checks its sha256 first, so the engine never reads bytes nobody vouched for.
public struct ChartBundle: Sendable {
    public static let manifestFile = "bundle.yaml"

    public let folder: URL
    public let manifest: BundleManifest

    public init(folder: URL, manifest: BundleManifest) {
        self.folder = folder
        self.manifest = manifest
    }

    /// The bytes of chart `name`'s archive, after checking them against bundle.yaml.
    public func verifiedArchive(named name: String) throws(BundleError) -> Data {
        guard let entry = manifest.entry(named: name) else {
            throw .missingChart(name, bundle: folder.appendingPathComponent(Self.manifestFile).path)
        }
        let path = folder.appendingPathComponent(entry.file)
        let bytes: Data
        do { bytes = try Data(contentsOf: path) } catch {
            throw .unreadable(path.path, "cannot read the archive: \(readFailureReason(error))")
        }
        let actual = Checksum.sha256(bytes)
        guard actual == entry.sha256.lowercased() else {
            throw .checksumMismatch(file: path.path, expected: entry.sha256, actual: actual)
        }
        return bytes
    }

    /// A chart folder to pack: its name and version come from its Chart.yaml.
    public struct Source: Sendable {
        public let name: String
        public let version: String
        public let folder: URL

        public init(name: String, version: String, folder: URL) {
            self.name = name
            self.version = version
            self.folder = folder
        }
    }

    /// Packs every chart into `folder` as `NAME-VERSION.tgz` and returns the manifest
    /// pinning them (the caller writes it, so the format stays in one place).
    public static func pack(_ sources: [Source], version: String, into folder: URL) throws -> BundleManifest {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let archiver = ChartArchiver()
        var entries: [BundleManifest.Entry] = []
        for source in sources.sorted(by: { $0.name < $1.name }) {
            let file = "\(source.name)-\(source.version).tgz"
            let destination = folder.appendingPathComponent(file)
            try archiver.archive(folder: source.folder, prefix: source.name, to: destination)
            let bytes = try Data(contentsOf: destination)
            entries.append(.init(name: source.name, version: source.version, file: file, sha256: Checksum.sha256(bytes)))
        }
        return BundleManifest(version: version, charts: entries)
    }
}
