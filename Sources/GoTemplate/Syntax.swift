import Unstructured

/// The parsed form of a template: an immutable tree the executor walks. Every node keeps the
/// byte offset it started at, so any failure can be reported as name:line:column.
///
/// Names are resolved here, once: function identifiers carry the function itself and
/// variables carry their slot in the frame of the template that declares them.

/// One template body, from a file or a `define`/`block`.
final class Tree: Sendable {
    let name: String
    let source: Source
    let root: [Node]
    /// How many variable slots a frame for this tree needs; slot 0 is `$`.
    let frameSize: Int

    init(name: String, source: Source, root: [Node], frameSize: Int) {
        self.name = name
        self.source = source
        self.root = root
        self.frameSize = frameSize
    }

    /// Go keeps an existing template when a later definition of the same name is empty
    /// (only whitespace text), so `{{define "x"}}{{end}}` cannot erase a real one.
    var isEmpty: Bool {
        root.allSatisfy { node in
            if case let .text(bytes) = node { return bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } }
            return false
        }
    }
}

/// The text a tree was parsed from and the name it was parsed under (Go's `ParseName`),
/// which is where error locations point even for templates defined inside it.
final class Source: Sendable {
    let name: String
    let text: [UInt8]

    init(name: String, text: [UInt8]) {
        self.name = name
        self.text = text
    }

    /// Go's line (1-based) and column (0-based byte offset in the line) of `offset`.
    func location(of offset: Int) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), text.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where text[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, end - lineStart)
    }
}

indirect enum Node: Sendable {
    case text([UInt8])
    /// `{{pipeline}}`: prints the value unless the pipeline declares variables.
    case action(Pipeline)
    case conditional(Conditional)
    case range(RangeLoop)
    case template(TemplateCall)
    case breakLoop
    case continueLoop
}

/// `if` and `with`: `else if`/`else with` chains are an `elseBody` holding one conditional.
final class Conditional: Sendable {
    /// `with` moves dot to the pipeline's value; `if` leaves it alone.
    let isWith: Bool
    let pipeline: Pipeline
    let body: [Node]
    let elseBody: [Node]?

    init(isWith: Bool, pipeline: Pipeline, body: [Node], elseBody: [Node]?) {
        self.isWith = isWith
        self.pipeline = pipeline
        self.body = body
        self.elseBody = elseBody
    }
}

final class RangeLoop: Sendable {
    let pipeline: Pipeline
    let body: [Node]
    let elseBody: [Node]?

    init(pipeline: Pipeline, body: [Node], elseBody: [Node]?) {
        self.pipeline = pipeline
        self.body = body
        self.elseBody = elseBody
    }
}

/// `{{template "name" pipeline}}`, and the call half of `{{block}}`.
final class TemplateCall: Sendable {
    let offset: Int
    let name: String
    let pipeline: Pipeline?

    init(offset: Int, name: String, pipeline: Pipeline?) {
        self.offset = offset
        self.name = name
        self.pipeline = pipeline
    }

    var description: String {
        if let pipeline { return "{{template \(GoQuote.quote(name)) \(pipeline.description)}}" }
        return "{{template \(GoQuote.quote(name))}}"
    }
}

/// A variable reference resolved to its slot in the current frame.
struct Variable: Sendable {
    let name: String
    /// nil for an assignment (`$x = ...`) to a variable that was never declared, or for a
    /// new variable mentioned in the pipeline that declares it (`$x := $x`): Go reports
    /// both when they run.
    let slot: Int?
}

/// `declarations? command ('|' command)*`
final class Pipeline: Sendable {
    let offset: Int
    let declarations: [Variable]
    /// `=` rather than `:=`: the declarations name existing variables.
    let isAssignment: Bool
    let commands: [Command]

    init(offset: Int, declarations: [Variable], isAssignment: Bool, commands: [Command]) {
        self.offset = offset
        self.declarations = declarations
        self.isAssignment = isAssignment
        self.commands = commands
    }

    /// Go's `PipeNode.String`, used in error contexts.
    var description: String {
        var text = ""
        if !declarations.isEmpty {
            text = declarations.map(\.name).joined(separator: ", ") + " := "
        }
        return text + commands.map(\.description).joined(separator: " | ")
    }
}

struct Command: Sendable {
    let offset: Int
    let arguments: [Argument]

    var description: String {
        arguments.map { argument in
            if case .pipeline = argument { return "(\(argument.description))" }
            return argument.description
        }.joined(separator: " ")
    }
}

/// A number literal with the value Go's `idealConstant` gives it: float when written with a
/// point or exponent (and not a hex integer), int otherwise; nil when it overflows int.
struct NumberConstant: Sendable {
    let text: String
    let value: Value?
}

/// What a function name resolved to when the template was parsed.
enum Callee: Sendable {
    case builtin(Builtin)
    case library(TemplateFunction)
}

/// The operands of a command (Go's argument node kinds).
indirect enum Argument: Sendable {
    case dot(offset: Int)
    case nilConstant(offset: Int)
    case bool(Bool, offset: Int)
    case number(NumberConstant, offset: Int)
    case string(String, quoted: String, offset: Int)
    /// `.a.b.c`
    case field([String], offset: Int)
    /// `$x.a.b`
    case variable(Variable, fields: [String], offset: Int)
    /// `(pipeline).a.b`, or fields after a function name.
    case chain(Argument, fields: [String], offset: Int)
    case pipeline(Pipeline)
    case function(Callee, name: String, offset: Int)

    var offset: Int {
        switch self {
        case let .dot(offset), let .nilConstant(offset), let .bool(_, offset), let .number(_, offset),
            let .string(_, _, offset), let .field(_, offset), let .variable(_, _, offset), let .chain(_, _, offset),
            let .function(_, _, offset):
            offset
        case let .pipeline(pipeline): pipeline.offset
        }
    }

    /// Go's node `String()`: what error messages show between `<` and `>`.
    var description: String {
        switch self {
        case .dot: return "."
        case .nilConstant: return "nil"
        case let .bool(value, _): return value ? "true" : "false"
        case let .number(number, _): return number.text
        case let .string(_, quoted, _): return quoted
        case let .field(names, _): return names.map { "." + $0 }.joined()
        case let .variable(variable, fields, _): return variable.name + fields.map { "." + $0 }.joined()
        case let .chain(base, fields, _):
            let head = if case .pipeline = base { "(\(base.description))" } else { base.description }
            return head + fields.map { "." + $0 }.joined()
        case let .pipeline(pipeline): return pipeline.description
        case let .function(_, name, _): return name
        }
    }
}
