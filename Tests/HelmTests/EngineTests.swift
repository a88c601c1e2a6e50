import GoTemplate
import Sprig
import Testing
import Unstructured
@testable import Helm

@Suite struct EngineTests {
    static let engine = Engine(functions: Sprig.library(entropy: StandInEntropy(), clock: FixedClock()))

    private func chart(_ name: String, templates: [String: String], files: [String: String] = [:], type: String = "", dependencies: [Chart] = []) -> Chart {
        var metadata = ChartMetadata(name: name, version: "1.2.3")
        metadata.type = type
        metadata.appVersion = "9.9"
        var chart = Chart(
            metadata: metadata, templates: templates.map { ChartFile(name: $0.key, data: Array($0.value.utf8)) },
            files: files.map { ChartFile(name: $0.key, data: Array($0.value.utf8)) }, dependencies: dependencies)
        chart.assignPaths(parent: nil)
        return chart
    }

    private func render(_ chart: Chart, values: Value.Map = [:], capabilities: Capabilities = Capabilities()) throws -> [String: String] {
        try Self.engine.render(chart, values: values, release: ReleaseOptions(name: "rel", namespace: "ns"), capabilities: capabilities)
    }

    @Test func builtInObjects() throws {
        let c = chart("demo", templates: [
            "templates/a.yaml": """
                {{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.IsInstall }} {{ .Release.Revision }} {{ .Release.Service }}
                {{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.AppVersion }} {{ .Chart.IsRoot }}
                {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "x/v1/Y" }}
                {{ .Template.Name }} {{ .Template.BasePath }} [{{ .Values.missing }}]
                """,
        ])
        let capabilities = Capabilities(kubeVersion: try KubeVersion(parsing: "1.25"), extraAPIVersions: ["x/v1/Y"])
        #expect(try render(c, capabilities: capabilities)["demo/templates/a.yaml"] == """
            rel ns true 1 Helm
            demo 1.2.3 9.9 true
            v1.25.0 25 true true
            demo/templates/a.yaml demo/templates []
            """)
    }

    /// Helm gives every template of a chart one data map, so what a template rendered
    /// earlier changes in it (istio's zzz_profile.yaml, bitnami's cached passwords) the later
    /// ones see. Rendered as gotemplate-ref renders the same files in this order.
    @Test func templatesShareTheChartsDataMap() throws {
        let c = chart("demo", templates: [
            "templates/c_profile.yaml": """
                {{- $defaults := dict "replicas" 2 "image" (dict "tag" "d") }}
                {{- $b := set $ "Values" (mustMergeOverwrite $defaults $.Values) }}
                {{- $_ := unset $.Values "secret" }}
                """,
            "templates/b.yaml": """
                replicas: {{ .Values.replicas }} tag: {{ .Values.image.tag }} repo: {{ .Values.image.repo }} secret: {{ .Values.secret | default "gone" }}
                {{- define "cache" }}{{ $_ := set .Values "cached" "once" }}{{ end }}
                {{- include "cache" . }}
                """,
            "templates/a.yaml": "cached: {{ .Values.cached }}",
        ])
        let rendered = try render(c, values: ["image": ["repo": "r"], "secret": "s"])
        #expect(rendered["demo/templates/b.yaml"] == "replicas: 2 tag: d repo: r secret: gone")
        #expect(rendered["demo/templates/a.yaml"] == "cached: once")
    }

    @Test func filesAreTheChartsOwn() throws {
        let c = chart("demo", templates: [
            "templates/f.yaml": #"{{ .Files.Get "files/a.txt" }}|{{ .Files.Lines "files/a.txt" | len }}|{{ (.Files.Glob "files/*").AsConfig }}|{{ .Files.Get "../../etc/passwd" }}|"#,
        ], files: ["files/a.txt": "one\ntwo\n", "files/b.txt": "b"])
        #expect(try render(c)["demo/templates/f.yaml"] == "one\ntwo\n|2|a.txt: |\n  one\n  two\nb.txt: b||")
    }

    @Test func partialsAreParsedNotRenderedAndNotesAreRendered() throws {
        let c = chart("demo", templates: [
            "templates/_helpers.tpl": #"{{ define "demo.name" }}from-helper{{ end }}"#,
            "templates/a.yaml": #"{{ include "demo.name" . }}"#,
            "templates/NOTES.txt": "notes",
        ])
        let rendered = try render(c)
        #expect(rendered.keys.sorted() == ["demo/templates/NOTES.txt", "demo/templates/a.yaml"])
        #expect(rendered["demo/templates/a.yaml"] == "from-helper")
    }

    @Test func parentDefinitionsWinAndLibraryChartsOnlyContributePartials() throws {
        let library = chart("lib", templates: [
            "templates/_lib.tpl": #"{{ define "shared" }}from-lib{{ end }}{{ define "lib.only" }}lib{{ end }}"#,
            "templates/ignored.yaml": "kind: Ignored",
        ], type: "library")
        let parent = chart("demo", templates: [
            "templates/_helpers.tpl": #"{{ define "shared" }}from-parent{{ end }}"#,
            "templates/a.yaml": #"{{ include "shared" . }} {{ include "lib.only" . }}"#,
        ], dependencies: [library])
        let rendered = try render(parent)
        #expect(rendered["demo/templates/a.yaml"] == "from-parent lib")
        #expect(rendered["demo/charts/lib/templates/ignored.yaml"] == nil)
    }

    @Test func subchartsSeeTheirOwnValues() throws {
        let sub = chart("sub", templates: ["templates/s.yaml": "{{ .Values.x }} {{ .Chart.IsRoot }} {{ .Template.Name }}"])
        let parent = chart("demo", templates: ["templates/p.yaml": #"{{ keys .Subcharts | join "," }}"#], dependencies: [sub])
        let rendered = try render(parent, values: ["sub": ["x": "child-value"]])
        #expect(rendered["demo/charts/sub/templates/s.yaml"] == "child-value false demo/charts/sub/templates/s.yaml")
        #expect(rendered["demo/templates/p.yaml"] == "sub")
    }

    @Test func tplRendersWithTheSetsDefinitions() throws {
        let c = chart("demo", templates: [
            "templates/_h.tpl": #"{{ define "h" }}helper{{ end }}"#,
            "templates/a.yaml": #"{{ tpl .Values.text . }}"#,
        ])
        #expect(try render(c, values: ["text": #"{{ .Release.Name }}-{{ include "h" . }}"#])["demo/templates/a.yaml"] == "rel-helper")
    }

    @Test func explicitFailuresAreReportedAtTheTopLevelCall() {
        let c = chart("demo", templates: [
            "templates/_h.tpl": #"{{ define "h" }}{{ required "need x" .Values.x }}{{ end }}"#,
            "templates/a.yaml": "line one\n  {{ include \"h\" . }}",
        ])
        do {
            _ = try render(c)
            Issue.record("rendered without x")
        } catch {
            #expect("\(error)" == "execution error at (demo/templates/a.yaml:2:5): need x")
        }
    }

    @Test func recursiveIncludesStop() {
        let c = chart("demo", templates: [
            "templates/_h.tpl": #"{{ define "loop" }}{{ include "loop" . }}{{ end }}"#,
            "templates/a.yaml": #"{{ include "loop" . }}"#,
        ])
        #expect(throws: RenderError.self) { try render(c) }
    }

    @Test func lookupIsEmptyWithoutACluster() throws {
        let c = chart("demo", templates: ["templates/a.yaml": #"{{ lookup "v1" "Secret" "ns" "x" | toJson }}"#])
        #expect(try render(c)["demo/templates/a.yaml"] == "{}")
    }

    @Test func lookupAsksTheClusterReader() throws {
        struct OneSecret: ClusterReader {
            func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value? {
                kind == "Secret" && name == "x" ? ["data": ["k": "dg=="]] : nil
            }
        }
        let engine = Engine(functions: Self.engine.functions, clusterReader: OneSecret())
        let c = chart("demo", templates: ["templates/a.yaml": #"{{ (lookup "v1" "Secret" "ns" "x").data.k }}"#])
        let rendered = try engine.render(c, values: [:], release: ReleaseOptions(name: "r", namespace: "n"), capabilities: Capabilities())
        #expect(rendered["demo/templates/a.yaml"] == "dg==")
    }

    @Test func parseOrderIsDeepestFirstThenReverseLexical() {
        #expect(Engine.parseOrder(["a/templates/x.yaml", "a/charts/b/templates/y.yaml", "a/templates/z.yaml"]) == [
            "a/charts/b/templates/y.yaml", "a/templates/z.yaml", "a/templates/x.yaml",
        ])
    }
}
