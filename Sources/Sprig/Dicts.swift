import GoTemplate
import Unstructured

/// sprig's dictionary functions.
///
/// In Go, `set`, `unset` and the `merge` family change the map passed as their first
/// argument and return it. `Value` maps are values, so these functions return the changed
/// map and declare the argument as their `TemplateFunction.mutatedArgument`, from
/// `Sprig.argumentsChangedInPlace`: the executor stores the result back where that argument
/// came from (`$_ := set $ctx "k" 1` must change `$ctx`).
extension Sprig {
    /// Functions whose Go versions mutate an argument, with that argument's index.
    public static let argumentsChangedInPlace: [String: Int] = [
        "set": 0, "unset": 0, "merge": 0, "mergeOverwrite": 0, "mustMerge": 0, "mustMergeOverwrite": 0,
    ]

    static func dictFunctions() -> FunctionLibrary {
        var functions: FunctionLibrary = [
            "dict": .init(atLeast: 0) { a, _ in
                var map = Value.Map()
                for index in stride(from: 0, to: a.count, by: 2) {
                    map[Go.string(a[index])] = index + 1 < a.count ? a[index + 1] : .string("")
                }
                return .map(map)
            },
            "get": .init(arity: 2) { a, _ in try a.map(0)?[try a.string(1)] ?? .string("") },
            "set": .init(arity: 3) { a, _ in
                guard var map = try a.map(0) else { throw FunctionError("assignment to entry in nil map") }
                map[try a.string(1)] = a[2]
                return .map(map)
            },
            "unset": .init(arity: 2) { a, _ in
                var map = try a.map(0) ?? [:]
                map.removeValue(forKey: try a.string(1))
                return .map(map)
            },
            "hasKey": .init(arity: 2) { a, _ in .bool(try a.map(0)?[try a.string(1)] != nil) },
            "pluck": .init(atLeast: 1) { a, _ in
                let key = try a.string(0)
                return .list(try (1..<a.count).compactMap { try a.map($0)?[key] })
            },
            "keys": .init(atLeast: 0) { a, _ in
                .list(try (0..<a.count).flatMap { try (a.map($0) ?? [:]).keys.map(Value.string) })
            },
            "values": .init(arity: 1) { a, _ in .list(Array((try a.map(0) ?? [:]).values)) },
            "pick": .init(atLeast: 1) { a, _ in
                let map = try a.map(0) ?? [:]
                let wanted = Set(try (1..<a.count).map { try a.string($0) })
                return .map(map.filter { wanted.contains($0.key) })
            },
            "omit": .init(atLeast: 1) { a, _ in
                let map = try a.map(0) ?? [:]
                let unwanted = Set(try (1..<a.count).map { try a.string($0) })
                return .map(map.filter { !unwanted.contains($0.key) })
            },
            "dig": .init(atLeast: 0) { a, _ in try dig(a) },
            "merge": mergeFunction(overwrite: false),
            "mustMerge": mergeFunction(overwrite: false),
            "mergeOverwrite": mergeFunction(overwrite: true),
            "mustMergeOverwrite": mergeFunction(overwrite: true),
            "deepCopy": deepCopy,
            "mustDeepCopy": deepCopy,
        ]
        for (name, index) in argumentsChangedInPlace { functions[name]?.mutatedArgument = index }
        return functions
    }

    /// Values are copied on write, so a deep copy is the value itself; only nil fails, as
    /// Go's reflection does.
    private static let deepCopy = TemplateFunction(arity: 1) { a, _ in
        guard !a[0].isNull else { throw FunctionError("reflect: call of reflect.Value.Type on zero Value") }
        return a[0]
    }

    private static func mergeFunction(overwrite: Bool) -> TemplateFunction {
        .init(atLeast: 1) { a, _ in
            var result = try a.map(0)
            for index in 1..<a.count {
                guard let source = try a.map(index) else { continue }
                result = merge(result ?? [:], source, overwrite: overwrite)
            }
            return .map(result ?? [:])
        }
    }

    /// mergo's map merge: maps merge key by key; otherwise the source value is taken when
    /// overwriting, or when the destination's value is empty.
    static func merge(_ destination: Value.Map, _ source: Value.Map, overwrite: Bool) -> Value.Map {
        var result = destination
        for (key, value) in source {
            switch (result[key], value) {
            case (nil, _):
                result[key] = value
            case let (.map(inner)?, .map(incoming)):
                result[key] = .map(merge(inner, incoming, overwrite: overwrite))
            case let (existing?, _):
                if overwrite || Go.isEmpty(existing) { result[key] = value }
            }
        }
        return result
    }

    /// `dig KEY... DEFAULT DICT`: follows the keys through nested maps.
    private static func dig(_ a: [Value]) throws -> Value {
        guard a.count >= 3 else { throw FunctionError("dig needs at least three arguments") }
        var current = a[a.count - 1]
        let fallback = a[a.count - 2]
        for key in a[..<(a.count - 2)] {
            guard case let .map(map) = current else { throw conversionError(current, to: "map[string]interface {}") }
            guard case let .string(name) = key else { throw conversionError(key, to: "string") }
            guard let next = map[name] else { return fallback }
            current = next
        }
        return current
    }

    /// Go's message for a failed type assertion on an `interface{}`.
    static func conversionError(_ value: Value, to type: String) -> FunctionError {
        FunctionError("interface conversion: interface {} is \(value.isNull ? "nil" : GoFormat.typeName(value)), not \(type)")
    }
}
