import Unstructured

/// Turns one template text into trees: the text's own body and one per `define`/`block`.
/// Each parse function names the grammar rule it recognizes, as Go's parser does.
struct Parser {
    /// How deeply actions and parenthesized pipelines may nest: far beyond any real template,
    /// so bad input gets an error instead of a deep recursion (`StackGuard` also watches the
    /// actual stack, which on a small thread runs out first).
    static let maxNesting = 1000

    private let source: Source
    private let items: [Item]
    private let functions: FunctionLibrary
    private var cursor = 0
    /// Go reports parse errors at the line of the furthest token read, lookahead included.
    private var furthest = 0
    /// Line of the `{{` of the action being parsed, for "unclosed action started at" messages.
    private var actionLine = 0

    // Per-tree state: the variables in scope (name and slot), slots used, loop nesting.
    private var scope: [(name: String, slot: Int)] = []
    private var slotCount = 0
    private var rangeDepth = 0
    private var nesting = 0
    private let stack = StackGuard()

    /// Trees defined so far in this text, in definition order; the text's own tree comes last.
    private(set) var definitions: [Tree] = []

    init(name: String, text: String, functions: FunctionLibrary) {
        let bytes = Array(text.utf8)
        source = Source(name: name, text: bytes)
        items = Lexer.items(of: bytes)
        self.functions = functions
    }

    /// Parses the whole text; returns the named tree for it and every tree it defines.
    static func parse(name: String, text: String, functions: FunctionLibrary) throws(TemplateError) -> [Tree] {
        var parser = Parser(name: name, text: text, functions: functions)
        try parser.parseTemplate()
        return parser.definitions
    }

    // MARK: - Token access

    private mutating func next() -> Item {
        // Past the end, the last item (EOF or the error) repeats.
        let item = items[min(cursor, items.count - 1)]
        furthest = max(furthest, min(cursor, items.count - 1))
        cursor += 1
        return item
    }

    private mutating func peek() -> Item {
        furthest = max(furthest, min(cursor, items.count - 1))
        return items[min(cursor, items.count - 1)]
    }

    private mutating func backup(_ count: Int = 1) { cursor -= count }

    private mutating func nextNonSpace() -> Item {
        var item = next()
        while item.kind == .space { item = next() }
        return item
    }

    private mutating func peekNonSpace() -> Item {
        let item = nextNonSpace()
        backup()
        return item
    }

    private func text(of item: Item) -> String {
        String(decoding: source.text[item.start..<item.end], as: UTF8.self)
    }

    // MARK: - Errors

    private func error(_ message: String) -> TemplateError {
        let line = items[min(furthest, items.count - 1)].line
        return TemplateError(kind: .parse, template: source.name, line: line, message: message)
    }

    /// Go's item `String()` as used in "unexpected X in Y".
    private func describe(_ item: Item) -> String {
        switch item.kind {
        case .eof: return "EOF"
        case .error: return item.message
        case .keyword: return "<\(text(of: item))>"
        default:
            let value = text(of: item)
            if value.unicodeScalars.count > 10 {
                return GoQuote.quote(String(String.UnicodeScalarView(value.unicodeScalars.prefix(10)))) + "..."
            }
            return GoQuote.quote(value)
        }
    }

    private func unexpected(_ item: Item, in context: String) -> TemplateError {
        if item.kind == .error {
            var extra = ""
            if actionLine != 0 && actionLine != item.line {
                extra = " in action started at \(source.name):\(actionLine)"
                if item.message.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
            }
            return error(item.message + extra)
        }
        return error("unexpected \(describe(item)) in \(context)")
    }

    private mutating func expect(_ kind: ItemKind, _ context: String) throws(TemplateError) -> Item {
        let item = nextNonSpace()
        guard item.kind == kind else { throw unexpected(item, in: context) }
        return item
    }

    private mutating func enterNesting() throws(TemplateError) {
        nesting += 1
        guard nesting <= Self.maxNesting else {
            throw error("template nested too deeply (more than \(Self.maxNesting) levels)")
        }
        guard stack.hasRoom() else {
            throw error("template nested too deeply for the stack (\(nesting) levels)")
        }
    }

