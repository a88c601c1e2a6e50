import GoTemplate
import Testing
import Unstructured

/// Behaviour the reference cases cannot record: where we follow Go releases newer than the
/// reference tool's Go 1.19, where we deliberately differ, and the API around the language.
@Suite struct LanguageTests {
    // MARK: Go 1.22+ and 1.23+ additions

    @Test func rangeOverAnInteger() throws {
        #expect(try render("{{ range 3 }}{{ . }}{{ end }}") == "012")
        #expect(try render("{{ range $i := 3 }}[{{ $i }}]{{ end }}") == "[0][1][2]")
        #expect(try render("{{ range 0 }}x{{ else }}none{{ end }}") == "none")
        #expect(try render("{{ range -2 }}x{{ else }}none{{ end }}") == "none")
        #expect(try render("{{ range 5 }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}") == "01")
        #expect(
            renderError("{{ range $i, $e := 3 }}{{ end }}")?.description
                == #"template: t.tpl:1:19: executing "t.tpl" at <3>: can't use 3 to iterate over more than one variable"#)
    }

    @Test func elseWithChains() throws {
        #expect(try render("{{ with .Values.e }}a{{ else with .Values.s }}{{ . }}{{ end }}") == "hello")
        #expect(try render("{{ with .Values.e }}a{{ else with .Values.el }}b{{ else }}c{{ end }}") == "c")
    }

    @Test func complexNumbersAreRefusedWhenParsed() {
        let error = renderError("{{ 1i }}")
        #expect(error?.kind == .parse)
        #expect(error?.description == #"template: t.tpl:1: complex number "1i" is not supported"#)
    }

    // MARK: The builtin slice (sprig's slice shadows it in gotemplate-ref)

