import Foundation
import Testing

/// One line of ../shared/chart-cases/cases.txt: `name | arguments`.
struct ChartCase: Sendable, CustomTestStringConvertible {
    let name: String
    let arguments: [String]
    var testDescription: String { name }

    static let folder = CLI.shared.appendingPathComponent("chart-cases")

    static let all: [ChartCase] = {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("cases.txt").path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let bar = trimmed.firstIndex(of: "|") else { return nil }
            let name = trimmed[..<bar].trimmingCharacters(in: .whitespaces)
            return ChartCase(name: name, arguments: shellWords(String(trimmed[trimmed.index(after: bar)...])))
        }
    }()

    func expected(_ suffix: String) -> String {
        let url = Self.folder.appendingPathComponent("expected/\(name).\(suffix)")
        return FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// Splits a line as a POSIX shell would for the quoting cases.txt uses: single quotes,
/// double quotes and backslashes.
func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in line {
        if escaped { current.append(character); escaped = false; continue }
        if let open = quote {
            if character == open { quote = nil } else if character == "\\" && open == "\"" { escaped = true } else { current.append(character) }
            continue
        }
        switch character {
        case "'", "\"": quote = character; inWord = true
        case "\\": escaped = true; inWord = true
        case " ", "\t":
            if inWord { words.append(current); current = ""; inWord = false }
        default: current.append(character); inWord = true
        }
    }
    if inWord { words.append(current) }
    return words
}

/// `file:line:col` (or `file:line`) locations and the text after the last location,
/// which together say where and why a render failed.
func errorLocations(_ text: String) -> [String] {
    let pattern = try? NSRegularExpression(pattern: #"[\w./-]+\.(?:yaml|tpl|txt):\d+(?::\d+)?"#)
    let range = NSRange(text.startIndex..., in: text)
    return (pattern?.matches(in: text, range: range) ?? []).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
}

@Suite struct TemplateCasesTests {
    @Test func casesAreComplete() {
        #expect(ChartCase.all.count == 22)
    }

    @Test(arguments: ChartCase.all)
    func matchesHelm(_ chartCase: ChartCase) async throws {
        let result = try await CLI.run(chartCase.arguments, in: ChartCase.folder)
        let expectedStatus = Int32(chartCase.expected("rc").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(result.status == expectedStatus, "stderr: \(result.stderr)")
        // The expected .out files were stored without the final newline Helm prints.
        var stdout = result.stdout
        if stdout.hasSuffix("\n") && !chartCase.expected("out").hasSuffix("\n") { stdout.removeLast() }
        #expect(stdout == chartCase.expected("out"))

        let expectedError = chartCase.expected("err")
        guard !expectedError.isEmpty else { return }
        #expect(result.stderr.hasPrefix("Error: "))
        #expect(errorLocations(result.stderr) == errorLocations(expectedError), "stderr: \(result.stderr)")
        // The cause: the message after the last location (or the whole first line).
        let cause = { (text: String) in
            (text.components(separatedBy: "\n").first ?? "").components(separatedBy: ": ").suffix(2).joined(separator: ": ")
        }
        #expect(cause(result.stderr) == cause(expectedError), "stderr: \(result.stderr)")
    }
}
