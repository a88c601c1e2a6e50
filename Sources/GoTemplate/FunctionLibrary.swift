import Unstructured

/// A function templates can call by name, as Go's `template.FuncMap` entries are.
///
/// Functions receive their evaluated arguments and a handle on the running execution
/// (for `include` and `tpl`, which render other templates of the same set). They throw
/// `FunctionError` to fail; the executor wraps the message as Go does
/// (`error calling NAME: MESSAGE`) and adds the template, line and column.
public struct TemplateFunction: Sendable {
    public typealias Body = @Sendable (_ arguments: [Value], _ execution: any TemplateExecution) throws -> Value

    /// How many arguments the function takes, checked before the call so the error
    /// reads like Go's "wrong number of args for NAME: want N got M".
    public let arity: ClosedRange<Int>
    public let body: Body
    /// The index of the argument a Go version of the function changes in place (sprig's
    /// `set`, `unset` and `merge` family change their first map), or nil. `Value` maps are
    /// values, so such a function returns the changed map and the executor stores it back
    /// where that argument was read from (a variable, `.` or `$`, or a field path under
    /// them), which is what Go's shared map makes every later read see.
    public var mutatedArgument: Int?

    public init(arity: ClosedRange<Int>, _ body: @escaping Body) {
        self.arity = arity
        self.body = body
    }

    /// A function of exactly `count` arguments.
    public init(arity count: Int, _ body: @escaping Body) {
        self.init(arity: count...count, body)
    }

    /// A variadic function taking at least `minimum` arguments.
    public init(atLeast minimum: Int, _ body: @escaping Body) {
        self.init(arity: minimum...Int.max, body)
    }
}

/// A failure inside a template function. `message` is what follows
/// "error calling NAME: " in the final error.
public struct FunctionError: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// The part of a running execution that functions may use.
public protocol TemplateExecution {
    /// Executes the template called `name` of the current set with `data` as dot, and
    /// returns its output (Helm's `include`).
    func execute(templateNamed name: String, data: Value) throws -> String
    /// Parses `text` as a new template that can call the current set's templates, and
    /// executes it with `data` (Helm's `tpl`).
    func execute(text: String, data: Value) throws -> String
}

/// Named functions available to a template set, in addition to the language's builtins
/// (`and`, `or`, `not`, `len`, `index`, `slice`, `eq`, `print`, ... which the executor owns).
public typealias FunctionLibrary = [String: TemplateFunction]
