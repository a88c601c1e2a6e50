import FoundationEssentials
import GoTemplate
import Unstructured

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// sprig's arithmetic. Integer functions convert every argument with `cast.ToInt64`, wrap on
/// overflow as Go's int64 does and return an `int64` (only `int`, `atoi` and `randInt` give
/// Go's `int`); the `f` functions compute in decimal, as sprig's
/// shopspring/decimal does, so `addf 1.1 2.2` is 3.3.
extension Sprig {
    static func mathFunctions(entropy: any EntropySource) -> FunctionLibrary {
        [
            "add": .init(atLeast: 0) { a, _ in .int64(a.reduce(0) { $0 &+ Go.int64($1) }) },
            "add1": .init(arity: 1) { a, _ in .int64(Go.int64(a[0]) &+ 1) },
            "sub": .init(arity: 2) { a, _ in .int64(Go.int64(a[0]) &- Go.int64(a[1])) },
            "mul": .init(atLeast: 1) { a, _ in .int64(a.reduce(1) { $0 &* Go.int64($1) }) },
            "div": .init(arity: 2) { a, _ in
                let divisor = Go.int64(a[1])
                guard divisor != 0 else { throw FunctionError("runtime error: integer divide by zero") }
                return .int64(Go.int64(a[0]).dividedReportingOverflow(by: divisor).partialValue)
            },
            "mod": .init(arity: 2) { a, _ in
                let divisor = Go.int64(a[1])
                guard divisor != 0 else { throw FunctionError("runtime error: integer divide by zero") }
                return .int64(Go.int64(a[0]).remainderReportingOverflow(dividingBy: divisor).partialValue)
            },
            "max": .init(atLeast: 1) { a, _ in .int64(a.map(Go.int64).max() ?? 0) },
            "biggest": .init(atLeast: 1) { a, _ in .int64(a.map(Go.int64).max() ?? 0) },
            "min": .init(atLeast: 1) { a, _ in .int64(a.map(Go.int64).min() ?? 0) },
            "addf": .init(atLeast: 0) { a, _ in .float(DecimalMath.fold(a, .add)) },
            "add1f": .init(arity: 1) { a, _ in .float(DecimalMath.fold([a[0], .int(1)], .add)) },
            "subf": .init(atLeast: 1) { a, _ in .float(DecimalMath.fold(a, .subtract)) },
            "mulf": .init(atLeast: 1) { a, _ in .float(DecimalMath.fold(a, .multiply)) },
            "divf": .init(atLeast: 1) { a, _ in
                guard !a.dropFirst().contains(where: { Go.float64($0) == 0 }) else {
                    throw FunctionError("decimal division by 0")
                }
                return .float(DecimalMath.fold(a, .divide))
            },
            "maxf": .init(atLeast: 1) { a, _ in .float(a.map(Go.float64).reduce(-.infinity) { Swift.max($0, $1) }) },
            "minf": .init(atLeast: 1) { a, _ in .float(a.map(Go.float64).reduce(.infinity) { Swift.min($0, $1) }) },
            "floor": .init(arity: 1) { a, _ in .float(Go.float64(a[0]).rounded(.down)) },
            "ceil": .init(arity: 1) { a, _ in .float(Go.float64(a[0]).rounded(.up)) },
            "round": .init(arity: 2...3) { a, _ in
                .float(round(Go.float64(a[0]), places: try a.int(1), halfway: a.count > 2 ? try a.float(2) : 0.5))
            },
            "randInt": .init(arity: 2) { a, _ in
                let (low, high) = (try a.int(0), try a.int(1))
                guard high > low else { throw FunctionError("invalid argument to Intn") }
                return .int(entropy.randomInt(in: low..<high))
            },
            "atoi": .init(arity: 1) { a, _ in
                let text = try a.string(0)
                return .int(text.utf8.allSatisfy { (48...57).contains($0) || $0 == 43 || $0 == 45 } ? Int(text) ?? 0 : 0)
            },
            "int": .init(arity: 1) { a, _ in .int(Int(Go.int64(a[0]))) },
            "int64": .init(arity: 1) { a, _ in .int64(Go.int64(a[0])) },
            "float64": .init(arity: 1) { a, _ in .float(Go.float64(a[0])) },
            "toDecimal": .init(arity: 1) { a, _ in .int64(Int64(Go.string(a[0]), radix: 8) ?? 0) },
        ]
    }

