import Unstructured

/// The functions the language itself provides (Go's `builtins`). A library function of the
/// same name takes precedence, as entries of Go's `FuncMap` do.
enum Builtin: String, Sendable {
    case and, or, not, len, index, slice, eq, ne, lt, le, gt, ge
    case print, printf, println, html, js, urlquery, call

    /// Go's signatures: `and(arg0, args...)`, `not(arg)`, `ne(a, b)`, `print(args...)`, ...
    var arity: ClosedRange<Int> {
        switch self {
        case .not, .len: 1...1
        case .ne, .lt, .le, .gt, .ge: 2...2
        case .print, .println, .html, .js, .urlquery: 0...Int.max
        case .and, .or, .index, .slice, .eq, .printf, .call: 1...Int.max
        }
    }

    /// Everything but `and`/`or` (which the executor evaluates lazily) on evaluated arguments.
    func apply(_ arguments: [Value]) throws(FunctionError) -> Value {
        switch self {
        case .and, .or:
            // The executor evaluates and/or lazily and does not come here; with arguments
            // already evaluated the answer is the same: the first deciding one, else the last.
            for argument in arguments.dropLast() where Execution.isTrue(argument) == (self == .or) {
                return argument
            }
            return arguments.last ?? .null
        case .not: return .bool(!Execution.isTrue(arguments[0]))
        case .len: return .int(try Self.length(arguments[0]))
        case .index: return try Self.index(arguments[0], Array(arguments.dropFirst()))
        case .slice: return try Self.slice(arguments[0], Array(arguments.dropFirst()))
        case .eq: return .bool(try Comparison.equal(arguments[0], Array(arguments.dropFirst())))
        case .ne: return .bool(!(try Comparison.equal(arguments[0], [arguments[1]])))
        case .lt: return .bool(try Comparison.less(arguments[0], arguments[1]))
        case .le: return .bool(try Comparison.lessOrEqual(arguments[0], arguments[1]))
        case .gt: return .bool(!(try Comparison.lessOrEqual(arguments[0], arguments[1])))
        case .ge: return .bool(!(try Comparison.less(arguments[0], arguments[1])))
        case .print:
            var formatter = GoFormatter()
            formatter.print(arguments)
            return .string(String(decoding: formatter.output, as: UTF8.self))
        case .println:
            var formatter = GoFormatter()
            formatter.printLine(arguments)
            return .string(String(decoding: formatter.output, as: UTF8.self))
        case .printf:
            var formatter = GoFormatter()
            formatter.printFormatted(arguments[0].stringValue ?? "", Array(arguments.dropFirst()))
            return .string(String(decoding: formatter.output, as: UTF8.self))
        case .html: return .string(Escaping.html(Self.text(of: arguments)))
        case .js: return .string(Escaping.javaScript(Self.text(of: arguments)))
        case .urlquery: return .string(Escaping.queryComponent(Self.text(of: arguments)))
        case .call:
            // No template value is a function: Go's data can hold func values, ours cannot.
            if case .null = arguments[0] { throw FunctionError("call of nil") }
            throw FunctionError("non-function of type \(GoFormatter.typeName(arguments[0]))")
        }
    }

    /// Go's `evalArgs`: one string argument as it is, anything else as `fmt.Sprint` prints it,
    /// with nil arguments printed as Go's `<no value>` (whatever the execution's missing-value
    /// text is: Helm's erasing of that text never reaches inside these functions).
    private static func text(of arguments: [Value]) -> String {
        if arguments.count == 1, case let .string(text) = arguments[0] { return text }
        var formatter = GoFormatter()
        formatter.print(arguments.map { if case .null = $0 { .string("<no value>") } else { $0 } })
        return String(decoding: formatter.output, as: UTF8.self)
    }

    private static func unwrapped(_ value: Value) -> Value {
        if case let .object(object) = value { return object.representation }
        return value
    }

    private static func length(_ value: Value) throws(FunctionError) -> Int {
        switch unwrapped(value) {
        case .null: throw FunctionError("len of nil pointer")
        case let .string(text): return text.utf8.count
        case let .list(items): return items.count
        case let .map(map): return map.count
        default: throw FunctionError("len of type \(GoFormatter.typeName(value))")
        }
    }

    /// An index into something of `count` elements: Go's `indexArg`.
    private static func position(_ index: Value, count: Int) throws(FunctionError) -> Int {
        switch index {
        case .int, .int64:
            let number = index.intValue ?? 0
            guard number >= 0, number <= count else { throw FunctionError("index out of range: \(number)") }
            return number
        case .null: throw FunctionError("cannot index slice/array with nil")
        default: throw FunctionError("cannot index slice/array with type \(GoFormatter.typeName(index))")
        }
    }