    @Test func sliceBuiltin() throws {
        let noFunctions: FunctionLibrary = [:]
        #expect(try render(#"{{ slice "hello" 1 3 }}"#, functions: noFunctions) == "el")
        #expect(try render(#"{{ slice "hello" 2 }}"#, functions: noFunctions) == "llo")
        #expect(try render(#"{{ slice "hello" }}"#, functions: noFunctions) == "hello")
        #expect(try render("{{ slice .Values.l 1 }}", functions: noFunctions) == "[a <nil>]")
        #expect(try render("{{ slice .Values.l 0 1 2 }}", functions: noFunctions) == "[1]")
        let failures = [
            (#"{{ slice "hello" 3 1 }}"#, "invalid slice index: 3 > 1"),
            (#"{{ slice "hello" 1 2 3 }}"#, "cannot 3-index slice a string"),
            (#"{{ slice "hello" 9 }}"#, "index out of range: 9"),
            ("{{ slice .Values.m 1 }}", "can't slice item of type map[string]interface {}"),
            ("{{ slice nil 1 }}", "slice of untyped nil"),
            ("{{ slice .Values.l 0 1 2 3 }}", "too many slice indexes: 4"),
        ]
        for (template, message) in failures {
            var set = TemplateSet(functions: noFunctions)
            #expect(throws: TemplateError.self) { try set.parse(name: "t", text: template); _ = try set.execute("t", data: Fixture.data) }
            do {
                try set.parse(name: "t", text: template)
                _ = try set.execute("t", data: Fixture.data)
            } catch {
                #expect(error.kind == .function("slice"))
                #expect(error.message == message)
            }
        }
    }

    @Test func callHasNothingToCall() {
        #expect(renderError("{{ call .Values.s }}")?.message == "non-function of type string")
        #expect(renderError("{{ call nil }}")?.message == "call of nil")
    }

    // MARK: Missing values

    @Test func missingValuesPrintAsConfigured() throws {
        #expect(try render("[{{ .Values.missing }}]", options: ExecutionOptions()) == "[<no value>]")
        #expect(try render("[{{ .Values.missing }}]") == "[]")
        #expect(try render("[{{ .Values.z }}]", options: ExecutionOptions(missingValueText: "-")) == "[-]")
        // Inside collections and function arguments Go prints nil itself, whatever the option.
        #expect(try render("{{ .Values.l }} {{ print .Values.z }}") == "[1 a <nil>] <nil>")
        #expect(try render("{{ html .Values.z }}") == "&lt;no value&gt;")
    }

    // MARK: Structured errors

    @Test func parseErrorsAreStructured() throws {
        let error = try #require(renderError("a\n{{ if 1 }}\nb"))
        #expect(error.kind == .parse)
        #expect(error.template == "t.tpl")
        #expect(error.line == 3)
        #expect(error.column == nil)
        #expect(error.message == "unexpected EOF")
        #expect(error.description == "template: t.tpl:3: unexpected EOF")
    }

    @Test func executionErrorsAreStructured() throws {
        let error = try #require(renderError("{{ define \"d\" }}\n  {{ .Values.z.x }}{{ end }}{{ template \"d\" . }}"))
        #expect(error.kind == .execution)
        #expect(error.template == "t.tpl")
        #expect(error.executing == "d")
        #expect(error.line == 2)
        #expect(error.column == 12)
        #expect(error.context == ".Values.z.x")
        #expect(error.message == "nil pointer evaluating interface {}.x")
    }

    @Test func functionErrorsKeepTheFunctionsMessage() throws {
        let error = try #require(renderError("x\n  {{ fail \"value 'foo' is required\" }}"))
        #expect(error.kind == .function("fail"))
        #expect(error.message == "value 'foo' is required")
        #expect((error.line, error.column) == (2, 5))
        #expect(
            error.description
                == #"template: t.tpl:2:5: executing "t.tpl" at <fail "value 'foo' is required">: error calling fail: value 'foo' is required"#)
    }

    @Test func errorsOfIncludedTemplatesAreKept() throws {
        let error = try #require(renderError(#"{{ define "d" }}{{ fail "inner" }}{{ end }}{{ include "d" . }}"#))
        #expect(error.kind == .function("include"))
        let inner = try #require(error.underlying)
        #expect(inner.kind == .function("fail"))
        #expect(inner.executing == "d")
        #expect(inner.message == "inner")
        #expect(error.message == inner.description)
    }

    @Test func missingTemplatesNameTheSet() throws {
        let set = TemplateSet(functions: [:], name: "gotpl")
        #expect(throws: TemplateError.self) { _ = try set.execute("nope", data: nil) }
        do {
            _ = try set.execute("nope", data: nil)
        } catch {
            #expect(error.description == #"template: no template "nope" associated with template "gotpl""#)
        }
    }

    // MARK: Depth limits: recursion fails with an error, never a crash

    @Test func templateRecursionStopsAtTheDepthLimit() throws {
        let text = #"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#
        let error = try #require(renderError(text, options: ExecutionOptions(missingValueText: "", maxDepth: 5)))
        #expect(error.message == "exceeded maximum template depth (5)")
        #expect(error.context == #"{{template "r" .}}"#)
    }

    @Test func unboundedRecursionIsAnErrorWithDefaultLimits() throws {
        for text in [
            #"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#,
            #"{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}"#,
            #"{{ define "r" }}x{{ tpl "{{ include \"r\" . }}" . }}{{ end }}{{ include "r" . }}"#,
        ] {
            let error = try #require(renderError(text))
            #expect(error.description.contains("exceeded maximum template depth"))
        }
    }

    @Test func deepNestingIsAParseError() throws {
        let parens = "{{ " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " }}"
        #expect(renderError(parens)?.kind == .parse)
        let ifs = String(repeating: "{{ if 1 }}", count: 5000) + String(repeating: "{{ end }}", count: 5000)
        #expect(renderError(ifs)?.kind == .parse)
        // Real templates nest far less, and that works.
        let fifty = String(repeating: "{{ if 1 }}", count: 50) + "ok" + String(repeating: "{{ end }}", count: 50)
        #expect(try render(fifty) == "ok")
    }

    // MARK: Template sets

    @Test func laterDefinitionsReplaceEarlierOnesButEmptyOnesDoNot() throws {
        var set = TemplateSet(functions: [:])
        try set.parse(name: "a", text: #"{{ define "x" }}first{{ end }}"#)
        try set.parse(name: "b", text: #"{{ define "x" }}second{{ end }}"#)
        try set.parse(name: "c", text: #"{{ define "x" }}  {{ end }}{{ template "x" }}"#)
        #expect(try set.execute("c", data: nil) == "second")
        #expect(set.contains("x") && set.contains("a") && !set.contains("y"))
        #expect(set.templateNames == ["a", "b", "c", "x"])
    }

    @Test func tplTextCanDefineAndUseTemplates() throws {
        let text = #"{{ tpl "{{ define \"q\" }}Q{{ . }}{{ end }}{{ template \"q\" 1 }}" . }}"#
        #expect(try render(text) == "Q1")
    }

    @Test func hostObjectMethodsTakeArgumentsAndPipedValues() throws {
        #expect(try render(#"{{ .Capabilities.APIVersions.Has "apps/v1" }}"#) == "true")
        #expect(try render(#"{{ "nope/v1" | .Capabilities.APIVersions.Has }}"#) == "false")
        #expect(try render(#"{{ if .Capabilities.APIVersions.Has "batch/v1/CronJob" }}cron{{ end }}"#) == "cron")
    }

    @Test func aParsedSetRunsConcurrently() async throws {
        var set = TemplateSet(functions: Fixture.functions)
        try set.parse(
            name: "t",
            text: #"{{ range $i, $e := .Values.l }}{{ $i }}={{ $e }};{{ end }}{{ include "d" .Values.m }}{{ define "d" }}{{ .k }}{{ end }}"#)
        let shared = set
        let expected = try shared.execute("t", data: Fixture.data)
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 { group.addTask { try shared.execute("t", data: Fixture.data) } }
            var all: [String] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 32)
        #expect(results.allSatisfy { $0 == expected })
        #expect(expected == "0=1;1=a;2=<no value>;v")
    }
}
