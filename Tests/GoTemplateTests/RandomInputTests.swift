import GoTemplate
import Testing
import Unstructured

/// Thousands of mutated templates, from a fixed seed: parsing and executing them must end in
/// output or a `TemplateError`, never a crash or a hang.
@Suite struct RandomInputTests {
    /// SplitMix64: small, fast and the same on every platform, so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds = [
        #"{{ range $i, $e := .Values.l }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $e }}{{ end }}"#,
        #"{{- with .Values.m }}{{ .k | printf "%q" }}{{ else }}none{{ end -}}"#,
        #"{{ define "d" }}{{ .x }}{{ template "e" . }}{{ end }}{{ define "e" }}{{ len . }}{{ end }}{{ include "d" (dict "x" 1) }}"#,
        #"{{ $x := 1 }}{{ if and .Values.t (not .Values.e) }}{{ $x = 2 }}{{ end }}{{ printf "%05.2f|%-4d|%s" 1.5 $x .Values.s }}"#,
        #"{{/* comment */}}{{ index .Values.m "a" 1 }} {{ (list 1 2 3) | len }} {{ block "b" . }}B{{ end }}"#,
        #"{{ range 3 }}{{ . }}{{ else }}x{{ end }}{{ tpl "{{ .Values.s }}" . }}{{ .Capabilities.APIVersions.Has "v1" }}"#,
    ]

    static let fragments = [
        "{{", "}}", "{{-", "-}}", " ", "(", ")", "|", "$", "$x", ":=", "=", ".", ".Values", ".a", "\"", "'",
        "`", "/*", "*/", "if", "else", "end", "range", "with", "define", "template", "block", "break",
        "continue", "nil", "true", "1", "-1", "0x1F", "1e3", "'a'", "\"s\"", ",", "\n", "printf", "index",
        "len", "eq", "and", "or", "not", "print", "html", "slice", "include", "tpl", "%", "%d", "é", "\\",
    ]

    static func mutate(_ text: String, using generator: inout Generator) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = characters.isEmpty ? 0 : Int.random(in: 0...characters.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0:
                characters.insert(contentsOf: fragments.randomElement(using: &generator) ?? "", at: position)
            case 1:
                if position < characters.count {
                    let end = min(characters.count, position + Int.random(in: 1...6, using: &generator))
                    characters.removeSubrange(position..<end)
                }
            default:
                if position < characters.count {
                    characters[position] = Character(fragments.randomElement(using: &generator)?.first.map(String.init) ?? " ")
                }
            }
        }
        return String(characters)
    }

    @Test func mutatedTemplatesNeverCrash() {
        var generator = Generator(state: 20_261_121)
        var rendered = 0
        var failed = 0
        let options = ExecutionOptions(missingValueText: "", maxDepth: 50)
        for round in 0..<4000 {
            let seed = Self.seeds[round % Self.seeds.count]
            let text = Self.mutate(seed, using: &generator)
            var set = TemplateSet(functions: Fixture.functions, options: options)
            do {
                try set.parse(name: "t.tpl", text: text)
                _ = try set.execute("t.tpl", data: Fixture.data)
                rendered += 1
            } catch {
                failed += 1
                #expect(error.description.hasPrefix("template: "), "\(text)")
                if let line = error.line {
                    #expect(line >= 1 && line <= text.split(separator: "\n", omittingEmptySubsequences: false).count + 1, "\(text)")
                }
            }
        }
        // The mutations reach both outcomes, so both paths were exercised.
        #expect(rendered > 200)
        #expect(failed > 200)
    }

    @Test func randomBytesNeverCrash() {
        var generator = Generator(state: 7)
        let alphabet = Array("{}()|$.:=\"'`/*- \nabcxyz019eE_\\%é")
        for _ in 0..<2000 {
            let text = String((0..<Int.random(in: 0..<60, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator) ?? " "
            })
            var set = TemplateSet(functions: Fixture.functions)
            do {
                try set.parse(name: "r", text: text)
                _ = try set.execute("r", data: Fixture.data)
            } catch {
                #expect(error.description.hasPrefix("template: "), "\(text)")
            }
        }
    }
}
