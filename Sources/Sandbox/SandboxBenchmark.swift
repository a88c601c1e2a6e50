import FoundationEssentials
import Unstructured
#if canImport(Glibc)
import Glibc
#endif

/// `sandbox bench`: creates N ConfigMaps through the API layer, then lists and watches them over
/// HTTPS, and reports throughput, list latency and resident memory per stored object.
public enum SandboxBenchmark {
    public struct Report: Sendable {
        public var objects: Int
        public var createSeconds: Double
        public var listSeconds: Double
        /// Listing the objects one label selector picks out of all of them, as a controller
        /// watching its own kind among thousands of unrelated objects does.
        public var selectedListSeconds: Double
        public var selected: Int
        public var watchSeconds: Double
        public var bytesPerObject: Double

        public var text: String {
            func format(_ value: Double, _ digits: Int = 1) -> String { Self.fixedPoint(value, digits: digits) }
            return """
                sandbox bench: \(objects) ConfigMaps
                  create:  \(format(Double(objects) / createSeconds, 0)) objects/s (\(format(createSeconds * 1000)) ms total, API layer)
                  list:    \(format(listSeconds * 1000)) ms for all \(objects) over HTTPS
                  select:  \(format(selectedListSeconds * 1000)) ms to list the \(selected) a label selector picks, over HTTPS
                  watch:   \(format(watchSeconds * 1000)) ms to receive \(objects) ADDED events over HTTPS
                  memory:  \(format(bytesPerObject / 1024, 2)) KiB resident per object
                """
        }

        /// `value` with `digits` decimals, rounded as C's `printf("%.*f")` rounds them.
        static func fixedPoint(_ value: Double, digits: Int) -> String {
            // The longest such text is DBL_MAX's 309 integer digits, a point and the decimals.
            var buffer = [CChar](repeating: 0, count: 320 + digits)
            _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(digits)f", $0) }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    public static func run(objects count: Int) async throws -> Report {
        var options = SandboxOptions()
        options.controllerInterval = 1
        let sandbox = try await Sandbox.start(options)
        do {
            let report = try await measure(sandbox, count: count)
            await sandbox.stop()
            return report
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    /// One object in this many carries the label the selector list asks for.
    static let selectionStride = 20

    private static func measure(_ sandbox: Sandbox, count: Int) async throws -> Report {
        let client = SandboxClient(sandbox: sandbox)
        let memoryBefore = residentBytes()
        let start = Date()
        for index in 0..<count {
            let body: Value = ["apiVersion": "v1", "kind": "ConfigMap",
                               "metadata": ["name": .string("bench-\(index)"),
                                            "labels": ["bench": "true", "tier": index % selectionStride == 0 ? "selected" : "other"]],
                               "data": ["index": .string(String(index)), "payload": .string(String(repeating: "x", count: 64))]]
            let request = APIRequest(method: "POST", path: "/api/v1/namespaces/default/configmaps",
                                     headers: ["content-type": "application/json"], body: BodyCodec.encode(body),
                                     hasClientCertificate: true)
            _ = sandbox.cluster.respondNow(to: request)
        }
        let createSeconds = Date().timeIntervalSince(start)
        let memoryAfter = residentBytes()

        let listStart = Date()
        let list = try await client.send("GET", "/api/v1/namespaces/default/configmaps?labelSelector=bench%3Dtrue",
                                         headers: [("Accept", "application/json")])
        let listSeconds = Date().timeIntervalSince(listStart)
        guard list.status == 200 else { throw BenchmarkFailure(description: "list answered \(list.status)") }

        let selectStart = Date()
        let selected = try await client.send("GET", "/api/v1/namespaces/default/configmaps?labelSelector=tier%3Dselected",
                                             headers: [("Accept", "application/json")])
        let selectedListSeconds = Date().timeIntervalSince(selectStart)
        let selectedCount = (try? BodyCodec.decode(selected.body))?["items"].listValue?.count ?? 0
        let expectedSelected = (count + selectionStride - 1) / selectionStride
        guard selected.status == 200, selectedCount == expectedSelected else {
            throw BenchmarkFailure(description: "the selector list answered \(selected.status) with \(selectedCount) of \(expectedSelected) objects")
        }

        let watchStart = Date()
        let watch = try await client.send("GET", "/api/v1/namespaces/default/configmaps?watch=true&labelSelector=bench%3Dtrue",
                                          stopAfterLines: count, timeoutSeconds: 120)
        let watchSeconds = Date().timeIntervalSince(watchStart)
        let events = watch.body.filter { $0 == 0x0A }.count
        guard events >= count else { throw BenchmarkFailure(description: "watch delivered \(events) of \(count) events") }
        return Report(objects: count, createSeconds: createSeconds, listSeconds: listSeconds,
                      selectedListSeconds: selectedListSeconds, selected: selectedCount, watchSeconds: watchSeconds,
                      bytesPerObject: Double(max(0, memoryAfter - memoryBefore)) / Double(max(count, 1)))
    }

    struct BenchmarkFailure: Error, CustomStringConvertible { let description: String }

    /// Resident set size from /proc/self/statm (pages × page size).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
