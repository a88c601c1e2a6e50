import GoTemplate
import Unstructured

/// Defaults, flow control and reflection: the functions that look at a value's emptiness
/// or Go type rather than its content.
extension Sprig {
    static func defaultFunctions() -> FunctionLibrary {
        [
            "default": .init(atLeast: 1) { a, _ in
                let given = a.count > 1 ? a[1] : .null
                return Go.isEmpty(given) ? a[0] : given
            },
            "hello": .init(arity: 0) { _, _ in "Hello!" },
            "empty": .init(arity: 1) { a, _ in .bool(Go.isEmpty(a[0])) },
            "coalesce": .init(atLeast: 0) { a, _ in a.first { !Go.isEmpty($0) } ?? .null },
            "all": .init(atLeast: 0) { a, _ in .bool(a.allSatisfy { !Go.isEmpty($0) }) },
            "any": .init(atLeast: 0) { a, _ in .bool(a.contains { !Go.isEmpty($0) }) },
            "ternary": .init(arity: 3) { a, _ in
                guard case let .bool(condition) = a[2] else { throw a.wrongType(2, expected: "bool") }
                return condition ? a[0] : a[1]
            },
            "fail": .init(arity: 1) { a, _ in throw FunctionError(try a.string(0)) },
            "required": .init(arity: 2) { a, _ in
                let message = try a.string(0)
                switch a[1] {
                case .null, .string(""): throw FunctionError(message)
                default: return a[1]
                }
            },
            "typeOf": .init(arity: 1) { a, _ in .string(GoFormat.typeName(a[0])) },
            "typeIs": .init(arity: 2) { a, _ in .bool(try a.string(0) == GoFormat.typeName(a[1])) },
            "typeIsLike": .init(arity: 2) { a, _ in
                let wanted = try a.string(0)
                let actual = GoFormat.typeName(a[1])
                return .bool(wanted == actual || "*" + wanted == actual)
            },
            "kindOf": .init(arity: 1) { a, _ in .string(Go.kindName(a[0])) },
            "kindIs": .init(arity: 2) { a, _ in .bool(try a.string(0) == Go.kindName(a[1])) },
            "deepEqual": .init(arity: 2) { a, _ in .bool(Go.deepEqual(a[0], a[1])) },
            // Templates may not reach the network: no name resolves, and, as sprig does
            // when a lookup finds nothing, the result is empty (what the reference renderer
            // prints for chart-cases/functions).
            "getHostByName": .init(arity: 1) { _, _ in .string("") },
        ]
    }
}
