import OrderedCollections
import Unstructured

/// A chart as Helm sees it once loaded: metadata, default values, templates, the other
/// files templates may read through `.Files`, and its subcharts.
///
/// Charts are values: dependency processing (aliases, conditions, imported values)
/// produces new charts rather than mutating shared ones, so one loaded chart can be
/// rendered many times with different values.
public struct Chart: Sendable {
    public var metadata: ChartMetadata
    /// `values.yaml`, numbers read as Helm reads them (every number a float).
    public var values: Value.Map
    /// `values.schema.json`, when the chart has one.
    public var schema: Value?
    /// Files under `templates/`, names relative to the chart root.
    public var templates: [ChartFile]
    /// Every other file of the chart except `Chart.yaml`, `values.yaml`, the schema and
    /// `charts/`: what `.Files` exposes and where `crds/` lives.
    public var files: [ChartFile]
    /// Subcharts from `charts/`, as folders or archives.
    public var dependencies: [Chart]
    /// The path of the chart inside the root chart (`root/charts/sub`), set when the
    /// chart tree is finalised for rendering; template names are built from it.
    public var fullPath: String

    public var name: String { metadata.name }
    public var isLibrary: Bool { metadata.type == "library" }

    public init(
        metadata: ChartMetadata, values: Value.Map = Value.Map(), schema: Value? = nil,
        templates: [ChartFile] = [], files: [ChartFile] = [], dependencies: [Chart] = []
    ) {
        self.metadata = metadata
        self.values = values
        self.schema = schema
        self.templates = templates
        self.files = files
        self.dependencies = dependencies
        self.fullPath = metadata.name
    }

    /// Files of `crds/` with a manifest extension, of this chart and all subcharts, in
    /// the order `helm template --include-crds` prints them.
    public var customResourceDefinitions: [(path: String, file: ChartFile)] {
        let own = files
            .filter { $0.name.hasPrefix("crds/") && Self.isManifest($0.name) }
            .map { (path: fullPath + "/" + $0.name, file: $0) }
        return own + dependencies.flatMap(\.customResourceDefinitions)
    }

    static func isManifest(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json")
    }

    /// Gives this chart and its subcharts their paths below `parent`, as Helm's
    /// `ChartFullPath` does: `root`, `root/charts/sub`, `root/charts/sub/charts/leaf`.
    mutating func assignPaths(parent: String?) {
        fullPath = parent.map { "\($0)/charts/\(name)" } ?? name
        for index in dependencies.indices { dependencies[index].assignPaths(parent: fullPath) }
    }
}

/// One file of a chart: its path relative to the chart root, with `/` separators, and
/// its bytes.
public struct ChartFile: Sendable, Equatable {
    public var name: String
    public var data: [UInt8]

    public init(name: String, data: [UInt8]) {
        self.name = name
        self.data = data
    }

    public var text: String { String(decoding: data, as: UTF8.self) }
}
