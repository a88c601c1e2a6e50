import Testing
import Unstructured
@testable import Helm

@Suite struct ValuesSchemaTests {
    let schema = ValuesSchema([
        "type": "object",
        "required": ["image"],
        "additionalProperties": false,
        "definitions": ["port": ["type": "integer", "minimum": 1, "maximum": 65535]],
        "properties": [
            "image": ["type": "object", "properties": ["tag": ["type": ["string", "null"], "pattern": "^v"]]],
            "port": ["$ref": "#/definitions/port"],
            "mode": ["enum": ["a", "b"]],
            "name": ["type": "string", "minLength": 2, "maxLength": 4],
            "list": ["type": "array", "items": ["type": "string"]],
            "either": ["oneOf": [["type": "string"], ["type": "integer"]]],
            "any": ["anyOf": [["type": "boolean"], ["const": "x"]]],
            "all": ["allOf": [["type": "number"], ["minimum": 0]]],
            "never": ["not": ["type": "string"]],
        ],
    ])

    @Test func acceptsValidValues() {
        let values: Value = [
            "image": ["tag": "v1"], "port": 80.0, "mode": "a", "name": "abc", "list": ["x"], "either": 3.0,
            "any": true, "all": 2.5, "never": 1,
        ]
        #expect(schema.violations(of: values).isEmpty)
    }

    @Test func reportsEachViolationWithItsPointer() {
        let values: Value = [
            "image": ["tag": "1.0"], "port": 70000.0, "mode": "c", "name": "a", "list": ["x", 1], "either": 1.5,
            "any": "y", "all": -1, "never": "s", "extra": 1,
        ]
        let found = Set(schema.violations(of: values).map(\.description))
        #expect(found.contains("- at '/image/tag': '1.0' does not match pattern '^v'"))
        #expect(found.contains("- at '/port': maximum: got 70000, want <= 65535"))
        #expect(found.contains("- at '/mode': value must be one of 'a', 'b'"))
        #expect(found.contains("- at '/name': minLength: got 1, want 2"))
        #expect(found.contains("- at '/list/1': got integer, want string"))
        #expect(found.contains("- at '': additional properties 'extra' not allowed"))
        #expect(found.contains { $0.hasPrefix("- at '/either': oneOf failed") })
        #expect(found.contains { $0.hasPrefix("- at '/any': anyOf failed") })
        #expect(found.contains { $0.hasPrefix("- at '/all': allOf[1] failed") })
        #expect(found.contains { $0.hasPrefix("- at '/never': not failed") })
        #expect(found.count == 10)
    }

    @Test func requiredProperties() {
        #expect(schema.violations(of: [:]).map(\.description) == ["- at '': missing property 'image'"])
    }

    @Test func chartValidationNamesTheChart() {
        var chart = Chart(metadata: ChartMetadata(name: "demo", version: "1.0.0"))
        chart.schema = ["properties": ["replicas": ["type": "integer"]]]
        #expect(throws: ValuesError.self) { try ValuesSchema.validate(chart, values: ["replicas": "two"]) }
        do { try ValuesSchema.validate(chart, values: ["replicas": "two"]) } catch {
            #expect(error.message == "values don't meet the specifications of the schema(s) in the following chart(s):\ndemo:\n- at '/replicas': got string, want integer\n")
        }
    }
}
