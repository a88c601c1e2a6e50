import GoTemplate
import Unstructured

/// Renders every template of a chart and its subcharts, as Helm's `engine` does.
///
/// All templates go into one `TemplateSet`, named by their path in the chart tree
/// (`root/templates/a.yaml`, `root/charts/sub/templates/b.yaml`), so any of them can
/// `include` what another defines. They are parsed deepest first, so when two charts
/// define the same name, the one nearer the root wins. Files whose names start with `_`
/// are partials: parsed, never rendered themselves. Library charts contribute partials
/// only.
public struct Engine: Sendable {
    /// Sprig's functions with Helm's pure ones (`toYaml`, `fromJson`, ...), as the Sprig
    /// module provides them; the ones that need the render (`include`, `tpl`, `required`,
    /// `fail`, `lookup`) are added on top per render, as Helm's engine adds them.
    public let functions: FunctionLibrary
    public let clusterReader: (any ClusterReader)?

    public init(functions: FunctionLibrary, clusterReader: (any ClusterReader)? = nil) {
        self.functions = functions
        self.clusterReader = clusterReader
    }

    /// The rendered text of each non-partial template, by template name.
    public func render(_ chart: Chart, values: Value.Map, release: ReleaseOptions, capabilities: Capabilities) throws(RenderError) -> [String: String] {
        try onLargeStack { () throws(RenderError) in
            try renderOnCurrentThread(chart, values: values, release: release, capabilities: capabilities)
        }
    }

    private func renderOnCurrentThread(_ chart: Chart, values: Value.Map, release: ReleaseOptions, capabilities: Capabilities) throws(RenderError) -> [String: String] {
        var templates: [String: Renderable] = [:]
        let top: Value.Map = [
            "Values": .map(values),
            "Release": release.object,
            "Capabilities": capabilities.object,
        ]
        _ = collect(chart, parentValues: top, isRoot: true, into: &templates)

        let helm = HelmFunctions(clusterReader: clusterReader)
        let library = functions.merging(helm.library) { _, helm in helm }
        var set = TemplateSet(functions: library, options: ExecutionOptions(missingValueText: ""), name: "gotpl")
        let order = Self.parseOrder(templates.keys)
        for name in order {
            do { try set.parse(name: name, text: templates[name]?.text ?? "") } catch {
                throw RenderError.parse(error)
            }
        }
        var rendered: [String: String] = [:]
        // Helm gives all templates of a chart one data map, so what one template changes in
        // it (`set $ "Values" ...`, `unset $.Values "x"`) the templates rendered after it see.
        var chartData: [String: Value.Map] = [:]
        for name in order where !Self.isPartial(name) {
            guard let template = templates[name] else { continue }
            var data = chartData[template.basePath] ?? template.data
            data["Template"] = ["Name": .string(name), "BasePath": .string(template.basePath)]
            do {
                var root = Value.map(data)
                rendered[name] = try set.execute(name, data: &root)
                chartData[template.basePath] = root.mapValue ?? data
            } catch {
                if let message = helm.explicitFailure { throw RenderError.explicitFailure(error, message: message) }
                throw RenderError.execution(error)
            }
        }
        return rendered
    }

    struct Renderable {
        let text: String
        let data: Value.Map
        let basePath: String
    }

    /// Builds the data each template of `chart` sees (`.Values` is the chart's own
    /// section of its parent's values) and collects its templates; returns that data,
    /// which the parent lists under `.Subcharts`.
    private func collect(_ chart: Chart, parentValues: Value.Map, isRoot: Bool, into templates: inout [String: Renderable]) -> Value.Map {
        let values: Value
        if isRoot {
            values = parentValues["Values"] ?? .map([:])
        } else {
            values = .map(parentValues["Values"]?[chart.name].mapValue ?? [:])
        }
        var data: Value.Map = [
            "Chart": .object(ChartObject(chart.metadata, isRoot: isRoot)),
            "Files": .object(FilesObject(chart.files)),
            "Release": parentValues["Release"] ?? .null,
            "Capabilities": parentValues["Capabilities"] ?? .null,
            "Values": values,
        ]
        var subcharts = Value.Map()
        for dependency in chart.dependencies {
            subcharts[dependency.name] = .map(collect(dependency, parentValues: data, isRoot: false, into: &templates))
        }
        data["Subcharts"] = .map(subcharts)
        for template in chart.templates {
            if chart.isLibrary && !Self.isPartial(template.name) { continue }
            let name = "\(chart.fullPath)/\(template.name)"
            templates[name] = Renderable(text: template.text, data: data, basePath: "\(chart.fullPath)/templates")
        }
        return data
    }

    static func isPartial(_ name: String) -> Bool {
        (name.split(separator: "/").last ?? "").hasPrefix("_")
    }

    /// Deeper paths first; among equally deep ones, reverse lexical order (Helm's
    /// `sortTemplates`).
    static func parseOrder(_ names: some Sequence<String>) -> [String] {
        names.sorted { a, b in
            let depthA = a.count(where: { $0 == "/" }), depthB = b.count(where: { $0 == "/" })
            return depthA != depthB ? depthA > depthB : a > b
        }
    }
}

/// Who the render is for: `.Release`.
public struct ReleaseOptions: Sendable {
    public var name: String
    public var namespace: String
    public var isUpgrade: Bool
    public var revision: Int

    public init(name: String, namespace: String, isUpgrade: Bool = false, revision: Int = 1) {
        self.name = name
        self.namespace = namespace
        self.isUpgrade = isUpgrade
        self.revision = revision
    }

    var object: Value {
        [
            "Name": .string(name), "Namespace": .string(namespace), "IsUpgrade": .bool(isUpgrade),
            "IsInstall": .bool(!isUpgrade), "Revision": .int(revision), "Service": "Helm",
        ]
    }
}

/// A template that failed, in the forms Helm reports.
public enum RenderError: Error, Sendable, CustomStringConvertible {
    case parse(TemplateError)
    case execution(TemplateError)
    /// `fail` or `required`: Helm names the top-level location and the message only.
    case explicitFailure(TemplateError, message: String)

    public var description: String {
        switch self {
        case let .parse(error):
            // Helm keeps the location and the last part of Go's message.
            let message = error.message.split(separator: ": ", omittingEmptySubsequences: false).last.map(String.init) ?? error.message
            return "parse error at (\(error.template):\(error.line ?? 0)): \(message)"
        case let .execution(error):
            return error.description
        case let .explicitFailure(error, message):
            let location = [error.template] + [error.line, error.column].compactMap { $0.map(String.init) }
            return "execution error at (\(location.joined(separator: ":"))): \(message)"
        }
    }
}
