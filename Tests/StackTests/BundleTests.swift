import CArchive
import Foundation
import Testing
import Unstructured
@testable import Stack

@Suite("Chart archives and bundles")
struct BundleTests {
    /// A scratch folder removed when the test ends.
    final class Scratch {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("stack-bundle-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ relative: String, _ text: String) throws {
            let file = url.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
    }

    struct Entry: Equatable {
        let path: String
        let mtime: Int
        let uid: Int64
        let gid: Int64
        let perm: UInt32
        let contents: String
    }

    /// Reads an archive back with libarchive, independently of the writer.
    static func entries(of archive: URL) throws -> [Entry] {
        let bytes = try Data(contentsOf: archive)
        guard let reader = archive_read_new() else { return [] }
        defer { archive_read_free(reader) }
        archive_read_support_filter_all(reader)
        archive_read_support_format_all(reader)
        return try bytes.withUnsafeBytes { buffer in
            guard archive_read_open_memory(reader, buffer.baseAddress, buffer.count) == ARCHIVE_OK else {
                throw BundleError.unreadable(archive.path, "not an archive")
            }
            var result: [Entry] = []
            var entry: OpaquePointer?
            while archive_read_next_header(reader, &entry) == ARCHIVE_OK, let entry {
                var data = [UInt8](repeating: 0, count: Int(archive_entry_size(entry)))
                _ = data.withUnsafeMutableBytes { archive_read_data(reader, $0.baseAddress, $0.count) }
                result.append(Entry(path: String(cString: archive_entry_pathname(entry)), mtime: archive_entry_mtime(entry),
                                    uid: archive_entry_uid(entry), gid: archive_entry_gid(entry),
                                    perm: UInt32(archive_entry_perm(entry)), contents: String(decoding: data, as: UTF8.self)))
            }
            return result
        }
    }

    static func sampleChart(in scratch: Scratch) throws -> URL {
        try scratch.write("chart/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.2.3\n")
        try scratch.write("chart/values.yaml", "replicas: 1\n")
        try scratch.write("chart/templates/b.yaml", "kind: ConfigMap\n")
        try scratch.write("chart/templates/a.yaml", "kind: Service\n")
        try scratch.write("chart/templates/_helpers.tpl", "{{/* */}}\n")
        return scratch.url.appendingPathComponent("chart")
    }

    @Test func archivesAreDeterministicAndNormalized() throws {
        let scratch = try Scratch()
        let chart = try Self.sampleChart(in: scratch)
        let first = scratch.url.appendingPathComponent("first.tgz"), second = scratch.url.appendingPathComponent("second.tgz")
        try ChartArchiver().archive(folder: chart, prefix: "demo", to: first)
        // Touch a file: a different mtime must not change the archive.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)],
                                              ofItemAtPath: chart.appendingPathComponent("values.yaml").path)
        try ChartArchiver().archive(folder: chart, prefix: "demo", to: second)
        let bytes = try Data(contentsOf: first)
        #expect(bytes == (try Data(contentsOf: second)))
        #expect(Array(bytes.prefix(2)) == [0x1f, 0x8b], "gzip")
        #expect(Array(bytes[4..<8]) == [0, 0, 0, 0], "no timestamp in the gzip header")

