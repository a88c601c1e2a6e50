import Testing
@testable import Unstructured

@Suite struct YAMLReaderTests {
    /// Plain scalars as Helm reads them; the expectations are what gotemplate-ref (Go,
    /// sigs.k8s.io/yaml) printed for the same scalars with `%T %v` and `toJson`.
    static let helmScalars: [(String, Value)] = [
        ("yes", true), ("Yes", true), ("YES", true), ("yEs", "yEs"), ("y", true), ("n", false),
        ("on", true), ("off", false), ("~", nil), ("null", nil), ("Null", nil), ("NULL", nil),
        ("nULL", "nULL"), ("0x1F", 31.0), ("0o17", 15.0), ("0755", 493.0), ("08", 8.0),
        ("1_000", 1000.0), ("+1", 1.0), ("-0x10", -16.0), ("0b101", 5.0), ("-0b101", -5.0),
        (".5", 0.5), ("+.5", 0.5), ("1e400", "1e400"), ("99999999999999999999", 1e20),
        ("18446744073709551615", 18446744073709551615.0), ("9223372036854775807", 9223372036854775807.0),
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"), ("2002-12-14", "2002-12-14"),
        ("!!str 123", "123"), ("!!int \"12\"", 12.0), ("!!float 3", 3.0), ("!!bool \"true\"", true),
        ("!!null \"\"", nil), ("!!binary aGVsbG8=", "hello"), ("!!timestamp 2002-12-14", "2002-12-14"),
        ("1:20", "1:20"), ("190:20:30.15", "190:20:30.15"), ("\"\"", ""), ("1.", 1.0), ("1.e5", 100000.0),
        ("0.", 0.0), ("True", true), ("tRUE", "tRUE"), ("=", "="), ("<<", "<<"), ("12e3", 12000.0),
        ("0x_1F", 31.0), ("\"0x1F\"", "0x1F"), ("'yes'", "yes"), ("", nil),
    ]

    @Test(arguments: helmScalars)
    func scalarResolvesAsHelmReadsIt(text: String, expected: Value) throws {
        let document = try YAML.parse("a: \(text)\n", numbers: .helm)
        #expect(document["a"] == expected, "a: \(text)")
    }

    @Test func exactNumbersKeepIntegers() throws {
        let document = try YAML.parse("i: 42\nh: 0x10\nf: 1.5\nbig: 18446744073709551615\ne: 1e3\n")
        #expect(document == ["i": 42, "h": 16, "f": 1.5, "big": .float(18446744073709551615.0), "e": 1000.0])
        #expect(try YAML.parse("p: .inf\nm: -.Inf\n") == ["p": .float(.infinity), "m": .float(-.infinity)])
        // `n` is a boolean key in YAML 1.1, so it reads as "false".
        #expect(try YAML.parse("n: .nan\n")["false"].floatValue?.isNaN == true)
    }

