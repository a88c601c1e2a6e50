import FoundationEssentials
import GoTemplate
import Unstructured

/// `helm template`: renders a chart locally and prints its manifests the way Helm does.
///
/// The steps and their failure messages follow Helm's install action: values are merged,
/// the chart is loaded and its declared dependencies checked, subcharts are enabled or
/// dropped, values coalesced and validated against the schemas, the chart's
/// `kubeVersion` checked, templates rendered, and the documents sorted into install
/// order with hooks printed after them.
public struct TemplateAction: Sendable {
    public var releaseName = "release-name"
    public var namespace = "default"
    public var values = ValueOptions()
    public var showOnly: [String] = []
    public var disableHooks = false
    public var skipTests = false
    public var includeCRDs = false
    public var isUpgrade = false
    public var capabilities = Capabilities()
    /// Where relative `-f` and `--set-file` paths are read from.
    public var workingDirectory = FileManager.default.currentDirectoryPath

    public init() {}

    /// The text `helm template` prints for the chart at `chartPath`.
    public func run(chartPath: String, engine: Engine, warn: @escaping Coalescing.Warn = { _ in }) throws(TemplateActionError) -> String {
        let userValues: Value.Map
        do { userValues = try values.merged(relativeTo: workingDirectory) } catch { throw .init(error.message) }

        let loaded: Chart
        do { loaded = try Chart.load(path: chartPath) } catch { throw .init(error.message) }
        do { try DependencyProcessor.checkPresent(loaded) } catch {
            throw .init("An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: \(error.message)")
        }

        let chart: Chart
        let coalesced: Value.Map
        do {
            chart = try DependencyProcessor(warn: warn).process(loaded, values: userValues)
            coalesced = try Coalescing(warn: warn).values(of: chart, with: userValues)
            try ValuesSchema.validate(chart, values: coalesced)
        } catch { throw .init(error.message) }

        // From here on Helm has a release, and failures suggest `--debug`.
        let manifests: [Manifest], hooks: [Hook]
        do {
            let constraint = chart.metadata.kubeVersion
            if !constraint.isEmpty && !VersionRange.isCompatible(capabilities.kubeVersion.description, with: constraint) {
                throw ReleaseError("chart requires kubeVersion: \(constraint) which is incompatible with Kubernetes \(capabilities.kubeVersion)")
            }
            let release = ReleaseOptions(name: releaseName, namespace: namespace, isUpgrade: isUpgrade)
            let rendered = try render(chart, values: coalesced, release: release, engine: engine)
            (manifests, hooks) = try ManifestSorter.sort(rendered.filter { !$0.key.hasSuffix("NOTES.txt") })
        } catch {
            throw .init("\(error)", suggestsDebug: true)
        }

        var documents: [(source: String, content: String)] = []
        if includeCRDs {
            documents += chart.customResourceDefinitions.map { ($0.path, $0.file.text) }
        }
        documents += manifests.map { ($0.path, $0.content) }
        if !disableHooks {
            documents += hooks.filter { !(skipTests && $0.isTest) }.map { ($0.manifest.path, $0.manifest.content) }
        }
        guard !showOnly.isEmpty else {
            return documents.map { "---\n# Source: \($0.source)\n\($0.content)\n" }.joined()
        }
        return try selecting(documents)
    }

    private func render(_ chart: Chart, values: Value.Map, release: ReleaseOptions, engine: Engine) throws -> [String: String] {
        do { return try engine.render(chart, values: values, release: release, capabilities: capabilities) } catch {
            throw ReleaseError(error.description)
        }
    }

    /// `--show-only`: for each pattern in turn, the documents whose template path below
    /// the chart name matches it.
    private func selecting(_ documents: [(source: String, content: String)]) throws(TemplateActionError) -> String {
        var output = ""
        for pattern in showOnly {
            let glob = Glob(pattern, style: .filepath)
            var found = false
            for document in documents {
                let pathBelowChart = document.source.drop { $0 != "/" }.dropFirst()
                guard glob.matches(String(pathBelowChart)) else { continue }
                let text = "# Source: \(document.source)\n\(document.content)"
                output += "---\n\(text.trimmingSpaces)\n"
                found = true
            }
            if !found { throw .init("could not find template \(pattern) in chart") }
        }
        return output
    }
}

extension TemplateAction {
    /// The action `helm template RELEASE CHART -n NAMESPACE FLAGS...` describes, from the
    /// flags as Helm spells them: for callers that hold command lines as data, such as the
    /// chart corpus's cases.
    public init(release: String, namespace: String, flags: [String]) throws(TemplateActionError) {
        self.init()
        releaseName = release
        self.namespace = namespace
        var extraAPIVersions: [String] = []
        var kubeVersion = Capabilities.defaultKubeVersion
        var iterator = flags.makeIterator()
        while let flag = iterator.next() {
            func value() throws(TemplateActionError) -> String {
                guard let next = iterator.next() else { throw .init("flag needs an argument: \(flag)") }
                return next
            }
            switch flag {
            case "-f", "--values": values.valueFiles.append(try value())
            case "--set": values.values.append(try value())
            case "--set-string": values.stringValues.append(try value())
            case "--set-json": values.jsonValues.append(try value())
            case "--set-file": values.fileValues.append(try value())
            case "-s", "--show-only": showOnly.append(try value())
            case "--no-hooks": disableHooks = true
            case "--skip-tests": skipTests = true
            case "--include-crds": includeCRDs = true
            case "--is-upgrade": isUpgrade = true
            case "--kube-version":
                let text = try value()
                do { kubeVersion = try KubeVersion(parsing: text) } catch {
                    throw .init("invalid kube version '\(text)': \(error)")
                }
            case "-a", "--api-versions": extraAPIVersions.append(try value())
            default: throw .init("unknown flag: \(flag)")
            }
        }
        capabilities = Capabilities(kubeVersion: kubeVersion, extraAPIVersions: extraAPIVersions)
    }
}

/// Why `helm template` failed, worded as Helm words it.
public struct TemplateActionError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// Helm adds "Use --debug flag to render out invalid YAML" once a release exists.
    public let suggestsDebug: Bool

    init(_ message: String, suggestsDebug: Bool = false) {
        self.message = message
        self.suggestsDebug = suggestsDebug
    }

    public var description: String {
        suggestsDebug ? "\(message)\n\nUse --debug flag to render out invalid YAML" : message
    }
}
