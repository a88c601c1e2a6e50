import Foundation
import ProcessTesting
import Sandbox
import Testing
import Unstructured
@testable import Stack

/// Real kubectl against an in-process Sandbox over HTTPS, with a discovery cache of its own:
/// kubectl keeps discovery per host and port for hours, and an earlier Sandbox that had the
/// same port would otherwise answer for this one.
struct Kubectl {
    let kubeconfig: URL
    let cacheDirectory: URL

    struct Result {
        let status: Int32
        let output: String
    }

    func run(_ arguments: [String], input: String? = nil) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
        process.arguments = ["--kubeconfig", kubeconfig.path, "--cache-dir", cacheDirectory.path] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        // kubectl talks to a Sandbox in this process: waiting on a cooperative thread would
        // take one from the server it waits for.
        let data = try await ChildProcess.offPool {
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try stdin.fileHandleForWriting.close()
            return stdout.fileHandleForReading.readDataToEndOfFile()
        }
        return Result(status: await process.exitStatus(), output: String(decoding: data, as: UTF8.self))
    }

    static let quick: SandboxOptions = {
        var options = SandboxOptions()
        options.readyDelay = 0
        return options
    }()

    /// Starts a Sandbox, hands a kubectl for it to `body`, and stops it afterwards.
    static func withSandbox<T>(_ options: SandboxOptions = quick, _ body: (Kubectl) async throws -> T) async throws -> T {
        let sandbox = try await Sandbox.start(options)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stack-kubectl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("kubeconfig")
            try Data((sandbox.kubeconfig ?? "").utf8).write(to: file)
            let result = try await body(Kubectl(kubeconfig: file, cacheDirectory: folder.appendingPathComponent("cache")))
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }
}

@Suite("The CRD in a cluster")
struct SandboxCRDTests {
    static let root = CRDTests.packageRoot

    @Test func crdAcceptsEveryExampleAndRejectsBadSpecs() async throws {
        try await Kubectl.withSandbox { kubectl in
            let applied = try await kubectl.run(["apply", "--server-side", "-f", "-"], input: SeldonOperatorCRD.yaml)
            #expect(applied.status == 0, "\(applied.output)")
            let established = try await kubectl.run(["wait", "--for=condition=Established", "crd/\(SeldonOperatorCRD.name)", "--timeout=180s"])
            #expect(established.status == 0, "\(established.output)")
            _ = try await kubectl.run(["create", "-f", "-"], input: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: seldon-system\n")

            for example in ["minimal", "full", "external-elasticsearch"] {
                let path = Self.root.appendingPathComponent("examples/\(example).yaml").path
                let result = try await kubectl.run(["apply", "--server-side", "--dry-run=server", "-f", path])
                #expect(result.status == 0, "\(example): \(result.output)")
                // The operator's own decoder agrees with the API server.
                #expect(throws: Never.self) { try SeldonOperatorFile.load(path: path) }
            }

            let unknownField = """
            apiVersion: operator.seldon.io/v1alpha1
            kind: SeldonOperator
            metadata: {name: bad, namespace: seldon-system}
            spec: {enable: {foo: true}}
            """
            let unknown = try await kubectl.run(["apply", "--server-side", "--validate=strict", "-f", "-"], input: unknownField)
            #expect(unknown.status != 0)
            #expect(unknown.output.contains("foo"), "\(unknown.output)")

            let wrongType = """
            apiVersion: operator.seldon.io/v1alpha1
            kind: SeldonOperator
            metadata: {name: bad, namespace: seldon-system}
            spec: {enable: {routing: "yes"}}
            """
            let wrong = try await kubectl.run(["apply", "--server-side", "-f", "-"], input: wrongType)
            #expect(wrong.status != 0)
            #expect(wrong.output.contains("spec.enable.routing"), "\(wrong.output)")
        }
    }
}
