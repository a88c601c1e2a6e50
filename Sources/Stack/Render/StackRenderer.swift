import FoundationEssentials
import Helm
import Unstructured

/// Where the stack's charts come from: the charts/ folder of a checkout, or a bundle whose
/// archives are checked against their pinned sha256 before they are read.
public enum ChartSource: Sendable {
    case folder(URL)
    case bundle(ChartBundle)

    public func load(_ name: String) throws -> Chart {
        switch self {
        case let .folder(root):
            return try Chart.load(path: root.appendingPathComponent(name).path)
        case let .bundle(bundle):
            let bytes = try bundle.verifiedArchive(named: name)
            return try ArchiveLoader(bytes: [UInt8](bytes), source: "\(bundle.folder.path)/\(name)").load()
        }
    }
}

/// One component of the stack, rendered.
public struct RenderedComponent: Sendable {
    public let id: ComponentID
    public let chartVersion: String
    /// Documents in Helm's install order, each with the template it came from.
    public let manifests: [Manifest]
    /// The same documents as objects, for the apply engine and for counting.
    public let objects: [Value]

    /// The component as `helm template` prints a release: each document after a
    /// `# Source:` line naming the component and the template.
    public var text: String {
        manifests.map { "---\n# Source: \(id.rawValue)/\($0.path)\n\($0.content)\n" }.joined()
    }

    /// Objects by kind, for `plan`.
    public var countsByKind: [String: Int] {
        objects.reduce(into: [:]) { $0[$1["kind"].stringValue ?? "", default: 0] += 1 }
    }
}

public struct StackRenderError: Error, Sendable, CustomStringConvertible {
    public let component: ComponentID
    public let chart: String
    public let message: String
    public var description: String { "rendering \(component) (chart \(chart)): \(message)" }
}

/// Renders every component a plan installs, in graph order, with the values the plan wired.
/// The same plan, charts and cluster state give the same bytes.
public struct StackRenderer: Sendable {
    public let charts: ChartSource
    public let engine: Engine
    public let capabilities: Capabilities

    public init(charts: ChartSource, engine: Engine, capabilities: Capabilities = Capabilities()) {
        self.charts = charts
        self.engine = engine
        self.capabilities = capabilities
    }

    public func render(_ plan: StackPlan) throws(StackRenderError) -> [RenderedComponent] {
        var result: [RenderedComponent] = []
        for id in plan.installing {
            result.append(try render(Catalog[id], values: plan.values[id] ?? [:], namespace: plan.resource.namespace))
        }
        return result
    }

    public func render(_ component: Component, values: Value, namespace: String) throws(StackRenderError) -> RenderedComponent {
        do {
            let (version, manifests) = try renderChart(named: component.chart, release: component.release, values: values, namespace: namespace)
            let objects = try manifests.map { manifest in try YAML.parse(manifest.content, source: manifest.path) }
            return RenderedComponent(id: component.id, chartVersion: version, manifests: manifests, objects: objects)
        } catch {
            throw StackRenderError(component: component.id, chart: component.chart, message: "\(error)")
        }
    }

    /// One chart of the source rendered as `helm template` would: dependencies processed,
    /// values coalesced and checked against the chart's schema, documents in install order.
    public func renderChart(named name: String, release: String, values: Value, namespace: String) throws -> (version: String, manifests: [Manifest]) {
        let loaded = try charts.load(name)
        let userValues = HelmNumbers.convert(values).mapValue ?? [:]
        let chart = try DependencyProcessor().process(loaded, values: userValues)
        let coalesced = try Coalescing().values(of: chart, with: userValues)
        try ValuesSchema.validate(chart, values: coalesced)
        let rendered = try engine.render(chart, values: coalesced, release: ReleaseOptions(name: release, namespace: namespace),
                                         capabilities: capabilities)
        return (chart.metadata.version, try ManifestSorter.sort(rendered.filter { !$0.key.hasSuffix("NOTES.txt") }).manifests)
    }
}

/// Helm reads values through JSON, so every number it sees is a float64; the spec's values
/// are read with exact integers and are converted here so charts print them as Helm would.
enum HelmNumbers {
    static func convert(_ value: Value) -> Value {
        switch value {
        case let .int(number): .float(Double(number))
        case let .list(items): .list(items.map(convert))
        case let .map(fields): .map(fields.mapValues(convert))
        default: value
        }
    }
}