        let entries = try Self.entries(of: first)
        #expect(entries.map(\.path) == ["demo/Chart.yaml", "demo/templates/_helpers.tpl", "demo/templates/a.yaml",
                                        "demo/templates/b.yaml", "demo/values.yaml"])
        for entry in entries {
            #expect(entry.mtime == ChartArchiver.entryTime)
            #expect(entry.uid == 0 && entry.gid == 0)
            #expect(entry.perm == 0o644)
        }
        #expect(entries.first?.contents == "apiVersion: v2\nname: demo\nversion: 1.2.3\n")
    }

    @Test func symbolicLinksAreRefused() throws {
        let scratch = try Scratch()
        let chart = try Self.sampleChart(in: scratch)
        try FileManager.default.createSymbolicLink(atPath: chart.appendingPathComponent("templates/passwd").path, withDestinationPath: "/etc/passwd")
        #expect(throws: ChartArchiver.Failure.self) {
            try ChartArchiver().archive(folder: chart, prefix: "demo", to: scratch.url.appendingPathComponent("x.tgz"))
        }
    }

    @Test func bundleVerifiesChecksumsAndRefusesATamperedArchive() throws {
        let scratch = try Scratch()
        let chart = try Self.sampleChart(in: scratch)
        let folder = scratch.url.appendingPathComponent("bundles/1.2.3")
        let manifest = try ChartBundle.pack([.init(name: "demo", version: "1.2.3", folder: chart)], version: "1.2.3", into: folder)
        #expect(manifest.charts.map(\.file) == ["demo-1.2.3.tgz"])
        let bundle = ChartBundle(folder: folder, manifest: manifest)
        let archive = try bundle.verifiedArchive(named: "demo")
        #expect(Checksum.sha256(archive) == manifest.charts[0].sha256)

        #expect(throws: BundleError.missingChart("nope", bundle: folder.appendingPathComponent("bundle.yaml").path)) {
            try bundle.verifiedArchive(named: "nope")
        }

        var tampered = archive
        tampered[tampered.count / 2] ^= 0xff
        try tampered.write(to: folder.appendingPathComponent("demo-1.2.3.tgz"))
        do {
            _ = try bundle.verifiedArchive(named: "demo")
            Issue.record("a tampered archive was accepted")
        } catch {
            guard case let .checksumMismatch(file, expected, actual) = error else { Issue.record("\(error)"); return }
            #expect(file.hasSuffix("demo-1.2.3.tgz"))
            #expect(expected == manifest.charts[0].sha256)
            #expect(actual == Checksum.sha256(tampered))
            #expect(error.description.contains("refusing to load it"))
        }
    }

    @Test func manifestRoundTripsAndRejectsPaths() throws {
        let manifest = BundleManifest(version: "0.1.0", charts: [
            .init(name: "b", version: "1", file: "b-1.tgz", sha256: String(repeating: "a", count: 64)),
            .init(name: "a", version: "2", file: "a-2.tgz", sha256: String(repeating: "b", count: 64)),
        ])
        #expect(manifest.charts.map(\.name) == ["a", "b"])
        #expect(try BundleManifest(value: manifest.value, source: "bundle.yaml") == manifest)
        var escaping = manifest.value
        escaping["charts"] = [["name": "x", "version": "1", "file": "../../etc/x.tgz", "sha256": "00"]]
        #expect(throws: BundleError.malformed("bundle.yaml", "charts[0].file: expected a file name, got \"../../etc/x.tgz\"")) {
            try BundleManifest(value: escaping, source: "bundle.yaml")
        }
        var missing = manifest.value
        missing["charts"] = [["name": "x"]]
        #expect(throws: BundleError.malformed("bundle.yaml", "charts[0].version: expected a non-empty string")) {
            try BundleManifest(value: missing, source: "bundle.yaml")
        }
    }

    @Test func checksumIsLowercaseHexWithLeadingZeros() {
        // FIPS 180-2's "abc" vector: its digest has bytes below 0x10, each two digits.
        #expect(Checksum.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func unreadableFilesAreNamedWithTheSystemsReason() throws {
        let scratch = try Scratch()
        #expect {
            try SeldonOperatorFile.load(path: scratch.url.appendingPathComponent("missing.yaml").path)
        } throws: { error in
            String(describing: error) == "\(scratch.url.path)/missing.yaml: cannot read: No such file or directory"
        }
        #expect {
            try ChartBundle.load(folder: scratch.url.appendingPathComponent("bundle.yaml"))
        } throws: { error in
            String(describing: error).hasSuffix("bundle.yaml/bundle.yaml: cannot read: No such file or directory")
        }
    }

    @Test func chartFoldersReachedThroughALinkArePacked() throws {
        let scratch = try Scratch()
        let chart = try Self.sampleChart(in: scratch)
        let link = scratch.url.appendingPathComponent("linked")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: chart.path)
        #expect(try ChartArchiver.files(in: link) == ["Chart.yaml", "templates/_helpers.tpl", "templates/a.yaml",
                                                      "templates/b.yaml", "values.yaml"])
    }
}

@Suite("The committed bundle")
struct CommittedBundleTests {
    /// bundles/VERSION must be what `make bundle` makes of charts/ today.
    @Test func matchesTheCharts() throws {
        let committed = try ChartBundle.load(folder: CRDTests.packageRoot.appendingPathComponent("bundles/0.1.0"))
        let scratch = try BundleTests.Scratch()
        let rebuilt = try ChartBundle.build(charts: CRDTests.packageRoot.appendingPathComponent("charts"), version: "0.1.0", output: scratch.url)
        #expect(rebuilt.manifest == committed.manifest, "run `make bundle` and commit bundles/")
        for entry in committed.manifest.charts {
            #expect(throws: Never.self) { try committed.verifiedArchive(named: entry.name) }
        }
    }
}
