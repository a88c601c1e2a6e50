import Testing
@testable import Unstructured

@Suite struct YAMLStringTests {
    @Test func writesManifestsInInsertionOrder() {
        let manifest: Value = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "core", "labels": ["app": "seldon", "version": "1.0"]],
            "data": ["replicas": "3", "enabled": "yes", "script": "#!/bin/sh\necho hi\n", "empty": ""],
            "spec": ["ports": [["port": 80, "name": "http"]], "ratio": 1.0, "items": [], "selector": [:], "none": nil],
        ]
        #expect(YAML.string(manifest) == """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: core
              labels:
                app: seldon
                version: "1.0"
            data:
              replicas: "3"
              enabled: "yes"
              script: |
                #!/bin/sh
                echo hi
              empty: ""
            spec:
              ports:
              - port: 80
                name: http
              ratio: 1.0
              items: []
              selector: {}
              none: null

            """)
    }

    @Test func numbersKeepTheirKind() throws {
        let value: Value = ["i": 1, "f": 1.0, "big": 1e21, "neg": -0.5, "inf": .float(.infinity), "ninf": .float(-.infinity)]
        let text = YAML.string(value)
        #expect(text == "i: 1\nf: 1.0\nbig: 1e+21\nneg: -0.5\ninf: .inf\nninf: -.inf\n")
        #expect(try YAML.parse(text) == value)
        #expect(try YAML.parse(YAML.string(.float(.nan))).floatValue?.isNaN == true)
    }

    @Test func mergeKeyTextStaysAString() throws {
        let value: Value = ["<<": ["a": 1], "b": "<<"]
        #expect(try YAML.parse(YAML.string(value)) == value)
    }

    /// Random values with awkward strings and keys come back unchanged.
    @Test func roundTripsThroughParse() throws {
        var random = SeededRandom(seed: 2026)
        for _ in 0..<500 {
            let value = RandomValue.make(&random, depth: 0)
            let text = YAML.string(value)
            let read = try YAML.parse(text)
            #expect(read == value, "\(text)")
        }
    }

    @Test func documentsRoundTripToo() throws {
        let documents: [Value] = [["a": 1], ["b", "c"], nil, "text"]
        let stream = documents.map { YAML.string($0) }.joined(separator: "---\n")
        #expect(try YAML.parseDocuments(stream) == documents)
    }
}
