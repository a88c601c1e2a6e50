import ArgumentParser
import Helm
import Platform
import Sprig

/// `seldon-operator template`: what `helm template` prints, from our own renderer.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Render a chart's manifests locally, exactly as `helm template` does.",
        discussion: "Arguments: [NAME] CHART, where CHART is a chart folder or a .tgz archive.")

    @Argument(help: "Release name (optional), then the chart folder or .tgz archive.")
    var arguments: [String]

    @Option(name: [.customShort("f"), .customLong("values")], help: "Values file (repeatable; comma-separated lists allowed).")
    var valueFiles: [String] = []

    @Option(name: .customLong("set"), help: "key=value pairs, Helm's --set syntax (repeatable).")
    var setValues: [String] = []

    @Option(name: .customLong("set-string"), help: "key=value pairs whose values stay strings (repeatable).")
    var setStringValues: [String] = []

    @Option(name: .customLong("set-json"), help: "key=JSON pairs (repeatable).")
    var setJSONValues: [String] = []

    @Option(name: .customLong("set-file"), help: "key=path pairs; the file's contents become the value (repeatable).")
    var setFileValues: [String] = []

    @Option(name: [.short, .long], help: "Namespace of the release.")
    var namespace = "default"

    @Option(name: [.short, .customLong("show-only")], help: "Only print documents from templates matching this pattern (repeatable).")
    var showOnly: [String] = []

    @Flag(name: .customLong("no-hooks"), help: "Leave out hook manifests.")
    var noHooks = false

    @Flag(name: .customLong("skip-tests"), help: "Leave out test hooks.")
    var skipTests = false

    @Flag(name: .customLong("include-crds"), help: "Print the charts' crds/ files first.")
    var includeCRDs = false

    @Flag(name: .customLong("is-upgrade"), help: "Render as an upgrade (.Release.IsUpgrade).")
    var isUpgrade = false

    @Option(name: .customLong("kube-version"), help: "Kubernetes version templates see.")
    var kubeVersion = "v1.30.0"

    @Option(name: [.short, .customLong("api-versions")], help: "Extra API versions templates see (repeatable; comma-separated lists allowed).")
    var apiVersions: [String] = []

    func validate() throws {
        guard (1...2).contains(arguments.count) else {
            throw ValidationError("expected [NAME] CHART, got \(arguments.count) arguments")
        }
    }

    func run() throws {
        do {
            var action = TemplateAction()
            action.releaseName = arguments.count == 2 ? arguments[0] : "release-name"
            action.namespace = namespace
            action.values = ValueOptions(
                valueFiles: Self.commaSeparated(valueFiles), jsonValues: setJSONValues, values: setValues,
                stringValues: setStringValues, fileValues: setFileValues)
            action.showOnly = showOnly
            action.disableHooks = noHooks
            action.skipTests = skipTests
            action.includeCRDs = includeCRDs
            action.isUpgrade = isUpgrade
            action.capabilities = Capabilities(
                kubeVersion: try KubeVersion(parsing: kubeVersion), extraAPIVersions: Self.commaSeparated(apiVersions))
            let engine = Engine(functions: Sprig.library(entropy: SystemEntropy(), clock: SystemClock()))
            let output = try action.run(chartPath: arguments[arguments.count - 1], engine: engine) { warning in
                StandardStream.error.write("\(warning)\n")
            }
            StandardStream.output.write(output)
        } catch {
            StandardStream.error.write("Error: \(error)\n")
            throw ExitCode.failure
        }
    }

    /// Helm reads these flags as string slices: each occurrence may hold a comma list.
    private static func commaSeparated(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map(String.init) }
    }
}
