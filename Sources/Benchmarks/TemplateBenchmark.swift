import ArgumentParser
import Foundation
import GoTemplate
import Sprig
import Unstructured

/// Template execution, ours against Go's text/template with sprig on the same files.
///
/// Both sides parse each corpus chart's own templates into one set with the same data
/// (`.Values` from the chart's values.yaml, fixed `.Release`, `.Chart`, `.Capabilities`) and
/// the same Helm-style helpers, then execute every template file `runs` times. Only files
/// that both engines execute, with outputs of the same length, are compared, so the ratio
/// is about execution speed on identical work. The Go side is Benchmarks/GoReference.
struct TemplateBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "Template execution time, ours over Go's, per corpus chart.")

    @OptionGroup var shared: SharedFolder

    @Option(help: "The gotemplate-timing binary built from Benchmarks/GoReference.")
    var goReference: String

    @Option(help: "Executions per template file on each side.")
    var runs = 200

    func run() throws {
        print("Template execution, each file \(runs) times per engine; times are per execution of all compared files.")
        let widths = [24, 7, 12, 12, 8, 8]
        print(row(["chart", "files", "go µs", "ours µs", "ours/go", "faster"], widths: widths))
        var goSum = 0.0
        var ourSum = 0.0
        var ratios: [Double] = []
        for chart in try shared.chartNames() {
            let folder = shared.corpus.appendingPathComponent("\(chart)/chart")
            let files = templateFiles(in: folder)
            let go: [String: Timing]
            let ours: [String: Timing]
            do {
                go = try goTimings(folder: folder, files: files)
                ours = try ourTimings(folder: folder, files: files)
            } catch {
                print(row([chart, "-", "-", "-", "-", "-"], widths: widths) + " not compared: \(error)")
                continue
            }
            let compared = go.keys.filter { ours[$0]?.bytes == go[$0]?.bytes }
            guard !compared.isEmpty else {
                print(row([chart, "0/\(files.count)", "-", "-", "-", "-"], widths: widths) + " no file executed alike")
                continue
            }
            let goTime = compared.reduce(0) { $0 + (go[$1]?.nanoseconds ?? 0) }
            let ourTime = compared.reduce(0) { $0 + (ours[$1]?.nanoseconds ?? 0) }
            goSum += goTime
            ourSum += ourTime
            ratios.append(ourTime / goTime)
            print(row([chart, "\(compared.count)/\(files.count)", format(goTime / 1000), format(ourTime / 1000),
                       format(ourTime / goTime), format(goTime / ourTime) + "×"], widths: widths))
        }
        guard goSum > 0, ourSum > 0 else { return }
        print(row(["all charts", "", format(goSum / 1000), format(ourSum / 1000), format(ourSum / goSum),
                   format(goSum / ourSum) + "×"], widths: widths))
        let geometricMean = exp(ratios.map(log).reduce(0, +) / Double(ratios.count))
        print("ratio ours/go: \(format(ourSum / goSum)) over all compared files (geometric mean per chart \(format(geometricMean)));"
              + " target ≤ 0.67, ours at least 1.5× faster than Go's")
    }

    struct Timing { var nanoseconds: Double; var bytes: Int }

    /// The Go reference could not run the chart's templates (a parse error, a missing function).
    struct ReferenceFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { "Go reference: \(message)" }
    }

    /// Template files of the chart itself (not its subcharts), relative to the chart folder.
    func templateFiles(in folder: URL) -> [String] {
        let templates = folder.appendingPathComponent("templates")
        guard let walker = FileManager.default.enumerator(atPath: templates.path) else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".tpl") || $0.hasSuffix(".yml") }
            .map { "templates/\($0)" }.sorted()
    }

    func goTimings(folder: URL, files: [String]) throws -> [String: Timing] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: goReference)
        process.currentDirectoryURL = folder
        process.arguments = ["-f", "values.yaml", "-runs", "\(runs)"] + files
        let out = Pipe()
        let errors = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReferenceFailure(message: String(decoding: message, as: UTF8.self).trimmingCharacters(in: .newlines))
        }
        var timings: [String: Timing] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let ns = Double(fields[1]), let bytes = Int(fields[2]) else { continue }
            timings[String(fields[0])] = Timing(nanoseconds: ns, bytes: bytes)
        }
        return timings
    }

    func ourTimings(folder: URL, files: [String]) throws -> [String: Timing] {
        var set = TemplateSet(functions: Self.functions, options: ExecutionOptions(missingValueText: "<no value>"))
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            try set.parse(name: file, text: text)
        }
        let valuesText = try String(contentsOf: folder.appendingPathComponent("values.yaml"), encoding: .utf8)
        let data: Value = [
            "Values": try YAML.parse(valuesText, source: "values.yaml", numbers: .helm),
            "Release": ["Name": "release-name", "Namespace": "default", "Service": "Helm",
                        "IsInstall": true, "IsUpgrade": false, "Revision": 1],
            "Chart": ["Name": "chart", "Version": "0.1.0", "AppVersion": "1.0.0"],
            "Capabilities": ["KubeVersion": ["Version": "v1.30.0", "Major": "1", "Minor": "30", "GitVersion": "v1.30.0"]],
        ]
        var timings: [String: Timing] = [:]
        for file in files where !(file.split(separator: "/").last ?? "").hasPrefix("_") {
            guard let output = try? set.execute(file, data: data) else { continue }
            let ns = nanosecondsPerRun(runs: runs) { _ = try? set.execute(file, data: data) }
            timings[file] = Timing(nanoseconds: ns, bytes: output.utf8.count)
        }
        return timings
    }

    /// Sprig plus the Helm helpers the Go reference defines, with the same meaning.
    static let functions: FunctionLibrary = {
        var library = Sprig.library(entropy: SystemEntropy(), clock: SystemClock())
        library["include"] = TemplateFunction(arity: 2) { arguments, execution in
            .string(try execution.execute(templateNamed: arguments[0].stringValue ?? "", data: arguments[1]))
        }
        library["tpl"] = TemplateFunction(arity: 2) { arguments, execution in
            .string(try execution.execute(text: arguments[0].stringValue ?? "", data: arguments[1]))
        }
        library["lookup"] = TemplateFunction(arity: 4) { _, _ in .map([:]) }
        return library
    }()
}

func format(_ number: Double) -> String { String(format: "%.2f", number) }