    /// sprig's `round`: away from zero once the fraction reaches `halfway`.
    static func round(_ value: Double, places: Int, halfway: Double) -> Double {
        let scale = pow(10, Double(places))
        let scaled = scale * value
        let fraction = scaled - scaled.rounded(.towardZero)
        return (fraction >= halfway ? scaled.rounded(.up) : scaled.rounded(.down)) / scale
    }
}

extension [Value] {
    /// A `float64` parameter; integer literals convert, as Go converts untyped constants.
    func float(_ index: Int) throws -> Double {
        switch self[index] {
        case let .float(d): return d
        case let .int(i): return Double(i)
        default: throw wrongType(index, expected: "float64")
        }
    }
}

/// Decimal arithmetic on float64 inputs: each number enters as its shortest decimal form,
/// division keeps 16 fractional digits, and the result is read back as the nearest float64.
enum DecimalMath {
    enum Operation { case add, subtract, multiply, divide }

    static func fold(_ values: [Value], _ operation: Operation) -> Double {
        let numbers = values.map(Go.float64)
        guard let first = numbers.first else { return 0 }
        let decimals = numbers.map(decimal)
        guard var result = decimals[0], decimals.allSatisfy({ $0 != nil }) else {
            return numbers.dropFirst().reduce(first) { apply(operation, $0, $1) }
        }
        for case let next? in decimals.dropFirst() {
            switch operation {
            case .add: result += next
            case .subtract: result -= next
            case .multiply: result *= next
            case .divide:
                result = rounded(result / next, fractionDigits: 16)
            }
        }
        guard !result.isNaN else { return numbers.dropFirst().reduce(first) { apply(operation, $0, $1) } }
        return Double(result.description) ?? 0
    }

    private static func decimal(_ value: Double) -> Decimal? {
        guard value.isFinite, value == 0 || (abs(value) > 1e-120 && abs(value) < 1e120) else { return nil }
        return Decimal(string: GoFloat.format(value, .e))
    }

    /// `value` with at most `fractionDigits` digits after the point, halves rounded away
    /// from zero (`NSDecimalRound` in `.plain` mode), worked on its exact decimal text.
    static func rounded(_ value: Decimal, fractionDigits: Int) -> Decimal {
        let text = value.description
        guard let point = text.firstIndex(of: ".") else { return value }
        let fraction = text[text.index(after: point)...]
        guard fraction.count > fractionDigits else { return value }
        let negative = text.hasPrefix("-")
        let whole = text[..<point].drop { $0 == "-" }
        var digits = Array((whole + fraction.prefix(fractionDigits)).utf8)
        if fraction.utf8[fraction.utf8.index(fraction.utf8.startIndex, offsetBy: fractionDigits)] >= UInt8(ascii: "5") {
            var index = digits.count - 1
            while index >= 0, digits[index] == UInt8(ascii: "9") {
                digits[index] = UInt8(ascii: "0")
                index -= 1
            }
            if index >= 0 { digits[index] += 1 } else { digits.insert(UInt8(ascii: "1"), at: 0) }
        }
        let integerCount = digits.count - fractionDigits
        let roundedText = (negative ? "-" : "") + String(decoding: digits[..<integerCount], as: UTF8.self)
            + "." + String(decoding: digits[integerCount...], as: UTF8.self)
        return Decimal(string: roundedText) ?? value
    }

    private static func apply(_ operation: Operation, _ a: Double, _ b: Double) -> Double {
        switch operation {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        }
    }
}
