/// A parse or execution failure, kept in parts so a caller (Helm's error reformatting)
/// never has to take Go's message apart again. `description` is exactly Go's text.
public struct TemplateError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case parse
        case execution
        /// A function failed; `message` is what the function said.
        case function(String)
    }

    public let kind: Kind
    /// The name the failing text was parsed under (the file): where line and column point.
    public let template: String
    /// For execution errors, the template being executed (a `define` name, or the file).
    public let executing: String?
    /// 1-based; nil for errors that have no place (a missing template asked for by name).
    public let line: Int?
    /// 0-based byte offset in the line, as Go counts it; nil for parse errors, which Go
    /// reports by line only.
    public let column: Int?
    /// Go's text of the node that failed, shown between `<` and `>`.
    public let context: String?
    public let message: String
    private let cause: Cause?

    /// The error of a template rendered by a function (`include`, `tpl`) that made this
    /// function fail, when that is what happened.
    public var underlying: TemplateError? { cause?.error }

    public init(
        kind: Kind, template: String, executing: String? = nil, line: Int?, column: Int? = nil,
        context: String? = nil, message: String, underlying: TemplateError? = nil
    ) {
        self.kind = kind
        self.template = template
        self.executing = executing
        self.line = line
        self.column = column
        self.context = context
        self.message = message
        self.cause = underlying.map(Cause.init)
    }

    /// Go's text: `template: NAME:LINE: MESSAGE` for parse errors and
    /// `template: NAME:LINE:COL: executing "NAME" at <CONTEXT>: MESSAGE` for execution errors.
    public var description: String {
        let detail = if case let .function(name) = kind { "error calling \(name): \(message)" } else { message }
        guard let line else { return "template: \(detail)" }
        guard let column else { return "template: \(template):\(line): \(detail)" }
        let executing = GoQuote.quote(executing ?? template)
        return "template: \(template):\(line):\(column): executing \(executing) at <\(context ?? "")>: \(detail)"
    }

    public static func == (lhs: TemplateError, rhs: TemplateError) -> Bool {
        lhs.kind == rhs.kind && lhs.description == rhs.description
    }

    private final class Cause: Sendable {
        let error: TemplateError
        init(_ error: TemplateError) { self.error = error }
    }
}
