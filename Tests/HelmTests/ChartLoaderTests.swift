import Foundation
import Testing
import Unstructured
@testable import Helm

@Suite struct ArchiveLoaderTests {
    static let chartYAML = "apiVersion: v2\nname: demo\nversion: 1.0.0\n"

    private func load(_ entries: [ArchiveBuilder.Entry], limits: ChartLimits = .helm) throws -> Chart {
        try ArchiveLoader(bytes: ArchiveBuilder.tgz(entries), source: "demo.tgz", limits: limits).load()
    }

    private func refusal(_ entries: [ArchiveBuilder.Entry], limits: ChartLimits = .helm) -> String {
        do {
            _ = try load(entries, limits: limits)
            return "loaded"
        } catch let error as ChartError {
            return error.message
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func loadsAChartFromMemoryStrippingTheTopFolder() throws {
        let chart = try load([
            .directory("demo/"), .file("demo/Chart.yaml", Self.chartYAML), .file("demo/values.yaml", "replicas: 2\n"),
            .file("demo/templates/cm.yaml", "kind: ConfigMap\n"), .file("demo/files/a.txt", "a"),
        ])
        #expect(chart.name == "demo")
        #expect(chart.values["replicas"] == .float(2))
        #expect(chart.templates.map(\.name) == ["templates/cm.yaml"])
        #expect(chart.files.map(\.name) == ["files/a.txt"])
    }

    @Test func refusesAbsolutePaths() {
        let message = refusal([.file("demo/Chart.yaml", Self.chartYAML), .file("/etc/passwd", "x")])
        #expect(message.contains("\"/etc/passwd\""))
        #expect(message.contains("absolute path"))
    }

    @Test func refusesParentFolderEntries() {
        let message = refusal([.file("demo/Chart.yaml", Self.chartYAML), .file("demo/../../evil", "x")])
        #expect(message.contains("\"demo/../../evil\""))
        #expect(message.contains(".."))
    }

    @Test func refusesSymlinksLeavingTheChart() {
        let message = refusal([.file("demo/Chart.yaml", Self.chartYAML), .symlink("demo/files/secret", target: "../../../etc/shadow")])
        #expect(message.contains("demo/files/secret"))
        #expect(message.contains("outside the chart"))
        let absolute = refusal([.file("demo/Chart.yaml", Self.chartYAML), .symlink("demo/files/secret", target: "/etc/shadow")])
        #expect(absolute.contains("/etc/shadow"))
    }

    @Test func refusesHardlinksLeavingTheChart() {
        let message = refusal([.file("demo/Chart.yaml", Self.chartYAML), .hardlink("demo/files/x", target: "../etc/passwd")])
        #expect(message.contains("\"../etc/passwd\""))
    }

    @Test func readsLinksInsideTheChartAsTheirTarget() throws {
        let chart = try load([
            .file("demo/Chart.yaml", Self.chartYAML), .file("demo/files/a.txt", "content"),
            .symlink("demo/files/b.txt", target: "a.txt"), .hardlink("demo/files/c.txt", target: "demo/files/a.txt"),
        ])
        #expect(chart.files.map(\.text) == ["content", "content", "content"])
    }

    @Test func refusesDevicesAndFifos() {
        #expect(refusal([.file("demo/Chart.yaml", Self.chartYAML), .characterDevice("demo/dev")]).contains("\"demo/dev\" is not a regular file"))
        #expect(refusal([.file("demo/Chart.yaml", Self.chartYAML), .fifo("demo/pipe")]).contains("\"demo/pipe\""))
    }

    @Test func refusesFilesAndTotalsOverTheLimits() {
        let limits = ChartLimits(maxFileSize: 100, maxTotalSize: 150)
        let big = String(repeating: "x", count: 101)
        #expect(refusal([.file("demo/Chart.yaml", Self.chartYAML), .file("demo/big", big)], limits: limits).contains("\"demo/big\" is larger than the maximum file size 100"))
        let half = String(repeating: "x", count: 80)
        let total = refusal([.file("demo/Chart.yaml", Self.chartYAML), .file("demo/a", half), .file("demo/b", half)], limits: limits)
        #expect(total.contains("maximum size 150"))
        #expect(total.contains("demo/b"))
    }

    @Test func refusesGarbage() {
        let message = (try? ArchiveLoader(bytes: Array("not an archive".utf8), source: "x.tgz").load()).map { _ in "loaded" }
        #expect(message == nil)
    }
}

@Suite struct DirectoryLoaderTests {
    private func makeChart(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("helm-tests-\(UUID().uuidString)/demo")
        for (name, text) in files {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func honoursHelmIgnoreAndHiddenTemplates() throws {
        let root = try makeChart([
            "Chart.yaml": ArchiveLoaderTests.chartYAML, ".helmignore": "# comment\n*.bak\nsecret/\n",
            "templates/a.yaml": "a: 1", "templates/.hidden.yaml": "x", "notes.bak": "x", "secret/key": "x", "keep.txt": "k",
        ])
        let chart = try DirectoryLoader(path: root.path).load()
        #expect(chart.templates.map(\.name) == ["templates/a.yaml"])
        #expect(chart.files.map(\.name).sorted() == [".helmignore", "keep.txt"])
    }

    @Test func refusesSymlinksLeavingTheChart() throws {
        let root = try makeChart(["Chart.yaml": ArchiveLoaderTests.chartYAML])
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
        #expect(throws: ChartError.self) { try DirectoryLoader(path: root.path).load() }
    }

    @Test func refusesFilesAndTotalsOverTheLimits() throws {
        let limits = ChartLimits(maxFileSize: 100, maxTotalSize: 150)
        let big = try makeChart(["Chart.yaml": ArchiveLoaderTests.chartYAML, "big": String(repeating: "x", count: 101)])
        #expect(throws: ChartError("chart file \"big\" is larger than the maximum file size 100")) {
            try DirectoryLoader(path: big.path, limits: limits).load()
        }
        let half = String(repeating: "x", count: 60)
        let many = try makeChart(["Chart.yaml": ArchiveLoaderTests.chartYAML, "a": half, "b": half])
        #expect(throws: ChartError("chart is larger than the maximum size 150 (at b)")) {
            try DirectoryLoader(path: many.path, limits: limits).load()
        }
    }

    @Test func loadsSubchartsAsFoldersAndArchives() throws {
        let root = try makeChart([
            "Chart.yaml": ArchiveLoaderTests.chartYAML + "dependencies:\n- name: sub\n  version: 0.1.0\n",
            "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        ])
        let archive = ArchiveBuilder.tgz([.file("packed/Chart.yaml", "apiVersion: v2\nname: packed\nversion: 2.0.0\n")])
        try Data(archive).write(to: root.appendingPathComponent("charts/packed-2.0.0.tgz"))
        let chart = try DirectoryLoader(path: root.path).load()
        #expect(chart.dependencies.map(\.name).sorted() == ["packed", "sub"])
        #expect(chart.dependencies.first { $0.name == "packed" }?.fullPath == "demo/charts/packed")
    }

    @Test func reportsMissingDependenciesAsHelmDoes() throws {
        let root = try makeChart(["Chart.yaml": ArchiveLoaderTests.chartYAML + "dependencies:\n- name: absent\n  version: 1.x.x\n"])
        let chart = try DirectoryLoader(path: root.path).load()
        #expect(throws: ChartError("found in Chart.yaml, but missing in charts/ directory: absent")) {
            try DependencyProcessor.checkPresent(chart)
        }
    }

    @Test func readsV1RequirementsAndScalarMetadata() throws {
        let root = try makeChart([
            "Chart.yaml": "name: old\nversion: 1.0.0\nappVersion: 1.10\ndescription: |\n  two\n  lines\n",
            "requirements.yaml": "dependencies:\n- name: dep\n  version: 1.0.0\n  alias: other\n",
        ])
        let chart = try DirectoryLoader(path: root.path).load()
        #expect(chart.metadata.apiVersion == "v1")
        #expect(chart.metadata.appVersion == "1.1")
        #expect(chart.metadata.description == "two lines ")
        #expect(chart.metadata.dependencies.map(\.effectiveName) == ["other"])
    }
}

@Suite struct GlobTests {
    @Test func filepathStyle() {
        #expect(Glob("templates/*.yaml", style: .filepath).matches("templates/a.yaml"))
        #expect(!Glob("templates/*.yaml", style: .filepath).matches("templates/x/a.yaml"))
        #expect(Glob("charts/*/templates/*.yaml", style: .filepath).matches("charts/sub/templates/cm.yaml"))
        #expect(Glob("[a-c]?.txt", style: .filepath).matches("bx.txt"))
        #expect(!Glob("[^a-c]?.txt", style: .filepath).matches("bx.txt"))
    }

    @Test func filesStyle() {
        #expect(Glob("files/**", style: .files).matches("files/a/b/c.txt"))
        #expect(Glob("files/*.{txt,yaml}", style: .files).matches("files/a.yaml"))
        #expect(!Glob("files/*", style: .files).matches("files/a/b"))
        #expect(Glob("[!x]*", style: .files).matches("abc"))
    }
}
