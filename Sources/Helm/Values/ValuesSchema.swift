import Unstructured

/// Checks values against a chart's `values.schema.json`: the subset of JSON Schema
/// (drafts 4 to 2020-12) that real charts use. `type` (one or a list), `properties`,
/// `patternProperties`, `required`, `additionalProperties`, `items` (one schema or a
/// tuple), `enum`, `const`, `pattern`, `minimum`/`maximum` and their exclusive forms,
/// `minLength`/`maxLength`, `minItems`/`maxItems`, `minProperties`/`maxProperties`,
/// `$ref` to a pointer inside the same document, and `anyOf`/`oneOf`/`allOf`/`not`.
/// Unknown keywords (`format`, `description`, ...) are annotations and are ignored.
public struct ValuesSchema: Sendable {
    public let document: Value

    public init(_ document: Value) { self.document = document }

    /// One failed check: where in the values (a JSON pointer) and what was expected.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public let pointer: String
        public let message: String
        public var description: String { "- at '\(pointer)': \(message)" }
    }

    public func violations(of values: Value) -> [Violation] {
        var found: [Violation] = []
        check(values, against: document, at: [], depth: 0, into: &found)
        return found
    }

    /// Validates the values of `chart` and each subchart against their schemas; the
    /// message lists every violation under the name of its chart, as Helm does.
    public static func validate(_ chart: Chart, values: Value.Map) throws(ValuesError) {
        let report = report(chart, values: values)
        if !report.isEmpty {
            throw ValuesError("values don't meet the specifications of the schema(s) in the following chart(s):\n\(report)")
        }
    }

    private static func report(_ chart: Chart, values: Value.Map) -> String {
        var text = ""
        if let schema = chart.schema {
            let violations = ValuesSchema(schema).violations(of: Value.map(values).plain)
            if !violations.isEmpty {
                text += "\(chart.name):\n" + violations.map(\.description).joined(separator: "\n") + "\n"
            }
        }
        for subchart in chart.dependencies {
            text += report(subchart, values: values[subchart.name]?.mapValue ?? [:])
        }
        return text
    }

    private static let maxDepth = 64

    private func check(_ value: Value, against schema: Value, at path: [String], depth: Int, into found: inout [Violation]) {
        let pointer = path.isEmpty ? "" : "/" + path.joined(separator: "/")
        func fail(_ message: String) { found.append(Violation(pointer: pointer, message: message)) }

        if case let .bool(accepts) = schema {
            if !accepts { fail("false schema does not allow \(Self.describe(value))") }
            return
        }
        guard case let .map(keywords) = schema, depth < Self.maxDepth else { return }

        if let reference = keywords["$ref"]?.stringValue {
            if let target = resolve(reference) {
                check(value, against: target, at: path, depth: depth + 1, into: &found)
            } else {
                fail("cannot resolve $ref '\(reference)'")
            }
        }
        if let expected = keywords["type"], !Self.matchesType(value, expected) {
            let wanted = (expected.listValue ?? [expected]).compactMap(\.stringValue).joined(separator: " or ")
            fail("got \(Self.typeName(value)), want \(wanted)")
        }
        if let options = keywords["enum"]?.listValue, !options.contains(where: { Self.equal($0, value) }) {
            fail("value must be one of \(options.map(Self.quoted).joined(separator: ", "))")
        }
        if let constant = keywords["const"], !Self.equal(constant, value) {
            fail("value must be \(Self.quoted(constant))")
        }
        switch value {
        case let .string(text):
            let length = text.unicodeScalars.count
            if let minimum = keywords["minLength"]?.numberValue, Double(length) < minimum {
                fail("minLength: got \(length), want \(Self.number(minimum))")
            }
            if let maximum = keywords["maxLength"]?.numberValue, Double(length) > maximum {
                fail("maxLength: got \(length), want \(Self.number(maximum))")
            }
            if let pattern = keywords["pattern"]?.stringValue, !SchemaPattern.matches(text, pattern) {
                fail("'\(text)' does not match pattern '\(pattern)'")
            }
        case .int, .int64, .float:
            checkBounds(value.numberValue ?? 0, keywords, fail)
        case let .list(items):
            if let minimum = keywords["minItems"]?.numberValue, Double(items.count) < minimum {
                fail("minItems: got \(items.count), want \(Self.number(minimum))")
            }
            if let maximum = keywords["maxItems"]?.numberValue, Double(items.count) > maximum {
                fail("maxItems: got \(items.count), want \(Self.number(maximum))")
            }
            switch keywords["items"] {
            case let .list(tuple)?:
                for (index, item) in items.enumerated() where index < tuple.count {
                    check(item, against: tuple[index], at: path + [String(index)], depth: depth + 1, into: &found)
                }
            case let itemSchema?:
                for (index, item) in items.enumerated() {
                    check(item, against: itemSchema, at: path + [String(index)], depth: depth + 1, into: &found)
                }
            case nil: break
            }
        case let .map(members):
            checkObject(members, keywords, path: path, depth: depth, into: &found)
        default: break
        }
        for (index, part) in (keywords["allOf"]?.listValue ?? []).enumerated() {
            var inner: [Violation] = []
            check(value, against: part, at: path, depth: depth + 1, into: &inner)
            if !inner.isEmpty { fail("allOf[\(index)] failed: \(inner.map(\.message).joined(separator: "; "))") }
        }
        if let options = keywords["anyOf"]?.listValue {
            let passing = options.contains { passes(value, $0, path: path, depth: depth) }
            if !passing { fail("anyOf failed: value matches none of the \(options.count) schemas") }
        }
        if let options = keywords["oneOf"]?.listValue {
            let passing = options.filter { passes(value, $0, path: path, depth: depth) }.count
            if passing != 1 { fail("oneOf failed: value matches \(passing) of the \(options.count) schemas, want exactly 1") }
        }
        if let negated = keywords["not"], passes(value, negated, path: path, depth: depth) {
            fail("not failed: value matches a schema it must not match")
        }
    }

    private func checkObject(_ members: Value.Map, _ keywords: Value.Map, path: [String], depth: Int, into found: inout [Violation]) {
        let pointer = path.isEmpty ? "" : "/" + path.joined(separator: "/")
        var messages: [String] = []
        func fail(_ message: String) { messages.append(message) }
        defer { found += messages.map { Violation(pointer: pointer, message: $0) } }
        let required = (keywords["required"]?.listValue ?? []).compactMap(\.stringValue)
        let missing = required.filter { members[$0] == nil }
        if !missing.isEmpty {
            fail("missing propert\(missing.count == 1 ? "y" : "ies") \(missing.map { "'\($0)'" }.joined(separator: ", "))")
        }
        if let minimum = keywords["minProperties"]?.numberValue, Double(members.count) < minimum {
            fail("minProperties: got \(members.count), want \(Self.number(minimum))")
        }
        if let maximum = keywords["maxProperties"]?.numberValue, Double(members.count) > maximum {
            fail("maxProperties: got \(members.count), want \(Self.number(maximum))")
        }
        let properties = keywords["properties"]?.mapValue ?? [:]
        let patterns = keywords["patternProperties"]?.mapValue ?? [:]
        var additional: [String] = []
        for (name, member) in members {
            var described = false
            if let propertySchema = properties[name] {
                described = true
                check(member, against: propertySchema, at: path + [name], depth: depth + 1, into: &found)
            }
            for (pattern, patternSchema) in patterns where SchemaPattern.matches(name, pattern) {
                described = true
                check(member, against: patternSchema, at: path + [name], depth: depth + 1, into: &found)
            }
            if described { continue }
            switch keywords["additionalProperties"] {
            case .bool(false)?: additional.append(name)
            case let .map(extra)?: check(member, against: .map(extra), at: path + [name], depth: depth + 1, into: &found)
            default: break
            }
        }
        if !additional.isEmpty {
            fail("additional properties \(additional.map { "'\($0)'" }.joined(separator: ", ")) not allowed")
        }
    }

    private func checkBounds(_ number: Double, _ keywords: Value.Map, _ fail: (String) -> Void) {
        let text = Self.number(number)
        if let minimum = keywords["minimum"]?.numberValue {
            // Draft 4 writes exclusiveness as a boolean beside the bound.
            if keywords["exclusiveMinimum"]?.boolValue == true {
                if number <= minimum { fail("exclusiveMinimum: got \(text), want > \(Self.number(minimum))") }
            } else if number < minimum {
                fail("minimum: got \(text), want >= \(Self.number(minimum))")
            }
        }
        if let maximum = keywords["maximum"]?.numberValue {
            if keywords["exclusiveMaximum"]?.boolValue == true {
                if number >= maximum { fail("exclusiveMaximum: got \(text), want < \(Self.number(maximum))") }
            } else if number > maximum {
                fail("maximum: got \(text), want <= \(Self.number(maximum))")
            }
        }
        if let bound = keywords["exclusiveMinimum"]?.numberValue, number <= bound {
            fail("exclusiveMinimum: got \(text), want > \(Self.number(bound))")
        }
        if let bound = keywords["exclusiveMaximum"]?.numberValue, number >= bound {
            fail("exclusiveMaximum: got \(text), want < \(Self.number(bound))")
        }
    }

    private func passes(_ value: Value, _ schema: Value, path: [String], depth: Int) -> Bool {
        var inner: [Violation] = []
        check(value, against: schema, at: path, depth: depth + 1, into: &inner)
        return inner.isEmpty
    }

    /// Follows a local reference (`#`, `#/definitions/x`, `#/$defs/x`).
    private func resolve(_ reference: String) -> Value? {
        guard reference.hasPrefix("#") else { return nil }
        var target = document
        for token in reference.dropFirst().split(separator: "/") {
            let key = String(token.replacing("~1", with: "/").replacing("~0", with: "~"))
            switch target {
            case let .map(map): guard let next = map[key] else { return nil }; target = next
            case let .list(list): guard let index = Int(key), list.indices.contains(index) else { return nil }; target = list[index]
            default: return nil
            }
        }
        return target
    }

    static func matchesType(_ value: Value, _ expected: Value) -> Bool {
        let names = (expected.listValue ?? [expected]).compactMap(\.stringValue)
        return names.contains { name in
            switch (name, value) {
            case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .list), ("object", .map): true
            case ("number", .int), ("number", .int64), ("number", .float), ("integer", .int), ("integer", .int64): true
            case let ("integer", .float(number)): number == number.rounded(.towardZero) && number.isFinite
            default: false
            }
        }
    }

    static func typeName(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .string: "string"
        case .list: "array"
        case .map: "object"
        case .int, .int64: "integer"
        case let .float(number): number == number.rounded(.towardZero) ? "integer" : "number"
        case .object: "object"
        }
    }

    /// JSON equality: numbers compare by value whether read as integers or floats.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = a.numberValue, let y = b.numberValue { return x == y }
        switch (a, b) {
        case let (.list(l), .list(r)): return l.count == r.count && zip(l, r).allSatisfy { equal($0, $1) }
        case let (.map(l), .map(r)): return l.count == r.count && l.allSatisfy { key, value in r[key].map { equal(value, $0) } ?? false }
        default: return a == b
        }
    }

    static func describe(_ value: Value) -> String { typeName(value) }

    static func quoted(_ value: Value) -> String {
        switch value {
        case let .string(s): "'\(s)'"
        default: JSON.string(value)
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
