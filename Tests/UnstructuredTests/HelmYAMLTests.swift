import Foundation
import Testing
@testable import Unstructured

@Suite struct HelmYAMLTests {
    /// Every `Fixtures/helm-yaml/NAME.yaml` was given to gotemplate-ref as a values file with
    /// the template `{{ toYaml .Values }}`; `NAME.out` is what Go printed (toYaml's result
    /// and a newline).
    static let cases: [String] = {
        let folder = Fixtures.root.appendingPathComponent("helm-yaml")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }()

    @Test(arguments: cases)
    func matchesGoToYaml(name: String) throws {
        let values = try YAML.parse(try Fixtures.text("helm-yaml/\(name).yaml"), numbers: .helm)
        let expected = try Fixtures.text("helm-yaml/\(name).out")
        var printed = YAML.helmString(values)
        if printed.hasSuffix("\n") { printed.removeLast() }
        #expect(printed + "\n" == expected)
        if printed + "\n" != expected {
            let got = (printed + "\n").split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, (a, b)) in zip(got, want).enumerated() where a != b {
                Issue.record("line \(index + 1):\n got: \(a)\nwant: \(b)")
                break
            }
        }
    }

    @Test func fixturesArePresent() {
        #expect(Self.cases.count >= 8)
    }

    @Test func topLevelScalarsAndEmptyCollections() {
        #expect(YAML.helmString("abc") == "abc\n")
        #expect(YAML.helmString(nil) == "null\n")
        #expect(YAML.helmString([]) == "[]\n")
        #expect(YAML.helmString([:]) == "{}\n")
        #expect(YAML.helmString("a\nb\n") == "|\n  a\n  b\n")
        #expect(YAML.helmString(1.5) == "1.5\n")
        #expect(YAML.helmString(.int(1_000_000)) == "1000000\n")
        #expect(YAML.helmString(.float(1_000_000)) == "1000000\n")
    }

    @Test func whatJSONCannotCarryPrintsNothing() {
        #expect(YAML.helmString(["a": .float(.infinity)]) == "")
        #expect(YAML.helmString(["a": [.float(.nan)]]) == "")
        #expect(YAML.helmString(["a": "x\u{7F}y"]) == "")
        #expect(YAML.helmString(["x\u{80}": 1]) == "")
    }

    /// Keys whose JSON text exceeds YAML's 1024-character simple-key limit make `Marshal`
    /// fail (gotemplate-ref printed nothing for them, and the `? key` form just below it).
    @Test func keysBeyondTheSimpleKeyLimitPrintNothing() {
        let longest = String(repeating: "k", count: 1022)
        #expect(YAML.helmString([.init(longest): 1]) == "? \(longest)\n: 1\n")
        #expect(YAML.helmString([.init(longest + "k"): 1]) == "")
        let escaped = String(repeating: "<", count: 170)
        #expect(YAML.helmString([.init(escaped): 1]) == "? \(escaped)\n: 1\n")
        #expect(YAML.helmString([.init(escaped + "<"): 1]) == "")
    }

    @Test func nelFoldsAsGoYAMLReadsItBack() {
        #expect(YAML.helmString(["a": "x \u{85} y", "b": "x\u{85}\u{85}y", "d": "\u{85}x\u{85}"])
            == "a: x y\nb: |-\n  x\n  y\nd: ' x '\n")
    }

    @Test func keyOrderIsGoYAMLsNaturalOrder() {
        let keys = ["a10", "a9", "a1", "a01", "B", "_x", "1", "10", "2", "", "é"]
        #expect(keys.sorted(by: SigsYAML.keyOrder) == ["", "_x", "1", "2", "10", "B", "a1", "a01", "a9", "a10", "é"])
    }
}
