import Foundation
import Testing

/// What ships with a release, through the built binary: the CRD and the chart bundle.
@Suite("crd and bundle end to end")
struct StackReleaseTests {
    @Test("crd prints exactly the CRD the operator chart ships")
    func crdMatchesTheOperatorChart() async throws {
        let printed = try await CLI.run(["crd"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let shipped = try String(contentsOf: CLI.packageRoot.appendingPathComponent(
            "charts/seldon-operator/crds/seldonoperators.operator.seldon.io.yaml"), encoding: .utf8)
        #expect(printed.stdout == shipped)
    }

    @Test("bundle packs the same bytes every time, render takes charts from it, and a tampered archive is refused")
    func bundleIsDeterministicAndVerified() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stack-e2e-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for run in ["first", "second"] {
            let packed = try await CLI.run(["bundle", "--output", scratch.appendingPathComponent(run).path, "--version", "9.9.9"],
                                     in: CLI.packageRoot)
            #expect(packed.status == 0, "\(packed.stderr)")
        }
        let first = scratch.appendingPathComponent("first/9.9.9"), second = scratch.appendingPathComponent("second/9.9.9")
        let files = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        #expect(files.count == 9, "eight charts and bundle.yaml: \(files)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: second.path).sorted() == files)
        for file in files {
            #expect(try Data(contentsOf: first.appendingPathComponent(file)) == Data(contentsOf: second.appendingPathComponent(file)),
                    "\(file) differs between two runs")
        }

        let spec = CLI.packageRoot.appendingPathComponent("examples/full.yaml").path
        let noCluster = ["KUBECONFIG": "", "HOME": scratch.path]
        let fromFolders = try await CLI.run(["plan", "-f", spec, "-o", "json"], in: CLI.packageRoot, environment: noCluster)
        let fromBundle = try await CLI.run(["plan", "-f", spec, "-o", "json", "--bundle", first.path], in: CLI.packageRoot, environment: noCluster)
        #expect(fromBundle.status == 0, "\(fromBundle.stderr)")
        #expect(fromBundle.stdout == fromFolders.stdout)

        let archive = first.appendingPathComponent("seldon-deploy-0.1.0.tgz")
        var bytes = try Data(contentsOf: archive)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: archive)
        let refused = try await CLI.run(["render", "-f", spec, "--bundle", first.path], in: CLI.packageRoot, environment: noCluster)
        #expect(refused.status != 0, "a tampered archive was rendered")
        #expect(refused.stderr.contains("seldon-deploy-0.1.0.tgz") && refused.stderr.contains("refusing to load it"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty, "nothing is printed from a bundle that failed its check")
    }
}
