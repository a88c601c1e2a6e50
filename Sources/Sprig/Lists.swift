import GoTemplate
import Unstructured

/// sprig's list functions. Every `mustX` fails exactly as its `X` does: sprig's plain
/// forms panic with the same error, which Go's executor reports as the call's error.
extension Sprig {
    static func listFunctions() -> FunctionLibrary {
        var library: FunctionLibrary = [
            "list": .init(atLeast: 0) { a, _ in .list(a) },
            "until": .init(arity: 1) { a, _ in .list(steps(from: 0, to: try a.int(0), by: try a.int(0) < 0 ? -1 : 1)) },
            "untilStep": .init(arity: 3) { a, _ in .list(steps(from: try a.int(0), to: try a.int(1), by: try a.int(2))) },
            "seq": .init(atLeast: 0) { a, _ in .string(try sequence((0..<a.count).map { try a.int($0) })) },
            "has": .init(arity: 2) { a, _ in
                if a[1].isNull { return false }
                return .bool(try list(a[1], "find has on").contains(a[0]))
            },
            "concat": .init(atLeast: 0) { a, _ in
                .list(try a.flatMap { value -> [Value] in
                    guard !value.isNull else { throw Go.nilDereference }
                    guard case let .list(items) = value else {
                        throw FunctionError("Cannot concat type \(Go.kindName(value)) as list")
                    }
                    return items
                })
            },
        ]
        let withMustForms: FunctionLibrary = [
            "first": .init(arity: 1) { a, _ in try list(a[0], "find first on").first ?? .null },
            "last": .init(arity: 1) { a, _ in try list(a[0], "find last on").last ?? .null },
            "rest": .init(arity: 1) { a, _ in .list(Array(try list(a[0], "find rest on").dropFirst())) },
            "initial": .init(arity: 1) { a, _ in .list(Array(try list(a[0], "find initial on").dropLast())) },
            "append": .init(arity: 2) { a, _ in .list(try list(a[0], "push on") + [a[1]]) },
            "push": .init(arity: 2) { a, _ in .list(try list(a[0], "push on") + [a[1]]) },
            "prepend": .init(arity: 2) { a, _ in .list([a[1]] + (try list(a[0], "prepend on"))) },
            "reverse": .init(arity: 1) { a, _ in .list(try list(a[0], "find reverse on").reversed()) },
            "uniq": .init(arity: 1) { a, _ in
                var seen: [Value] = []
                for item in try list(a[0], "find uniq on") where !seen.contains(item) { seen.append(item) }
                return .list(seen)
            },
            "without": .init(atLeast: 1) { a, _ in
                let omitted = a.dropFirst()
                return .list(try list(a[0], "find without on").filter { !omitted.contains($0) })
            },
            "compact": .init(arity: 1) { a, _ in .list(try list(a[0], "compact on").filter { !Go.isEmpty($0) }) },
            "slice": .init(atLeast: 1) { a, _ in try slice(a[0], indices: Array(a.dropFirst())) },
            "chunk": .init(arity: 2) { a, _ in try chunk(a[1], size: try a.int(0)) },
        ]
        for (name, function) in withMustForms {
            library[name] = function
            library["must" + name.prefix(1).uppercased() + name.dropFirst()] = function
        }
        library["tuple"] = library["list"]
        library["mustHas"] = library["has"]
        return library
    }

    /// The elements of a list argument; anything else fails as sprig does
    /// ("Cannot find first on type string"), nil as Go's nil dereference.
    static func list(_ value: Value, _ operation: String) throws -> [Value] {
        switch value {
        case let .list(items): return items
        case .null: throw Go.nilDereference
        default: throw FunctionError("Cannot \(operation) type \(Go.kindName(value))")
        }
    }

    /// `start`, `start + step`, ... up to but not including `stop`; nothing for a zero
    /// step or one pointing away from `stop`.
    static func steps(from start: Int, to stop: Int, by step: Int) -> [Value] {
        guard step != 0 else { return [] }
        return Array(stride(from: start, to: stop, by: step)).map(Value.int)
    }

    /// sprig's `seq`, as the Unix command: `seq LAST`, `seq FIRST LAST`, `seq FIRST STEP LAST`,
    /// counting down when LAST is below FIRST.
    static func sequence(_ numbers: [Int]) throws -> String {
        let (first, step, last): (Int, Int?, Int)
        switch numbers.count {
        case 0: return ""
        case 1: (first, step, last) = (1, nil, numbers[0])
        case 2: (first, step, last) = (numbers[0], nil, numbers[1])
        case 3: (first, step, last) = (numbers[0], numbers[1], numbers[2])
        default: return ""
        }
        let direction = last >= first ? 1 : -1
        let increment = step ?? direction
        guard increment != 0, (increment > 0) == (last >= first) || first == last else { return "" }
        return stride(from: first, through: last, by: increment).map(String.init).joined(separator: " ")
    }

    private static func slice(_ value: Value, indices: [Value]) throws -> Value {
        guard case let .list(items) = value else {
            if value.isNull { throw Go.nilDereference }
            throw FunctionError("list should be type of slice or array but \(Go.kindName(value))")
        }
        guard !items.isEmpty else { return .null }
        let start = indices.first.map { Int(Go.int64($0)) } ?? 0
        let end = indices.count >= 2 ? Int(Go.int64(indices[1])) : items.count
        guard 0 <= start, start <= end, end <= items.count else {
            throw FunctionError("reflect.Value.Slice: slice index out of bounds")
        }
        return .list(Array(items[start..<end]))
    }

    private static func chunk(_ value: Value, size: Int) throws -> Value {
        guard case let .list(items) = value else {
            if value.isNull { throw Go.nilDereference }
            throw FunctionError("Cannot chunk type \(Go.kindName(value))")
        }
        guard size > 0 else { throw FunctionError("runtime error: makeslice: len out of range") }
        return .list(stride(from: 0, to: items.count, by: size).map { .list(Array(items[$0..<min($0 + size, items.count)])) })
    }
}
