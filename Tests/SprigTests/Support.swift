import GoTemplate
import Testing
import Unstructured
@testable import Sprig

/// The library with the corpus stand-ins, as the chart corpus was rendered.
let standIn = Sprig.library(entropy: StandInEntropy(), clock: FixedClock())

/// An execution for functions that never render other templates.
struct NoTemplates: TemplateExecution {
    func execute(templateNamed name: String, data: Value) throws -> String {
        Issue.record("unexpected include of \(name)")
        return ""
    }

    func execute(text: String, data: Value) throws -> String {
        Issue.record("unexpected tpl")
        return ""
    }
}

/// Calls `name` with `arguments` after checking the arity, as the executor does.
func call(_ name: String, _ arguments: Value..., in library: FunctionLibrary = standIn) throws -> Value {
    guard let function = library[name] else { throw FunctionError("function \"\(name)\" not defined") }
    guard function.arity.contains(arguments.count) else {
        throw FunctionError("wrong number of args for \(name): got \(arguments.count)")
    }
    return try function.body(arguments, NoTemplates())
}

/// What `{{ name args... }}` prints: the result as Go's `%v` shows it.
func printed(_ name: String, _ arguments: Value..., in library: FunctionLibrary = standIn) throws -> String {
    guard let function = library[name] else { throw FunctionError("function \"\(name)\" not defined") }
    return GoFormat.string(try function.body(arguments, NoTemplates()))
}

/// The message of the error `name` fails with, or nil when it succeeds.
func failure(_ name: String, _ arguments: Value..., in library: FunctionLibrary = standIn) -> String? {
    guard let function = library[name] else { return "function \"\(name)\" not defined" }
    do {
        _ = try function.body(arguments, NoTemplates())
        return nil
    } catch let error as FunctionError {
        return error.message
    } catch {
        return "\(error)"
    }
}

/// One verified call: the function, its arguments and what gotemplate-ref printed.
struct Case: CustomTestStringConvertible, Sendable {
    let function: String
    let arguments: [Value]
    let expected: String

    init(_ function: String, _ arguments: Value..., prints expected: String) {
        self.function = function
        self.arguments = arguments
        self.expected = expected
    }

    var testDescription: String { "\(function) \(arguments.map(GoFormat.string).joined(separator: " ")) → \(expected)" }

    func run() throws -> String {
        guard let function = standIn[function] else { throw FunctionError("function \"\(self.function)\" not defined") }
        #expect(function.arity.contains(arguments.count), "arity of \(self.function)")
        return GoFormat.string(try function.body(arguments, NoTemplates()))
    }
}

/// One verified failure: the function, its arguments and the message after "error calling NAME: ".
struct FailureCase: CustomTestStringConvertible, Sendable {
    let function: String
    let arguments: [Value]
    let message: String

    init(_ function: String, _ arguments: Value..., fails message: String) {
        self.function = function
        self.arguments = arguments
        self.message = message
    }

    var testDescription: String { "\(function) \(arguments.map(GoFormat.string).joined(separator: " ")) fails" }

    func run() -> String? {
        guard let function = standIn[function] else { return "not defined" }
        do {
            _ = try function.body(arguments, NoTemplates())
            return nil
        } catch let error as FunctionError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}
