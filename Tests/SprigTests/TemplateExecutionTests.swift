import GoTemplate
import Testing
import Unstructured
@testable import Sprig

/// A template run through the real GoTemplate engine with the Sprig library, and what
/// gotemplate-ref printed for it (or its error) with the same values.
struct TemplateCase: CustomTestStringConvertible, Sendable {
    let text: String
    let output: String?
    let error: String?

    init(_ text: String, prints output: String) { (self.text, self.output, self.error) = (text, output, nil) }
    init(_ text: String, fails error: String) { (self.text, self.output, self.error) = (text, nil, error) }

    var testDescription: String { text }
}

@Suite struct TemplateExecutionTests {
    /// The values gotemplate-ref read from its values file: numbers are floats, as Helm reads them.
    static let data: Value = [
        "Values": [
            "num": .float(3), "fl": .float(3.7), "str": "hi", "lst": ["a", .float(1), nil],
            "m": ["b": .float(1), "a": "x"], "big": .float(1_000_000),
        ],
        "Release": ["Name": "release-name", "Namespace": "default"],
    ]

    static let cases: [TemplateCase] = [
        TemplateCase("{{- template \"x\" . }}", prints: "inc:hi"),
        TemplateCase("{{ .Values.m | toYaml | nindent 2 }}", prints: "\n  a: x\n  b: 1"),
        TemplateCase("{{ toYaml .Values }}", prints: "big: 1000000\nfl: 3.7\nlst:\n- a\n- 1\n- null\nm:\n  a: x\n  b: 1\nnum: 3\nstr: hi"),
        TemplateCase("{{ dict \"b\" 2 \"a\" (list 1 \"x\" nil) | toYaml }}", prints: "a:\n- 1\n- x\n- null\nb: 2"),
        TemplateCase("{{ .Values.lst | toJson }}|{{ .Values | toJson }}", prints: "[\"a\",1,null]|{\"big\":1000000,\"fl\":3.7,\"lst\":[\"a\",1,null],\"m\":{\"a\":\"x\",\"b\":1},\"num\":3,\"str\":\"hi\"}"),
        TemplateCase("{{ toPrettyJson .Values.m }}", prints: "{\n  \"a\": \"x\",\n  \"b\": 1\n}"),
        TemplateCase("{{ .Values.str | quote }}|{{ .Values.num | quote }}|{{ .Values.missing | quote }}", prints: "\"hi\"|\"3\"|"),
        TemplateCase("{{ default \"none\" .Values.missing }}|{{ default \"none\" .Values.str }}|{{ .Values.missing | default 5 }}", prints: "none|hi|5"),
        TemplateCase("{{ printf \"%s-%s\" .Release.Name \"svc\" | trunc 63 | trimSuffix \"-\" }}", prints: "release-name-svc"),
        TemplateCase("{{ if hasKey .Values.m \"a\" }}yes{{ end }}|{{ if empty .Values.missing }}empty{{ end }}|{{ if contains \"i\" .Values.str }}c{{ end }}", prints: "yes|empty|c"),
        TemplateCase("{{ $x := fromYaml \"a: 1\\nb: [2, 3]\\nc: {d: e}\" }}{{ $x.a }}|{{ index $x.b 1 }}|{{ $x.c.d }}|{{ typeOf $x.a }}", prints: "1|3|e|float64"),
        TemplateCase("{{ (fromYaml \"- a\").Error }}", prints: "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"),
        TemplateCase("{{ fromYamlArray \"- 1\\n- b\" }}|{{ fromYamlArray \"a: 1\" }}", prints: "[1 b]|[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}]"),
        TemplateCase("{{ range $i, $e := until 3 }}{{ $i }}{{ $e }},{{ end }}", prints: "00,11,22,"),
        TemplateCase("{{ range splitList \",\" \"a,b,c\" }}[{{ . | upper }}]{{ end }}", prints: "[A][B][C]"),
        TemplateCase("{{ .Values.big | int64 }}|{{ .Values.fl | int }}|{{ .Values.num | add 2 }}|{{ mul .Values.num 2 }}|{{ .Values.fl | floor }}", prints: "1000000|3|5|6|3"),
        TemplateCase("{{ semverCompare \">=1.21-0\" \"v1.30.0\" }}|{{ (semver \"1.30.2\").Minor }}|{{ semver \"v1.2\" }}", prints: "true|30|1.2.0"),
        TemplateCase("{{ b64enc \"user:pass\" }}|{{ \"dXNlcjpwYXNz\" | b64dec }}|{{ sha256sum \"x\" | trunc 8 }}", prints: "dXNlcjpwYXNz|user:pass|2d711642"),
        TemplateCase("{{ ternary \"a\" \"b\" (eq .Values.str \"hi\") }}|{{ coalesce .Values.missing .Values.str }}", prints: "a|hi"),
        TemplateCase("{{ join \",\" (keys .Values.m | sortAlpha) }}|{{ pick .Values.m \"a\" | toYaml }}|{{ omit .Values.m \"a\" | toJson }}", prints: "a,b|a: x|{\"b\":1}"),
        TemplateCase("{{ regexReplaceAll \"[^a-z]\" \"Ab-C1d\" \"\" }}|{{ regexMatch \"^[0-9]+$\" \"123\" }}|{{ regexFind \"[0-9]+\" \"ab12cd\" }}", prints: "bd|true|12"),
        TemplateCase("{{ toString .Values.num }}|{{ toString .Values.fl }}|{{ toString .Values.big }}|{{ kindOf .Values.num }}|{{ kindIs \"float64\" .Values.fl }}", prints: "3|3.7|1e+06|float64|true"),
        TemplateCase("{{ merge (dict \"a\" 1) .Values.m | toJson }}|{{ mergeOverwrite (dict \"a\" 1 \"z\" 2) .Values.m | toJson }}", prints: "{\"a\":1,\"b\":1}|{\"a\":\"x\",\"b\":1,\"z\":2}"),
        TemplateCase("{{ list 3 1 2 | sortAlpha }}|{{ list \"b\" \"a\" | uniq | join \"+\" }}|{{ concat (list 1) .Values.lst | len }}|{{ first .Values.lst }}|{{ last .Values.lst }}", prints: "[1 2 3]|b+a|4|a|"),
        TemplateCase("{{ \"hello world\" | title | replace \" \" \"_\" | lower | repeat 2 }}", prints: "hello_worldhello_world"),
        TemplateCase("{{ .Values.m | deepCopy | toYaml | indent 4 }}", prints: "    a: x\n    b: 1"),
        TemplateCase("{{ urlParse \"http://a.b:80/x?y=1\" | toJson }}", prints: "{\"fragment\":\"\",\"host\":\"a.b:80\",\"hostname\":\"a.b\",\"opaque\":\"\",\"path\":\"/x\",\"query\":\"y=1\",\"scheme\":\"http\",\"userinfo\":\"\"}"),
        TemplateCase("{{ required \"str is required\" .Values.str }}", prints: "hi"),
        TemplateCase("{{ required \"need .Values.missing\" .Values.missing }}", fails: "template: t.yaml:1:3: executing \"t.yaml\" at <required \"need .Values.missing\" .Values.missing>: error calling required: need .Values.missing"),
        TemplateCase("{{ fail \"stop here\" }}", fails: "template: t.yaml:1:3: executing \"t.yaml\" at <fail \"stop here\">: error calling fail: stop here"),
        TemplateCase("{{ dig \"m\" \"a\" \"def\" .Values }}|{{ dig \"m\" \"zz\" \"def\" .Values }}", prints: "x|def"),
        TemplateCase("{{ date \"2006-01-02\" (toDate \"2006-01-02T15:04:05Z07:00\" \"2024-02-29T23:30:00+02:00\") }}|{{ dateInZone \"15:04 MST\" (toDate \"2006-01-02\" \"2024-07-01\") \"Europe/Berlin\" }}", prints: "2024-02-29|02:00 CEST"),
        TemplateCase("{{ untilStep 1 10 4 | toJson }}|{{ seq 3 }}|{{ chunk 2 (list 1 2 3) | toJson }}", prints: "[1,5,9]|1 2 3|[[1,2],[3]]"),
        TemplateCase("{{ toRawJson (dict \"h\" \"<b>\") }}|{{ toJson (dict \"h\" \"<b>\") }}|{{ mustToJson 1.5 }}|{{ toJson nil }}", prints: "{\"h\":\"<b>\"}|{\"h\":\"\\u003cb\\u003e\"}|1.5|null"),
        TemplateCase("{{ cat \"a\" .Values.missing \"b\" }}|{{ nospace \"a b\" }}|{{ abbrev 6 \"hello world\" }}|{{ wrap 5 \"aa bb cc\" | nindent 1 }}", prints: "a b|ab|hel...|\n aa bb\n cc"),
        TemplateCase("{{ get .Values.m \"a\" }}|{{ pluck \"a\" .Values.m (dict \"a\" 9) | toJson }}|{{ values (dict \"x\" 1) }}", prints: "x|[\"x\",9]|[1]"),
        TemplateCase("{{ maxf 1 .Values.fl }}|{{ divf .Values.num 2 }}|{{ round .Values.fl 0 }}|{{ max 1 .Values.num }}", prints: "3.7|1.5|4|3"),
        TemplateCase("{{ without .Values.lst \"a\" | toJson }}|{{ has \"a\" .Values.lst }}|{{ compact .Values.lst | len }}|{{ reverse .Values.lst | toJson }}|{{ slice .Values.lst 1 | toJson }}", prints: "[1,null]|true|2|[null,1,\"a\"]|[1,null]"),
        // Go's int (literals, len, int, atoi, until) and int64 (sprig's arithmetic, int64, toDecimal)
        // print alike but are different types: duration reads only int64, deepEqual and has tell them apart.
        TemplateCase(#"{{ typeOf 3 }} {{ typeOf (len "abc") }} {{ typeOf (add 1 2) }} {{ typeOf (int 1) }} {{ typeOf (int64 1) }} {{ typeOf (atoi "1") }} {{ typeOf (max 1 2) }} {{ typeOf (toDecimal "7") }} {{ typeOf (index (until 3) 1) }} {{ typeOf .Values.num }} {{ kindOf (mul 2 2) }}"#,
                     prints: "int int int64 int int64 int int64 int64 int float64 int64"),
        TemplateCase(#"{{ duration 3700 }}|{{ duration (int64 3700) }}|{{ duration (add 3700 0) }}|{{ duration (int 3700) }}|{{ duration "3700" }}|{{ duration .Values.num }}|{{ durationRound (mul 3600 1000000000) }}|{{ durationRound 5 }}"#,
                     prints: "0s|1h1m40s|1h1m40s|0s|1h1m40s|0s|60m|0s"),
        TemplateCase(#"{{ eq 3 (add 1 2) }}|{{ deepEqual 3 (add 1 2) }}|{{ has (add 1 2) (list 1 2 3) }}|{{ lt 2 (add 1 2) }}|{{ list 1 (int64 1) 1 | uniq }}|{{ index (list 1 2 3) (add 1 0) }}|{{ printf "%T %d %x %v" (add 1 1) (int64 255) (int64 255) (sub 0 7) }}"#,
                     prints: "true|false|false|true|[1 1]|2|int64 255 ff -7"),
        TemplateCase(#"{{ deepEqual (toDate "2006-01-02" "2024-01-01") (toDate "2006-01-02" "2024-01-01") }}|{{ deepEqual (toDate "2006-01-02" "2024-01-01") (toDate "2006-01-02" "2024-01-02") }}|{{ deepEqual (int64 1) (add 1 0) }}"#,
                     prints: "true|false|true"),
        TemplateCase(#"{{ if sub 1 1 }}y{{ else }}n{{ end }}|{{ default 5 (sub 1 1) }}|{{ toJson (dict "a" (add 1 1)) }}|{{ date "2006" (int64 1720000000) }}|{{ date "2006" 1720000000 }}|{{ typeOf now.Unix }}|{{ typeOf now.Year }}|{{ empty (int64 0) }}|{{ (add 1 1) | toString }}"#,
                     prints: #"n|5|{"a":2}|2024|2024|int64|int|true|2"#),
    ]

    /// Go's `set`, `unset` and `merge` family change the map they are given, and every
    /// alias of it sees the change; recorded from gotemplate-ref with values `{a: 1, w: {q: 3}}`.
    static let changedInPlace: [TemplateCase] = [
        TemplateCase(#"{{ $d := dict "k" "v" }}{{ $_ := set $d "n" 1 }}{{ $d.n }}|{{ toYaml $d }}"#, prints: "1|k: v\n\"n\": 1"),
        TemplateCase(
            #"{{ $p := dict "a" 1 "in" (dict "x" 1) }}{{ $_ := unset $p "a" }}{{ $_ := mustMergeOverwrite $p (dict "in" (dict "y" 2) "b" 3) }}{{ toJson $p }}"#,
            prints: #"{"b":3,"in":{"x":1,"y":2}}"#),
        TemplateCase(
            #"{{ $q := dict "a" "" "c" 1 }}{{ $_ := merge $q (dict "a" 5 "c" 6) (dict "d" 7) }}{{ toJson $q }}"#,
            prints: #"{"a":5,"c":1,"d":7}"#),
        TemplateCase(
            #"{{ $r := dict "a" 1 }}{{ $_ := mergeOverwrite $r (dict "a" 2) }}{{ $_ := mustMerge $r (dict "b" 3) }}{{ toJson $r }}"#,
            prints: #"{"a":2,"b":3}"#),
        TemplateCase(
            #"{{ $defaults := dict "x" 1 "w" (dict "z" 2) }}{{ $b := set $ "Values" (mustMergeOverwrite $defaults $.Values) }}{{ toJson .Values }}|{{ toJson $defaults }}"#,
            prints: #"{"a":1,"w":{"q":3,"z":2},"x":1}|{"a":1,"w":{"q":3,"z":2},"x":1}"#),
        TemplateCase(#"{{ $_ := unset $.Values "a" }}{{ toJson .Values }}"#, prints: #"{"w":{"q":3}}"#),
        TemplateCase(
            #"{{ $root := .Values }}{{ $_ := set (index $root "w") "k" "v" }}{{ $e := index .Values "w" }}{{ $_ := set $e "e" 2 }}{{ toJson .Values }}|{{ toJson $e }}"#,
            prints: #"{"a":1,"w":{"e":2,"k":"v","q":3}}|{"e":2,"k":"v","q":3}"#),
        TemplateCase(#"{{ $c := deepCopy $.Values }}{{ $_ := set $c "v" 1 }}{{ toJson .Values }}"#, prints: #"{"a":1,"w":{"q":3}}"#),
    ]

    @Test(arguments: changedInPlace) func mapFunctionsChangeTheirArgumentInPlace(_ example: TemplateCase) throws {
        var set = TemplateSet(functions: standIn, options: ExecutionOptions(missingValueText: ""))
        try set.parse(name: "t.yaml", text: example.text)
        let data: Value = ["Values": ["a": 1.0, "w": ["q": 3.0]]]
        #expect(try set.execute("t.yaml", data: data) == example.output)
    }

    @Test(arguments: cases) func rendersAsGoRenders(_ example: TemplateCase) throws {
        var set = TemplateSet(functions: standIn, options: ExecutionOptions(missingValueText: ""))
        try set.parse(name: "_h.yaml", text: #"{{- define "x" -}}inc:{{ .Values.str }}{{- end -}}"#)
        try set.parse(name: "t.yaml", text: example.text)
        do {
            let output = try set.execute("t.yaml", data: Self.data)
            #expect(output == example.output)
        } catch {
            #expect(error.description == example.error)
        }
    }
}

@Suite struct SerializationTests {
    @Test func helmDecodersReturnTheirErrorsAsValues() throws {
        #expect(try printed("fromYaml", "") == "map[]")
        #expect(try printed("fromYaml", "x") == "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}]")
        #expect(try printed("fromYaml", "a: [") == "map[Error:error converting YAML to JSON: yaml: line 1: did not find expected node content]")
        #expect(try printed("fromYamlArray", "[") == "[error converting YAML to JSON: yaml: line 1: did not find expected node content]")
        #expect(try call("fromJson", #"{"a": 1, "b": [2]}"#) == ["a": .float(1), "b": [.float(2)]])
        #expect(try printed("fromJson", "[1]") == "map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]")
        #expect(try call("fromJsonArray", "[1, \"a\"]") == [.float(1), "a"])
        #expect(try call("mustFromJson", "[1]") == [.float(1)])
        #expect(failure("mustFromJson", "[1") != nil)
    }

    @Test func encodersMatchGo() throws {
        #expect(try printed("toYaml", nil) == "null")
        #expect(try printed("toYaml", "") == "\"\"")
        #expect(try printed("toYaml", [1, "a"]) == "- 1\n- a")
        #expect(try printed("mustToYaml", ["a": 1]) == "a: 1")
        #expect(try printed("toPrettyJson", ["b": [1, [:]], "a": "<x>", "c": []])
            == "{\n  \"a\": \"\\u003cx\\u003e\",\n  \"b\": [\n    1,\n    {}\n  ],\n  \"c\": []\n}")
        #expect(try printed("toPrettyJson", nil) == "null")
        #expect(try printed("toRawJson", ["a": "<x>&"]) == #"{"a":"<x>&"}"#)
        #expect(try printed("toRawJson", ["a": #"\u003c"#]) == #"{"a":"\\u003c"}"#)
        #expect(try printed("toJson", ["a": "<x>&"]) == #"{"a":"\u003cx\u003e\u0026"}"#)
    }

    /// BurntSushi/toml's layout; not checked against Go (gotemplate-ref has no `toToml`).
    @Test func tomlLaysOutTablesAfterValues() throws {
        let value: Value = ["title": "x", "n": .float(2), "owner": ["name": "a b", "tags": ["p", "q"]], "skip": nil,
                            "servers": [["ip": "1"], ["ip": "2"]]]
        #expect(try printed("toToml", value) == """
            n = 2.0
            title = "x"

            [owner]
              name = "a b"
              tags = ["p", "q"]

            [[servers]]
              ip = "1"

            [[servers]]
              ip = "2"

            """)
        #expect(try printed("toToml", [1]) == "toml: top-level values must be Go maps or structs")
    }
}