    @Test func helmRefusesWhatJSONCannotHold() {
        #expect(throws: YAMLError.self) { try YAML.parse("a: .inf\n", numbers: .helm) }
        do {
            _ = try YAML.parse("a:\n  b: .nan\n", numbers: .helm)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2 && error.column == 6)
            #expect(error.message == "json: unsupported value: NaN")
        }
    }

    @Test func keysBecomeStringsAsSigsYAMLConvertsThem() throws {
        let document = try YAML.parse("1.5: a\n0.1: b\ntrue: c\n1e3: d\n0x10: e\n10: f\n16777217.0: g\n")
        #expect(document == ["1.5": "a", "0.1": "b", "true": "c", "1000": "d", "16": "e", "10": "f", "1.6777216e+07": "g"])
        #expect(throws: YAMLError.self) { try YAML.parse("~: x\n") }
        #expect(throws: YAMLError.self) { try YAML.parse("[a]: x\n") }
        #expect(throws: YAMLError.self) { try YAML.parse("{a: 1}: x\n") }
    }

    @Test func duplicateKeysKeepTheLastValueInTheFirstPosition() throws {
        let document = try YAML.parse("a: 1\nb: 2\na: 3\n")
        #expect(document == ["a": 3, "b": 2])
        #expect(document.mapValue?.keys.elements == ["a", "b"])
    }

    @Test func insertionOrderIsKept() throws {
        let document = try YAML.parse("z: 1\na: 2\nm: 3\n")
        #expect(document.mapValue?.keys.elements == ["z", "a", "m"])
    }

    @Test func anchorsAliasesAndMerges() throws {
        let text = """
            base: &base {a: 1, b: 2}
            other: &other {b: 20, c: 30}
            one:
              <<: *base
              b: 3
            two:
              b: 3
              <<: *base
            many:
              <<: [*base, *other]
            quoted:
              "<<": *base
            tagged:
              !!merge <<: *other
            list: &l [1, 2]
            again: *l
            """
        let document = try YAML.parse(text)
        #expect(document["one"] == ["a": 1, "b": 3])
        #expect(document["two"] == ["b": 2, "a": 1])
        #expect(document["many"] == ["a": 1, "b": 2, "c": 30])
        #expect(document["quoted"] == ["<<": ["a": 1, "b": 2]])
        #expect(document["tagged"] == ["b": 20, "c": 30])
        #expect(document["again"] == [1, 2])
        #expect(throws: YAMLError.self) { try YAML.parse("a: 1\nb:\n  <<: *missing\n") }
        #expect(throws: YAMLError.self) { try YAML.parse("a: &x 1\nb:\n  <<: *x\n") }
    }

    @Test func aliasBombIsRefused() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            let items = Array(repeating: previous, count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(items)]\n"
        }
        do {
            _ = try YAML.parse(text)
            Issue.record("an alias bomb was accepted")
        } catch {
            #expect(error.message == "document contains excessive aliasing")
        }
    }

    @Test func blockAndFlowStylesAndBlockScalars() throws {
        let text = """
            list:
            - a
            - {b: 1, c: [2, 3]}
            - - nested
            literal: |
              line one
                indented
              line three
            folded: >-
              folded
              text

              paragraph
            keep: |+
              kept

            plain: multi
              line plain
            """
        let document = try YAML.parse(text)
        #expect(document["list"] == ["a", ["b": 1, "c": [2, 3]], ["nested"]])
        #expect(document["literal"] == "line one\n  indented\nline three\n")
        #expect(document["folded"] == "folded text\nparagraph")
        #expect(document["keep"] == "kept\n\n")
        #expect(document["plain"] == "multi line plain")
    }

    @Test func documents() throws {
        let stream = "a: 1\n---\n- 2\n---\n---\nlast\n...\n"
        #expect(try YAML.parseDocuments(stream) == [["a": 1], [2], nil, "last"])
        #expect(try YAML.parseDocuments("") == [])
        #expect(try YAML.parse("") == nil)
        #expect(try YAML.parse("# only a comment\n") == nil)
        // Like go-yaml's Unmarshal, only the first document is read.
        #expect(try YAML.parse("a: 1\n---\n[unclosed\n") == ["a": 1])
    }

    @Test func syntaxErrorsNamePositionAndReadLikeHelm() {
        let cases: [(String, Int, Int, String)] = [
            ("a: b: c\n", 1, 5, "yaml: mapping values are not allowed in this context"),
            ("a:\n  - b\n c: d\n", 3, 2, "yaml: line 2: did not find expected key"),
            ("a: \"unterminated\n", 2, 1, "yaml: line 2: found unexpected end of stream"),
            ("- a\nb: c\n", 2, 1, "yaml: line 1: did not find expected '-' indicator"),
            ("a: [1, 2\n", 2, 1, "yaml: line 1: did not find expected ',' or ']'"),
            ("a: *unknown\n", 1, 4, "yaml: unknown anchor 'unknown' referenced"),
            ("a: !!int abc\n", 1, 4, "yaml: cannot decode !!str `abc` as a !!int"),
            ("a: !!binary $$$$\n", 1, 4, "yaml: !!binary value contains invalid base64 data"),
            ("a: 1\nb: x\u{1}y\n", 2, 5, "yaml: control characters are not allowed"),
        ]
        for (text, line, column, goText) in cases {
            do {
                _ = try YAML.parse(text, source: "values.yaml")
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.source == "values.yaml")
                #expect(error.goText == goText, "\(text)")
                #expect((error.line, error.column) == (line, column), "\(text): \(error)")
                #expect(error.description.hasPrefix("values.yaml:\(error.line):\(error.column): "))
            }
        }
    }

    @Test func nestingIsLimited() {
        let deep = String(repeating: "[", count: YAMLReader.maxNesting + 1) + String(repeating: "]", count: YAMLReader.maxNesting + 1)
        #expect(throws: YAMLError.self) { try YAML.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? YAML.parse(fine)) != nil)
    }

    /// Thousands of mutated documents: each must parse or throw, never crash or hang.
    @Test func randomInputNeverCrashes() {
        let seeds = [
            "a: 1\nb: [x, {y: z}]\nc: |\n  text\n", "- &a {k: v}\n- *a\n- <<: *a\n", "k: !!binary aGk=\n'q': \"\\u00e9\"\n",
            "--- >\n folded\n...\n---\n? complex\n: value\n", "x: !!int 0x1F\ny: !custom tag\nz: {<<: {a: 1}}\n",
        ]
        let alphabet = Array("-:[]{},&*!|>'\"#%@`?<= \n\t\\0123abcxyz~.".utf8)
        var random = SeededRandom(seed: 0x5E1D0)
        var outcomes = (parsed: 0, failed: 0)
        for round in 0..<4000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<(1 + random.next(below: 6)) {
                let position = random.next(below: bytes.count + 1)
                switch random.next(below: 3) {
                case 0: bytes.insert(alphabet[random.next(below: alphabet.count)], at: position)
                case 1: if position < bytes.count { bytes.remove(at: position) }
                default: if position < bytes.count { bytes[position] = alphabet[random.next(below: alphabet.count)] }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            for numbers in [NumberStyle.exact, .helm] {
                if (try? YAML.parseDocuments(text, numbers: numbers)) != nil { outcomes.parsed += 1 } else { outcomes.failed += 1 }
            }
        }
        #expect(outcomes.parsed > 0 && outcomes.failed > 0)
    }
}

/// A small deterministic generator (SplitMix64), so random-input tests replay exactly.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(below bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
}