    // MARK: - Variables

    private mutating func startTree() {
        scope = [("$", 0)]
        slotCount = 1
        rangeDepth = 0
    }

    private mutating func declare(_ name: String) -> Variable {
        let slot = slotCount
        slotCount += 1
        scope.append((name, slot))
        return Variable(name: name, slot: slot)
    }

    /// Runs `body` with a fresh variable scope (a `define` or `block` body is a tree of its
    /// own), then restores the enclosing tree's scope.
    private mutating func inNewTree(_ body: (inout Parser) throws(TemplateError) -> Void) throws(TemplateError) {
        let saved = (scope, slotCount, rangeDepth)
        startTree()
        try body(&self)
        (scope, slotCount, rangeDepth) = saved
    }

    private func lookup(_ name: String) -> Int? {
        scope.last(where: { $0.name == name })?.slot
    }

    // MARK: - Grammar

    /// template:
    ///     (textOrAction | '{{define' string '}}' itemList '{{end}}')*  EOF
    private mutating func parseTemplate() throws(TemplateError) {
        startTree()
        var root: [Node] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delimiterIndex = cursor
                let delimiter = next()
                if nextNonSpace().kind == .keyword(.define) {
                    actionLine = delimiter.line
                    try inNewTree { (parser: inout Parser) throws(TemplateError) in try parser.parseDefinition() }
                    actionLine = 0
                    continue
                }
                cursor = delimiterIndex
            }
            let (node, terminator) = try textOrAction()
            if let terminator { throw error("unexpected \(terminator)") }
            if let node { root.append(node) }
        }
        try add(Tree(name: source.name, source: source, root: root, frameSize: slotCount))
    }

    /// Records a tree; two non-empty definitions of one name in a single text are an error,
    /// an empty one never replaces another.
    private mutating func add(_ tree: Tree) throws(TemplateError) {
        if let index = definitions.firstIndex(where: { $0.name == tree.name }) {
            if definitions[index].isEmpty {
                definitions[index] = tree
            } else if !tree.isEmpty {
                throw error("template: multiple definition of template \(GoQuote.quote(tree.name))")
            }
            return
        }
        definitions.append(tree)
    }

    /// definition:
    ///     '{{define' stringValue '}}' itemList '{{end}}'
    /// The `{{define` has been read.
    private mutating func parseDefinition() throws(TemplateError) {
        let context = "define clause"
        let nameItem = nextNonSpace()
        guard nameItem.kind == .string || nameItem.kind == .rawString else { throw unexpected(nameItem, in: context) }
        let name = try unquote(nameItem)
        _ = try expect(.rightDelim, context)
        actionLine = 0
        let (body, end) = try itemList()
        guard end == .end else { throw error("unexpected \(end) in \(context)") }
        try add(Tree(name: name, source: source, root: body, frameSize: slotCount))
    }

    /// Which keyword ended an item list.
    enum Terminator: CustomStringConvertible {
        case end, `else`
        var description: String { self == .end ? "{{end}}" : "{{else}}" }
    }

    /// itemList:
    ///     textOrAction*
    /// Ends at `{{end}}` or `{{else}}`, which is returned separately.
    private mutating func itemList() throws(TemplateError) -> ([Node], Terminator) {
        try enterNesting()
        defer { nesting -= 1 }
        var list: [Node] = []
        while peekNonSpace().kind != .eof {
            let (node, terminator) = try textOrAction()
            if let terminator { return (list, terminator) }
            if let node { list.append(node) }
        }
        throw error("unexpected EOF")
    }

    /// textOrAction:
    ///     text | action
    private mutating func textOrAction() throws(TemplateError) -> (Node?, Terminator?) {
        let item = nextNonSpace()
        switch item.kind {
        case .text:
            return (.text(Array(source.text[item.start..<item.end])), nil)
        case .leftDelim:
            actionLine = item.line
            defer { actionLine = 0 }
            return try action()
        default:
            throw unexpected(item, in: "input")
        }
    }

    /// action:
    ///     control | pipeline
    /// The left delimiter has been read.
    private mutating func action() throws(TemplateError) -> (Node?, Terminator?) {
        let item = nextNonSpace()
        switch item.kind {
        case .keyword(.block): return (try blockControl(), nil)
        case .keyword(.break): return (try loopControl("break"), nil)
        case .keyword(.continue): return (try loopControl("continue"), nil)
        case .keyword(.else): try elseControl(); return (nil, .else)
        case .keyword(.end):
            _ = try expect(.rightDelim, "end")
            return (nil, .end)
        case .keyword(.if): return (try conditional(isWith: false), nil)
        case .keyword(.range): return (try rangeControl(), nil)
        case .keyword(.template): return (try templateControl(), nil)
        case .keyword(.with): return (try conditional(isWith: true), nil)
        default:
            backup()
            // Variables declared here stay in scope until the enclosing {{end}}.
            return (.action(try pipeline(context: "command", end: .rightDelim)), nil)
        }
    }

    /// break / continue:
    ///     '{{break}}' | '{{continue}}'   (only inside a range)
    private mutating func loopControl(_ keyword: String) throws(TemplateError) -> Node {
        let item = nextNonSpace()
        guard item.kind == .rightDelim else { throw unexpected(item, in: "{{\(keyword)}}") }
        guard rangeDepth > 0 else { throw error("{{\(keyword)}} outside {{range}}") }
        return keyword == "break" ? .breakLoop : .continueLoop
    }

    /// else:
    ///     '{{else}}' | '{{else' ('if' | 'with') ...
    /// For `else if`/`else with` the keyword is left for the enclosing control to read.
    private mutating func elseControl() throws(TemplateError) {
        let item = peekNonSpace()
        if item.kind == .keyword(.if) || item.kind == .keyword(.with) { return }
        _ = try expect(.rightDelim, "else")
    }

    /// if / with:
    ///     '{{if' pipeline '}}' itemList ('{{else}}' itemList | '{{else if' ...)? '{{end}}'
    ///     '{{with' pipeline '}}' itemList ('{{else}}' itemList | '{{else with' ...)? '{{end}}'
    private mutating func conditional(isWith: Bool) throws(TemplateError) -> Node {
        let context = isWith ? "with" : "if"
        let scopeMark = scope.count
        defer { scope.removeSubrange(scopeMark...) }
        let condition = try pipeline(context: context, end: .rightDelim)
        let (body, terminator) = try itemList()
        var elseBody: [Node]?
        if terminator == .else {
            let chained: ItemKind = isWith ? .keyword(.with) : .keyword(.if)
            if peekNonSpace().kind == chained {
                _ = nextNonSpace()
                elseBody = [try conditional(isWith: isWith)]
            } else {
                let (list, end) = try itemList()
                guard end == .end else { throw error("expected end; found \(end)") }
                elseBody = list
            }
        }
        return .conditional(Conditional(isWith: isWith, pipeline: condition, body: body, elseBody: elseBody))
    }

    /// range:
    ///     '{{range' (variable (',' variable)? (':=' | '='))? pipeline '}}' itemList
    ///     ('{{else}}' itemList)? '{{end}}'
    private mutating func rangeControl() throws(TemplateError) -> Node {
        let scopeMark = scope.count
        defer { scope.removeSubrange(scopeMark...) }
        let collection = try pipeline(context: "range", end: .rightDelim)
        rangeDepth += 1
        let (body, terminator) = try itemList()
        rangeDepth -= 1
        var elseBody: [Node]?
        if terminator == .else {
            let (list, end) = try itemList()
            guard end == .end else { throw error("expected end; found \(end)") }
            elseBody = list
        }
        return .range(RangeLoop(pipeline: collection, body: body, elseBody: elseBody))
    }

    /// template:
    ///     '{{template' stringValue pipeline? '}}'
    private mutating func templateControl() throws(TemplateError) -> Node {
        let context = "template clause"
        let nameItem = nextNonSpace()
        let name = try templateName(nameItem, context)
        var argument: Pipeline?
        if nextNonSpace().kind != .rightDelim {
            backup()
            argument = try pipeline(context: context, end: .rightDelim)
        }
        return .template(TemplateCall(offset: nameItem.start, name: name, pipeline: argument))
    }

    /// block:
    ///     '{{block' stringValue pipeline '}}' itemList '{{end}}'
    /// Defines the template and calls it in place.
    private mutating func blockControl() throws(TemplateError) -> Node {
        let context = "block clause"
        let nameItem = nextNonSpace()
        let name = try templateName(nameItem, context)
        let argument = try pipeline(context: context, end: .rightDelim)
        try inNewTree { (parser: inout Parser) throws(TemplateError) in
            let (body, end) = try parser.itemList()
            guard end == .end else { throw parser.error("unexpected \(end) in \(context)") }
            try parser.add(Tree(name: name, source: parser.source, root: body, frameSize: parser.slotCount))
        }
        return .template(TemplateCall(offset: nameItem.start, name: name, pipeline: argument))
    }

    private mutating func templateName(_ item: Item, _ context: String) throws(TemplateError) -> String {
        guard item.kind == .string || item.kind == .rawString else { throw unexpected(item, in: context) }
        return try unquote(item)
    }

    /// pipeline:
    ///     declarations? command ('|' command)*
    /// declarations:
    ///     variable (':=' | '=')          and for range:  variable ',' variable (':=' | '=')
    private mutating func pipeline(context: String, end: ItemKind) throws(TemplateError) -> Pipeline {
        let offset = peekNonSpace().start
        var declared: [Item] = []
        var isAssignment = false
        declarations: while peekNonSpace().kind == .variable {
            let variable = nextNonSpace()
            let variableIndex = cursor - 1
            let following = peekNonSpace()
            switch following.kind {
            case .assign, .declare:
                isAssignment = following.kind == .assign
                _ = nextNonSpace()
                declared.append(variable)
                break declarations
            case .char where text(of: following) == ",":
                _ = nextNonSpace()
                declared.append(variable)
                if context == "range" && declared.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue declarations
                    default: throw error("range can only initialize variables")
                    }
                }
                throw error("too many declarations in \(context)")
            default:
                // `$x` is an operand after all: put the tokens back.
                cursor = variableIndex
                break declarations
            }
        }
        var commands: [Command] = []
        while true {
            let item = nextNonSpace()
            switch item.kind {
            case end:
                if commands.isEmpty { throw error("missing value for \(context)") }
                for (index, command) in commands.enumerated().dropFirst() {
                    switch command.arguments[0] {
                    case .bool, .dot, .nilConstant, .number, .string:
                        throw error("non executable command in pipeline stage \(index + 1)")
                    default: break
                    }
                }
                // Declared only now: the pipeline itself still sees the previous variable of
                // that name (`$x := append $x 1`), as Go pushes the variable after evaluating.
                let variables = declared.map { item -> Variable in
                    let name = text(of: item)
                    if isAssignment {
                        if let slot = lookup(name) {
                            scope.append((name, slot))
                            return Variable(name: name, slot: slot)
                        }
                        scope.append((name, slotCount))
                        slotCount += 1
                        return Variable(name: name, slot: nil)
                    }
                    return declare(name)
                }
                return Pipeline(offset: offset, declarations: variables, isAssignment: isAssignment, commands: commands)
            case .bool, .charConstant, .dot, .field, .identifier, .number, .keyword(.nil), .rawString, .string,
                .variable, .leftParen:
                backup()
                commands.append(try command())
            default:
                throw unexpected(item, in: context)
            }
        }
    }

    /// command:
    ///     operand (space operand)*
    /// Consumes a following `|`; leaves the right delimiter or paren for the pipeline.
    private mutating func command() throws(TemplateError) -> Command {
        let offset = peekNonSpace().start
        var arguments: [Argument] = []
        while true {
            _ = peekNonSpace()
            if let argument = try operand() { arguments.append(argument) }
            let item = next()
            switch item.kind {
            case .space: continue
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(item, in: "operand")
            }
            break
        }
        guard !arguments.isEmpty else { throw error("empty command") }
        return Command(offset: offset, arguments: arguments)
    }

    /// operand:
    ///     term ('.' field)*
    private mutating func operand() throws(TemplateError) -> Argument? {
        guard let term = try term() else { return nil }
        guard peek().kind == .field else { return term }
        let offset = peek().start
        var fields: [String] = []
        while peek().kind == .field { fields.append(String(text(of: next()).dropFirst())) }
        switch term {
        case let .field(names, _): return .field(names + fields, offset: offset)
        case let .variable(variable, previous, _): return .variable(variable, fields: previous + fields, offset: offset)
        case .bool, .string, .number, .nilConstant, .dot:
            throw error("unexpected . after term \(GoQuote.quote(term.description))")
        default: return .chain(term, fields: fields, offset: offset)
        }
    }

    /// term:
    ///     literal | function | '.' | '.Field' | '$' variable | '(' pipeline ')'
    /// Returns nil when the next item is not a term.
    private mutating func term() throws(TemplateError) -> Argument? {
        let item = nextNonSpace()
        switch item.kind {
        case .identifier:
            let name = text(of: item)
            guard let callee = Self.resolve(name, in: functions) else {
                throw error("function \(GoQuote.quote(name)) not defined")
            }
            return .function(callee, name: name, offset: item.start)
        case .dot: return .dot(offset: item.start)
        case .keyword(.nil): return .nilConstant(offset: item.start)
        case .variable:
            let name = text(of: item)
            guard let slot = lookup(name) else { throw error("undefined variable \(GoQuote.quote(name))") }
            return .variable(Variable(name: name, slot: slot), fields: [], offset: item.start)
        case .field: return .field([String(text(of: item).dropFirst())], offset: item.start)
        case .bool: return .bool(text(of: item) == "true", offset: item.start)
        case .number, .charConstant: return .number(try number(item), offset: item.start)
        case .leftParen:
            try enterNesting()
            defer { nesting -= 1 }
            return .pipeline(try pipeline(context: "parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            return .string(try unquote(item), quoted: text(of: item), offset: item.start)
        default:
            backup()
            return nil
        }
    }

    /// Library functions shadow builtins, as Go's `Funcs` entries do.
    static func resolve(_ name: String, in functions: FunctionLibrary) -> Callee? {
        if let function = functions[name] { return .library(function) }
        if let builtin = Builtin(rawValue: name) { return .builtin(builtin) }
        return nil
    }

    private func unquote(_ item: Item) throws(TemplateError) -> String {
        guard let value = GoQuote.unquote(text(of: item)) else { throw error("invalid syntax") }
        return value
    }

    /// Number and character literals, with Go's rules for which become ints and which floats.
    private func number(_ item: Item) throws(TemplateError) -> NumberConstant {
        let literal = text(of: item)
        if item.kind == .charConstant {
            switch GoQuote.unquoteCharacter(literal) {
            case let .rune(character): return NumberConstant(text: literal, value: .int(Int(character)))
            case .invalid: throw error("invalid syntax")
            case .malformed: throw error("malformed character constant: \(literal)")
            }
        }
        switch GoNumber.parse(literal) {
        case let .integer(value): return NumberConstant(text: literal, value: .int(value))
        case let .float(value): return NumberConstant(text: literal, value: .float(value))
        case .overflowsInt: return NumberConstant(text: literal, value: nil)
        case .integerOverflow: throw error("integer overflow: \(GoQuote.quote(literal))")
        case .imaginary: throw error("complex number \(GoQuote.quote(literal)) is not supported")
        case .invalid: throw error("illegal number syntax: \(GoQuote.quote(literal))")
        }
    }
}