    private static func index(_ item: Value, _ indexes: [Value]) throws(FunctionError) -> Value {
        var current = unwrapped(item)
        if case .null = current { throw FunctionError("index of untyped nil") }
        for index in indexes {
            switch current {
            case let .list(items):
                let at = try position(index, count: items.count)
                guard at < items.count else { throw FunctionError("reflect: slice index out of range") }
                current = items[at]
            case let .string(text):
                let bytes = text.utf8
                let at = try position(index, count: bytes.count)
                guard at < bytes.count else { throw FunctionError("reflect: string index out of range") }
                current = .int(Int(bytes[bytes.index(bytes.startIndex, offsetBy: at)]))
            case let .map(map):
                switch index {
                case let .string(key): current = map[key] ?? .null
                case .null: throw FunctionError("value is nil; should be of type string")
                default: throw FunctionError("value has type \(GoFormatter.typeName(index)); should be string")
                }
            case .null:
                // A nil element reached by an earlier index.
                throw FunctionError("index of nil pointer")
            default:
                throw FunctionError("can't index item of type \(GoFormatter.typeName(current))")
            }
            current = unwrapped(current)
        }
        return current
    }

    private static func slice(_ item: Value, _ indexes: [Value]) throws(FunctionError) -> Value {
        let value = unwrapped(item)
        if case .null = value { throw FunctionError("slice of untyped nil") }
        guard indexes.count <= 3 else { throw FunctionError("too many slice indexes: \(indexes.count)") }
        let count: Int
        switch value {
        case let .string(text):
            guard indexes.count < 3 else { throw FunctionError("cannot 3-index slice a string") }
            count = text.utf8.count
        case let .list(items): count = items.count
        default: throw FunctionError("can't slice item of type \(GoFormatter.typeName(value))")
        }
        var bounds = [0, count, count]
        for (position, index) in indexes.enumerated() {
            bounds[position] = try Self.position(index, count: count)
        }
        if bounds[0] > bounds[1] { throw FunctionError("invalid slice index: \(bounds[0]) > \(bounds[1])") }
        if indexes.count == 3 && bounds[1] > bounds[2] {
            throw FunctionError("invalid slice index: \(bounds[1]) > \(bounds[2])")
        }
        switch value {
        case let .string(text):
            return .string(String(decoding: Array(text.utf8)[bounds[0]..<bounds[1]], as: UTF8.self))
        case let .list(items):
            return .list(Array(items[bounds[0]..<bounds[1]]))
        default:
            return value
        }
    }
}

/// Go's comparison functions: only basic values of the same kind compare (ints of any size
/// with ints, floats with floats), and a nil argument makes `eq` false instead of failing.
enum Comparison {
    private enum Kind: Equatable { case bool, int, float, string, invalid, other }

    private static func kind(_ value: Value) -> Kind {
        switch value {
        case .bool: .bool
        case .int, .int64: .int
        case .float: .float
        case .string: .string
        case .null: .invalid
        case .list, .map, .object: .other
        }
    }

    static func equal(_ first: Value, _ others: [Value]) throws(FunctionError) -> Bool {
        guard !others.isEmpty else { throw FunctionError("missing argument for comparison") }
        let firstKind = kind(first)
        for other in others {
            let otherKind = kind(other)
            if firstKind != otherKind {
                if firstKind != .invalid && otherKind != .invalid {
                    throw FunctionError("incompatible types for comparison")
                }
                continue
            }
            switch (first, other) {
            case let (.bool(a), .bool(b)): if a == b { return true }
            case (.int, .int), (.int, .int64), (.int64, .int), (.int64, .int64):
                if first.intValue == other.intValue { return true }
            case let (.float(a), .float(b)): if a == b { return true }
            case let (.string(a), .string(b)): if a == b { return true }
            case (.null, .null): return true
            default:
                var formatter = GoFormatter()
                formatter.printFormatted("%s", [other])
                let shown = String(decoding: formatter.output, as: UTF8.self)
                throw FunctionError("non-comparable type \(shown): \(GoFormatter.typeName(other))")
            }
        }
        return false
    }

    static func less(_ first: Value, _ second: Value) throws(FunctionError) -> Bool {
        let firstKind = kind(first)
        let secondKind = kind(second)
        guard firstKind != .invalid && firstKind != .other, secondKind != .invalid && secondKind != .other else {
            throw FunctionError("invalid type for comparison")
        }
        guard firstKind == secondKind else { throw FunctionError("incompatible types for comparison") }
        switch (first, second) {
        case (.int, .int), (.int, .int64), (.int64, .int), (.int64, .int64):
            return (first.intValue ?? 0) < (second.intValue ?? 0)
        case let (.float(a), .float(b)): return a < b
        case let (.string(a), .string(b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        default: throw FunctionError("invalid type for comparison")
        }
    }

    static func lessOrEqual(_ first: Value, _ second: Value) throws(FunctionError) -> Bool {
        if try less(first, second) { return true }
        return try equal(first, [second])
    }
}
