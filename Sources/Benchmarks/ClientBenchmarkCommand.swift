import ArgumentParser
import Foundation
import KubeClient
import Sandbox
import Unstructured

/// `seldon-bench client`: KubeClient's get, list and apply against an in-process Sandbox over
/// HTTPS, beside the curl command line sending the same requests over one kept-alive
/// connection in the same run. curl does no discovery, JSON work, rate limiting or retries,
/// so it is the floor the server and TLS allow; the ratio is what the client's own work costs.
struct ClientBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Requests per second of KubeClient's get, list and apply, against curl on one connection.")

    @Option(help: "How many ConfigMaps to get and apply.")
    var objects = 200

    @Option(help: "The curl command line used as the reference.")
    var curl = "/usr/bin/curl"

    func run() async throws {
        var options = SandboxOptions()
        options.controllerInterval = 1
        let sandbox = try await Sandbox.start(options)
        do {
            try await measure(sandbox)
            await sandbox.stop()
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    private func measure(_ sandbox: Sandbox) async throws {
        guard let credentials = sandbox.credentials, let kubeconfig = sandbox.kubeconfig else {
            throw ValidationError("the Sandbox started without TLS credentials")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seldon-bench-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let kubeconfigFile = folder.appendingPathComponent("kubeconfig").path
        try Data(kubeconfig.utf8).write(to: URL(fileURLWithPath: kubeconfigFile))

        let configuration = try KubeconfigLoader().configuration(explicit: kubeconfigFile)
        // The client-side rate limiter (200 QPS by default) is lifted: it would otherwise be
        // what this measures, and curl has none.
        let unthrottled = ClientOptions(qps: 1_000_000, burst: 1_000_000)
        let benchmark = ClientBenchmark(client: try KubeClient(configuration: configuration, options: unthrottled), objects: objects)
        try await benchmark.prepare()
        let client = try await benchmark.run()
        let reference = try CurlReference(curl: curl, server: sandbox.url, credentials: credentials, folder: folder)
            .run(benchmark)

        print("client bench: \(objects) ConfigMaps, one request at a time, HTTPS to an in-process Sandbox, client rate limit lifted")
        let widths = [6, 9, 13, 11, 16]
        print(row(["verb", "requests", "KubeClient/s", "curl/s", "KubeClient/curl"], widths: widths))
        for (mine, theirs) in zip(client, reference) {
            print(row([mine.verb, String(mine.requests), format(mine.requestsPerSecond), format(theirs.requestsPerSecond),
                       format(mine.requestsPerSecond / max(theirs.requestsPerSecond, 1e-9))], widths: widths))
        }
    }
}

/// The benchmark's requests sent by the curl command line: one process per verb, every
/// request of the verb in one config file, so curl keeps one connection for all of them.
struct CurlReference {
    let curl: String
    let server: String
    let credentials: Credentials
    /// A private scratch folder; the config files hold the bearer token and are removed with it.
    let folder: URL

    func run(_ benchmark: ClientBenchmark) throws -> [ClientBenchmark.Measurement] {
        let collection = "\(server)/api/v1/namespaces/\(benchmark.namespace)/configmaps"
        let ca = folder.appendingPathComponent("ca.crt")
        try Data(credentials.caCertificatePEM.utf8).write(to: ca)
        let names = benchmark.objectNames

        let gets = names.map { Block(url: "\(collection)/\($0)") }
        let lists = Array(repeating: Block(url: "\(collection)?limit=500"), count: benchmark.listRounds)
        var applies: [Block] = []
        for name in names {
            let body = folder.appendingPathComponent("\(name).json")
            try Data(JSON.string(benchmark.manifest(name)).utf8).write(to: body)
            applies.append(Block(url: "\(collection)/\(name)?fieldManager=seldon-operator&force=true", method: "PATCH",
                                 contentType: "application/apply-patch+yaml", bodyFile: body.path))
        }
        return try [("get", gets), ("list", lists), ("apply", applies)].map { verb, blocks in
            try measure(verb, blocks, ca: ca.path)
        }
    }

    struct Block {
        var url: String
        var method = "GET"
        var contentType: String?
        var bodyFile: String?
    }

    private func measure(_ verb: String, _ blocks: [Block], ca: String) throws -> ClientBenchmark.Measurement {
        let config = folder.appendingPathComponent("\(verb).curlrc")
        try Data(blocks.map { text(of: $0, ca: ca) }.joined(separator: "next\n").utf8).write(to: config)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = ["--config", config.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = clock.now - started
        let statuses = String(decoding: printed, as: UTF8.self).split(separator: "\n")
        let failed = statuses.filter { !$0.hasPrefix("2") }
        guard process.terminationStatus == 0, statuses.count == blocks.count, failed.isEmpty else {
            throw ValidationError("""
                the curl reference for \(verb) failed (exit \(process.terminationStatus), \(statuses.count) of \
                \(blocks.count) answers, non-2xx: \(failed.prefix(5).joined(separator: " ")))
                """)
        }
        let (seconds, attoseconds) = elapsed.components
        return ClientBenchmark.Measurement(verb: verb, requests: blocks.count,
                                           seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// One request in curl's config syntax; options do not carry over `next`, so each block is whole.
    private func text(of block: Block, ca: String) -> String {
        var lines = [
            "url = \"\(block.url)\"", "cacert = \"\(ca)\"", "silent", "compressed", "output = \"/dev/null\"",
            "write-out = \"%{http_code}\\n\"", "header = \"Accept: application/json\"",
            "header = \"Authorization: Bearer \(credentials.bearerToken)\"", "request = \"\(block.method)\"",
        ]
        if let contentType = block.contentType { lines.append("header = \"Content-Type: \(contentType)\"") }
        if let bodyFile = block.bodyFile { lines.append("data-binary = \"@\(bodyFile)\"") }
        return lines.joined(separator: "\n") + "\n"
    }
}
