import Unstructured

/// A value together with where it came from, which Go's reflection-based executor
/// distinguishes and templates can observe: a value read out of a map or list is held in an
/// `interface {}` ("boxed"), one produced by a pipeline is not. A boxed nil fails on field
/// access ("nil pointer evaluating interface {}.x"); an unboxed nil quietly yields nil.
struct Datum {
    var value: Value
    var boxed: Bool
    /// Where a map dot was read from, so functions that change it in place can store the
    /// change there and later reads of dot see it (see `Place`).
    var place: Place? = nil
    /// The execution's `generation` when `value` was read from `place`.
    var generation = 0
}

/// A storage location of the running frame: a variable slot and a path of map keys under it.
///
/// Go's maps are references: `set`, `unset` and `merge` change the map itself, and every
/// variable, dot or field that holds it sees the change. `Value` maps are values, which keeps
/// field access free of locking and reference counting on the hot path, so the executor
/// writes back instead: a function with a `TemplateFunction.mutatedArgument` returns the
/// changed map and the executor stores it at the place that argument was read from. Aliases
/// are tracked where templates make them: `$` and an un-rebound `.` are slot 0; a variable
/// declared from a map place (`$v := .Values.x`) and a dot rebound by `with` or `range` keep
/// that place as their origin, so a store through them reaches the origin and a read of them
/// after any store re-reads it; a template run by `template`, `include` or `tpl` that changed
/// its dot has the change stored where the caller read that argument; `index` of a place
/// with string literal keys is the place below it. Writes are rare, so
/// the cost is one integer comparison per variable read and per action. Maps reachable only
/// through another function's result (`(dict "ctx" $)`, `get`, a map inside a list) are
/// copies, a difference from Go that no chart of the corpus relies on.
struct Place {
    var slot: Int
    var path: [String]

    func appending(_ keys: [String]) -> Place { Place(slot: slot, path: path + keys) }
}

/// What a walk tells the enclosing range.
enum Flow {
    case normal, breakLoop, continueLoop
}

/// The state of one execution (Go's `state`): output, depth, the variables of the template
/// being run. The parsed set is never touched, which is what makes concurrent executions of
/// one `TemplateSet` safe.
final class Execution: TemplateExecution {
    private let set: TemplateSet
    private var output: [UInt8] = []
    private var depth = 0
    /// Templates defined by text given to `tpl`, visible while that text runs.
    private var overlays: [[String: Tree]] = []
    /// The tree being executed, for error locations.
    private var tree: Tree?
    /// The variables of the running template, `$` first.
    private var slots: [Slot] = []
    /// Counts stores: a dot or variable read at an older generation may be stale.
    private var generation = 0
    /// `$` as the outermost template left it, for callers that carry it to the next execution.
    private(set) var finalData: Value = .null
    /// The library function being called, so a template it executes (`include`, `tpl`) can
    /// store the changes it made to its dot where the caller read that argument from.
    private var pendingCall: PendingCall?

    /// A variable (Go's `variable`), with what `Place` needs to keep it in step with the map
    /// it was read from.
    private struct Slot {
        var value: Value = .null
        var boxed = false
        /// For a map read from another place, that place (see `Place`).
        var origin: Place? = nil
        /// The `generation` at which the value was last read from its origin.
        var validAt = 0
    }

    private struct PendingCall {
        let arguments: ArraySlice<Argument>
        let values: [Value]
        let dot: Datum
    }
    private let stack = StackGuard()

    init(set: TemplateSet) {
        self.set = set
    }

    /// Runs `tree` with `data` as dot and returns what it wrote.
    func run(_ tree: Tree, data: Value) throws(TemplateError) -> [UInt8] {
        output.reserveCapacity(tree.source.text.count * 2)
        finalData = try call(tree, dot: Datum(value: data, boxed: false), from: nil) ?? data
        return output
    }

    // MARK: - TemplateExecution (for include and tpl)

    func execute(templateNamed name: String, data: Value) throws -> String {
        guard let tree = lookup(name) else {
            throw TemplateError(
                kind: .execution, template: name, line: nil,
                message: "no template \(GoQuote.quote(name)) associated with template \(GoQuote.quote(set.name))")
        }
        var changed: Value?
        let text = try capture { () throws(TemplateError) in
            changed = try call(tree, dot: Datum(value: data, boxed: false), from: nil)
        }
        if let changed { storeChanged(data, as: changed) }
        return text
    }

    func execute(text: String, data: Value) throws -> String {
        var overlay: [String: Tree] = [:]
        let trees = try Parser.parse(name: set.name, text: text, functions: set.functions)
        for tree in trees { set.add(tree, to: &overlay) }
        guard let main = trees.last else { return "" }
        overlays.append(overlay)
        defer { overlays.removeLast() }
        var changed: Value?
        let text = try capture { () throws(TemplateError) in
            changed = try call(main, dot: Datum(value: data, boxed: false), from: nil)
        }
        if let changed { storeChanged(data, as: changed) }
        return text
    }

    private func lookup(_ name: String) -> Tree? {
        for overlay in overlays.reversed() {
            if let tree = overlay[name] { return tree }
        }
        return set.trees[name]
    }

    /// Runs `body` writing into a fresh buffer and returns that buffer as a string.
    private func capture(_ body: () throws(TemplateError) -> Void) throws(TemplateError) -> String {
        let saved = output
        output = []
        defer { output = saved }
        try body()
        return String(decoding: output, as: UTF8.self)
    }

    /// Executes `tree` in a new frame: templates see no variables of their caller. Returns
    /// the frame's `$` if anything was stored while it ran, so the caller can store it where
    /// it read the data from.
    @discardableResult
    private func call(_ tree: Tree, dot: Datum, from call: TemplateCall?) throws(TemplateError) -> Value? {
        guard depth < set.options.maxDepth, stack.hasRoom() else {
            let message = depth < set.options.maxDepth
                ? "exceeded maximum template depth: the stack is nearly exhausted at depth \(depth)"
                : "exceeded maximum template depth (\(set.options.maxDepth))"
            if let call { throw failure(message, at: call.offset, context: call.description) }
            throw TemplateError(kind: .execution, template: tree.name, line: nil, message: message)
        }
        let saved = (self.tree, slots)
        depth += 1
        self.tree = tree
        slots = Array(repeating: Slot(validAt: generation), count: tree.frameSize)
        slots[0].value = dot.value
        slots[0].boxed = dot.boxed
        let startGeneration = generation
        defer {
            depth -= 1
            (self.tree, slots) = saved
        }
        // `$` and the frame's dot are one storage until something rebinds dot.
        _ = try walk(tree.root, Datum(value: dot.value, boxed: dot.boxed, place: Place(slot: 0, path: []), generation: generation))
        if generation == startGeneration { return .none }
        return .some(slots[0].value)
    }

    // MARK: - Errors

    func failure(_ message: String, at offset: Int, context: String, kind: TemplateError.Kind = .execution)
        -> TemplateError
    {
        guard let tree else { return TemplateError(kind: kind, template: "", line: nil, message: message) }
        let (line, column) = tree.source.location(of: offset)
        return TemplateError(
            kind: kind, template: tree.source.name, executing: tree.name, line: line, column: column,
            context: context, message: message)
    }

    /// A function's failure, as Go reports it: "error calling NAME: ..." at the call.
    private func functionFailure(_ name: String, _ error: any Error, at site: CallSite) -> TemplateError {
        guard let tree else { return TemplateError(kind: .function(name), template: "", line: nil, message: "\(error)") }
        let (line, column) = tree.source.location(of: site.offset)
        let message: String
        var underlying: TemplateError?
        switch error {
        case let error as FunctionError: message = error.message
        case let error as TemplateError:
            message = error.description
            underlying = error
        default: message = "\(error)"
        }
        return TemplateError(
            kind: .function(name), template: tree.source.name, executing: tree.name, line: line, column: column,
            context: site.description, message: message, underlying: underlying)
    }

    // MARK: - Walking

    private func walk(_ nodes: [Node], _ dot: Datum) throws(TemplateError) -> Flow {
        var dot = dot
        for node in nodes {
            if dot.generation != generation { dot = refreshed(dot) }
            switch node {
            case let .text(bytes):
                output.append(contentsOf: bytes)
            case let .action(pipeline):
                let value = try evalPipeline(pipeline, dot)
                if pipeline.declarations.isEmpty { printValue(value) }
            case let .conditional(conditional):
                let value = try evalPipeline(conditional.pipeline, dot)
                let flow: Flow
                if Self.isTrue(value) {
                    flow = try walk(
                        conditional.body, conditional.isWith ? rebound(value, from: conditional.pipeline, dot) : dot)
                } else if let elseBody = conditional.elseBody {
                    flow = try walk(elseBody, dot)
                } else {
                    flow = .normal
                }
                if flow != .normal { return flow }
            case let .range(loop):
                try walkRange(loop, dot)
            case let .template(templateCall):
                guard let tree = lookup(templateCall.name) else {
                    throw failure(
                        "template \(GoQuote.quote(templateCall.name)) not defined", at: templateCall.offset,
                        context: templateCall.description)
                }
                var argument = Datum(value: .null, boxed: false)
                if let pipeline = templateCall.pipeline { argument.value = try evalPipeline(pipeline, dot) }
                if let changed = try call(tree, dot: argument, from: templateCall), case .map = argument.value,
                    case .map = changed, let pipeline = templateCall.pipeline, let place = place(of: pipeline, dot)
                {
                    store(changed, at: place)
                }
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            }
        }
        return .normal
    }

    /// Top-level printing: strings as they are, nil as the missing-value text, anything else
    /// as Go's `%v`.
    private func printValue(_ value: Value) {
        switch value {
        case let .string(text):
            output.append(contentsOf: text.utf8)
        case .null:
            output.append(contentsOf: set.options.missingValueText.utf8)
        case let .int(number):
            output.append(contentsOf: String(number).utf8)
        case let .int64(number):
            output.append(contentsOf: String(number).utf8)
        default:
            var formatter = GoFormatter(into: output)
            output = []
            formatter.printValue(value)
            output = formatter.output
        }
    }

    /// The node Go's executor last visited while evaluating `pipeline` (the last argument of
    /// its last command), which is where Go points errors raised after the evaluation.
    private static func lastEvaluated(_ pipeline: Pipeline) -> Argument? {
        guard let last = pipeline.commands.last?.arguments.last else { return nil }
        return lastEvaluated(last)
    }

    private static func lastEvaluated(_ argument: Argument) -> Argument {
        if case let .pipeline(inner) = argument { return lastEvaluated(inner) ?? argument }
        return argument
    }

    /// An error raised after evaluating `pipeline`, placed where Go places it.
    private func failure(_ message: String, after pipeline: Pipeline) -> TemplateError {
        guard let node = Self.lastEvaluated(pipeline) else {
            return failure(message, at: pipeline.offset, context: pipeline.description)
        }
        return failure(message, at: node.offset, context: node.description)
    }

    private func walkRange(_ loop: RangeLoop, _ dot: Datum) throws(TemplateError) {
        let pipeline = loop.pipeline
        var collection = try evalPipeline(pipeline, dot)
        if case let .object(object) = collection { collection = object.representation }
        let declarations = pipeline.declarations

        func slot(_ index: Int) throws(TemplateError) -> Int {
            guard let slot = declarations[index].slot else {
                throw failure("undefined variable: \(declarations[index].name)", after: pipeline)
            }
            return slot
        }
        func iteration(key: Value, element: Datum) throws(TemplateError) -> Flow {
            if declarations.count == 1 {
                bind(try slot(0), to: element)
            } else if declarations.count == 2 {
                bind(try slot(0), to: Datum(value: key, boxed: false))
                bind(try slot(1), to: element)
            }
            return try walk(loop.body, element)
        }

        switch collection {
        case let .list(items) where !items.isEmpty:
            for (index, item) in items.enumerated() {
                if try iteration(key: .int(index), element: Datum(value: item, boxed: true)) == .breakLoop { break }
            }
            return
        case let .map(map) where !map.isEmpty:
            let collectionPlace = place(of: pipeline, dot)
            for key in map.keys.sorted(by: GoFormatter.goLess) {
                var element = Datum(value: map[key] ?? .null, boxed: true)
                if case .map = element.value, let collectionPlace {
                    element.place = collectionPlace.appending([key])
                    element.generation = generation
                }
                if try iteration(key: .string(key), element: element) == .breakLoop { break }
            }
            return
        case .int, .int64:
            // Go 1.22's range over an integer: elements of the integer's own type.
            let count = collection.intValue ?? 0
            guard declarations.count < 2 else {
                throw failure("can't use \(count) to iterate over more than one variable", after: pipeline)
            }
            if count > 0 {
                let isInt64 = if case .int64 = collection { true } else { false }
                for index in 0..<count {
                    let element: Value = isInt64 ? .int64(Int64(index)) : .int(index)
                    if try iteration(key: .null, element: Datum(value: element, boxed: false)) == .breakLoop {
                        break
                    }
                }
                return
            }
        case .list, .map, .null:
            break
        default:
            var formatter = GoFormatter()
            formatter.printValue(collection)
            let shown = String(decoding: formatter.output, as: UTF8.self)
            throw failure("range can't iterate over \(shown)", after: pipeline)
        }
        if let elseBody = loop.elseBody { _ = try walk(elseBody, dot) }
    }

    // MARK: - Evaluation

    /// Go's truth: false, 0, 0.0, "", empty lists and maps, and nil are false.
    static func isTrue(_ value: Value) -> Bool {
        switch value {
        case .null: false
        case let .bool(flag): flag
        case let .int(number): number != 0
        case let .int64(number): number != 0
        case let .float(number): number != 0
        case let .string(text): !text.isEmpty
        case let .list(items): !items.isEmpty
        case let .map(map): !map.isEmpty
        case .object: true
        }
    }

    private func evalPipeline(_ pipeline: Pipeline, _ dot: Datum) throws(TemplateError) -> Value {
        guard stack.hasRoom() else {
            throw failure(
                "exceeded maximum template depth: the stack is nearly exhausted at depth \(depth)", at: pipeline.offset,
                context: pipeline.description)
        }
        var value: Value = .null
        var hasFinal = false
        for command in pipeline.commands {
            value = try evalCommand(command, dot, final: hasFinal ? .some(value) : .none)
            hasFinal = true
        }
        if !pipeline.declarations.isEmpty {
            var datum = Datum(value: value, boxed: false)
            if case .map = value {
                datum.place = place(of: pipeline, dot)
            }
            for variable in pipeline.declarations {
                guard let slot = variable.slot else {
                    throw failure("undefined variable: \(variable.name)", after: pipeline)
                }
                bind(slot, to: datum)
            }
        }
        return value
    }

    private func evalCommand(_ command: Command, _ dot: Datum, final: Value?) throws(TemplateError) -> Value {
        let first = command.arguments[0]
        switch first {
        case let .field(names, _):
            return try evalFieldChain(dot, names, arguments: command.arguments.dropFirst(), final: final, node: first, dot)
        case let .chain(base, fields, _):
            if case .nilConstant = base {
                throw failure("indirection through explicit nil in \(first.description)", at: first.offset, context: first.description)
            }
            let receiver = Datum(value: try evalArgument(base, dot), boxed: false)
            return try evalFieldChain(
                receiver, fields, arguments: command.arguments.dropFirst(), final: final,
                node: Self.lastEvaluated(base), dot)
        case let .variable(variable, fields, _):
            let receiver = try variableValue(variable, at: first)
            if fields.isEmpty {
                try notAFunction(command, final)
                return receiver.value
            }
            return try evalFieldChain(receiver, fields, arguments: command.arguments.dropFirst(), final: final, node: first, dot)
        case let .function(callee, name, _):
            return try evalFunction(
                callee, name, arguments: command.arguments.dropFirst(), final: final, dot,
                named: first.offset, at: .command(command))
        case let .pipeline(pipeline):
            try notAFunction(command, final)
            return try evalPipeline(pipeline, dot)
        case .dot:
            try notAFunction(command, final)
            return dot.value
        case .nilConstant:
            try notAFunction(command, final)
            throw failure("nil is not a command", at: first.offset, context: first.description)
        case let .bool(flag, _):
            try notAFunction(command, final)
            return .bool(flag)
        case let .number(number, _):
            try notAFunction(command, final)
            return try constant(number, at: first)
        case let .string(text, _, _):
            try notAFunction(command, final)
            return .string(text)
        }
    }

    private func notAFunction(_ command: Command, _ final: Value?) throws(TemplateError) {
        if command.arguments.count > 1 || final.isPresent {
            let first = command.arguments[0]
            throw failure(
                "can't give argument to non-function \(first.description)", at: first.offset, context: first.description)
        }
    }

    private func constant(_ number: NumberConstant, at node: Argument) throws(TemplateError) -> Value {
        guard let value = number.value else {
            throw failure("\(number.text) overflows int", at: node.offset, context: node.description)
        }
        return value
    }

    private func variableValue(_ variable: Variable, at node: Argument) throws(TemplateError) -> Datum {
        guard let slot = variable.slot else {
            throw failure("undefined variable: \(variable.name)", at: node.offset, context: variable.name)
        }
        if slots[slot].validAt != generation { refresh(slot) }
        return Datum(value: slots[slot].value, boxed: slots[slot].boxed)
    }

    /// An argument of a function or method (Go's `evalArg` for `interface {}` parameters).
    private func evalArgument(_ argument: Argument, _ dot: Datum) throws(TemplateError) -> Value {
        switch argument {
        case .dot: return dot.value
        case .nilConstant: return .null
        case let .bool(flag, _): return .bool(flag)
        case let .number(number, _): return try constant(number, at: argument)
        case let .string(text, _, _): return .string(text)
        case let .field(names, _): return try evalFieldChain(dot, names, arguments: [], final: .none, node: argument, dot)
        case let .variable(variable, fields, _):
            let receiver = try variableValue(variable, at: argument)
            if fields.isEmpty { return receiver.value }
            return try evalFieldChain(receiver, fields, arguments: [], final: .none, node: argument, dot)
        case let .chain(base, fields, _):
            if case .nilConstant = base {
                throw failure("indirection through explicit nil in \(argument.description)", at: argument.offset, context: argument.description)
            }
            let receiver = Datum(value: try evalArgument(base, dot), boxed: false)
            return try evalFieldChain(receiver, fields, arguments: [], final: .none, node: Self.lastEvaluated(base), dot)
        case let .pipeline(pipeline):
            return try evalPipeline(pipeline, dot)
        case let .function(callee, name, offset):
            return try evalFunction(
                callee, name, arguments: [], final: .none, dot, named: offset, at: .word(argument))
        }
    }

    /// `.a.b.c` from `receiver`; the last name gets the command's arguments when it is a method.
    private func evalFieldChain(
        _ receiver: Datum, _ names: [String], arguments: ArraySlice<Argument>, final: Value?, node: Argument,
        _ dot: Datum
    ) throws(TemplateError) -> Value {
        var current = receiver
        for name in names.dropLast() {
            current = try evalField(name, of: current, arguments: [], final: .none, node: node, dot)
        }
        guard let last = names.last else { return current.value }
        return try evalField(last, of: current, arguments: arguments, final: final, node: node, dot).value
    }

    private func evalField(
        _ name: String, of receiver: Datum, arguments: ArraySlice<Argument>, final: Value?, node: Argument, _ dot: Datum
    ) throws(TemplateError) -> Datum {
        let hasArguments = !arguments.isEmpty || final.isPresent
        switch receiver.value {
        case let .map(map):
            if hasArguments {
                throw failure("\(name) is not a method but has arguments", at: node.offset, context: node.description)
            }
            return Datum(value: map[name] ?? .null, boxed: true)
        case .null:
            if receiver.boxed {
                throw failure("nil pointer evaluating interface {}.\(name)", at: node.offset, context: node.description)
            }
            return Datum(value: .null, boxed: false)
        case let .object(object):
            if let method = object.method(name) {
                var values: [Value] = []
                values.reserveCapacity(arguments.count + 1)
                for argument in arguments { values.append(try evalArgument(argument, dot)) }
                if let final { values.append(final) }
                do {
                    return Datum(value: try method(values), boxed: false)
                } catch {
                    throw functionFailure(name, error, at: .word(node))
                }
            }
            if let value = object.field(name) {
                if hasArguments {
                    throw failure(
                        "\(name) has arguments but cannot be invoked as function", at: node.offset,
                        context: node.description)
                }
                return Datum(value: value, boxed: false)
            }
        default:
            break
        }
        let type = receiver.boxed ? "interface {}" : GoFormatter.typeName(receiver.value)
        throw failure("can't evaluate field \(name) in type \(type)", at: node.offset, context: node.description)
    }

    // MARK: - Places (Go's shared maps; see `Place`)

    /// The place `argument` reads a whole value from, if it is a variable, dot or a field
    /// path under them.
    private func place(of argument: Argument, _ dot: Datum) -> Place? {
        switch argument {
        case .dot: return dot.place
        case let .field(names, _): return dot.place?.appending(names)
        case let .variable(variable, fields, _): return variable.slot.map { Place(slot: $0, path: fields) }
        case let .pipeline(pipeline): return place(of: pipeline, dot)
        default: return nil
        }
    }

    /// The place a pipeline of one bare operand (`.Values.x`, `$v`, `(.)`) reads from, or of
    /// `index` with string literal keys on such an operand (`index $root "x" "y"`), which
    /// returns the map itself, as Go's does.
    private func place(of pipeline: Pipeline, _ dot: Datum) -> Place? {
        guard pipeline.commands.count == 1, let command = pipeline.commands.first, !command.arguments.isEmpty else {
            return nil
        }
        if command.arguments.count == 1 { return place(of: command.arguments[0], dot) }
        guard case .function(.builtin(.index), _, _) = command.arguments[0], command.arguments.count > 2,
            let base = place(of: command.arguments[1], dot)
        else { return nil }
        var keys: [String] = []
        for argument in command.arguments.dropFirst(2) {
            guard case let .string(key, _, _) = argument else { return nil }
            keys.append(key)
        }
        return base.appending(keys)
    }

    /// Dot rebound by `with` to `value`, aliasing the place the pipeline read it from.
    private func rebound(_ value: Value, from pipeline: Pipeline, _ dot: Datum) -> Datum {
        guard case .map = value, let place = place(of: pipeline, dot) else { return Datum(value: value, boxed: false) }
        return Datum(value: value, boxed: false, place: place, generation: generation)
    }

    /// Sets a variable; a map read from a place keeps that place as its origin. Origins are
    /// followed to a slot that has none, so they never form a cycle.
    private func bind(_ slot: Int, to datum: Datum) {
        slots[slot] = Slot(value: datum.value, boxed: datum.boxed, validAt: generation)
        guard case .map = datum.value, var origin = datum.place else { return }
        while let next = slots[origin.slot].origin { origin = next.appending(origin.path) }
        slots[slot].origin = origin.slot == slot ? nil : origin
    }

    /// Re-reads a variable from its origin after stores that may have changed it. A place
    /// that no longer holds a value leaves the variable as it was, as Go's map would.
    private func refresh(_ slot: Int) {
        slots[slot].validAt = generation
        guard let origin = slots[slot].origin, let value = value(at: origin) else { return }
        slots[slot].value = value
    }

    private func refreshed(_ dot: Datum) -> Datum {
        var dot = dot
        dot.generation = generation
        if let place = dot.place, let value = value(at: place) { dot.value = value }
        return dot
    }

    private func value(at place: Place) -> Value? {
        if slots[place.slot].validAt != generation { refresh(place.slot) }
        var current = slots[place.slot].value
        for key in place.path {
            guard case let .map(map) = current, let next = map[key] else { return nil }
            current = next
        }
        return current
    }

    /// Stores `value` at `place` and at the origins it aliases. Does nothing where the path
    /// does not lead through maps (a method or a missing key).
    private func store(_ value: Value, at place: Place) {
        var place = place
        while true {
            if slots[place.slot].validAt != generation { refresh(place.slot) }
            guard let updated = Self.replacing(slots[place.slot].value, at: place.path[...], with: value) else { return }
            slots[place.slot].value = updated
            generation &+= 1
            slots[place.slot].validAt = generation
            guard let origin = slots[place.slot].origin else { return }
            place = origin.appending(place.path)
        }
    }

    /// After `include` or `tpl` ran a template on `data` that changed it: stores the change
    /// where the pending call read the argument that was `data`.
    private func storeChanged(_ data: Value, as changed: Value) {
        guard case .map = data, case .map = changed, let call = pendingCall else { return }
        for (index, argument) in call.arguments.enumerated() where index < call.values.count {
            guard case .map = call.values[index], call.values[index] == data else { continue }
            if let place = place(of: argument, call.dot) { store(changed, at: place) }
            return
        }
    }

    private static func replacing(_ root: Value, at path: ArraySlice<String>, with value: Value) -> Value? {
        guard let key = path.first else { return value }
        guard case var .map(map) = root, let child = map[key],
            let updated = replacing(child, at: path.dropFirst(), with: value)
        else { return nil }
        map[key] = updated
        return .map(map)
    }

    // MARK: - Functions

    private func evalFunction(
        _ callee: Callee, _ name: String, arguments: ArraySlice<Argument>, final: Value?, _ dot: Datum,
        named nameOffset: Int, at site: CallSite
    ) throws(TemplateError) -> Value {
        let count = arguments.count + (final.isPresent ? 1 : 0)
        let arity: ClosedRange<Int>
        switch callee {
        case let .library(function): arity = function.arity
        case let .builtin(builtin): arity = builtin.arity
        }
        guard arity.contains(count) else {
            let expected = arity.upperBound == Int.max ? "at least \(arity.lowerBound)" : "\(arity.lowerBound)"
            let got = arity.upperBound == Int.max ? arguments.count : count
            throw failure("wrong number of args for \(name): want \(expected) got \(got)", at: nameOffset, context: name)
        }
        switch callee {
        case let .library(function):
            var values: [Value] = []
            values.reserveCapacity(count)
            for argument in arguments { values.append(try evalArgument(argument, dot)) }
            if let final { values.append(final) }
            let result: Value
            let outerCall = pendingCall
            pendingCall = PendingCall(arguments: arguments, values: values, dot: dot)
            defer { pendingCall = outerCall }
            do {
                result = try function.body(values, self)
            } catch {
                throw functionFailure(name, error, at: site)
            }
            if let index = function.mutatedArgument, index < arguments.count, case .map = values[index],
                case .map = result, let place = place(of: arguments[arguments.startIndex + index], dot)
            {
                store(result, at: place)
            }
            return result
        case let .builtin(builtin):
            return try evalBuiltin(builtin, arguments: arguments, final: final, dot, at: site)
        }
    }

    private func evalBuiltin(
        _ builtin: Builtin, arguments: ArraySlice<Argument>, final: Value?, _ dot: Datum, at site: CallSite
    ) throws(TemplateError) -> Value {
        switch builtin {
        case .and, .or:
            // Short-circuit: stop at the first argument that decides the answer, and return it.
            var value: Value = .null
            for argument in arguments {
                value = try evalArgument(argument, dot)
                if Self.isTrue(value) == (builtin == .or) { return value }
            }
            if let final { value = final }
            return value
        case .printf:
            // The format is a string parameter, checked as Go checks typed parameters.
            guard let formatArgument = arguments.first else {
                return try callBuiltin(builtin, [final ?? .null], at: site)
            }
            let format: Value
            switch formatArgument {
            case .string(let text, _, _): format = .string(text)
            case .bool, .number, .dot, .nilConstant:
                if case .dot = formatArgument, case .string = dot.value {
                    format = dot.value
                    break
                }
                let message = if case .nilConstant = formatArgument { "cannot assign nil to string" } else {
                    "expected string; found \(formatArgument.description)"
                }
                throw failure(message, at: formatArgument.offset, context: formatArgument.description)
            default:
                format = try evalArgument(formatArgument, dot)
                guard case .string = format else {
                    let type = if case .null = format { "interface {}" } else { GoFormatter.typeName(format) }
                    throw failure(
                        "wrong type for value; expected string; got \(type)", at: formatArgument.offset,
                        context: formatArgument.description)
                }
            }
            var values = [format]
            for argument in arguments.dropFirst() { values.append(try evalArgument(argument, dot)) }
            if let final { values.append(final) }
            return try callBuiltin(builtin, values, at: site)
        default:
            var values: [Value] = []
            values.reserveCapacity(arguments.count + 1)
            for argument in arguments { values.append(try evalArgument(argument, dot)) }
            if let final { values.append(final) }
            return try callBuiltin(builtin, values, at: site)
        }
    }

    private func callBuiltin(_ builtin: Builtin, _ values: [Value], at site: CallSite) throws(TemplateError)
        -> Value
    {
        do {
            return try builtin.apply(values)
        } catch {
            throw functionFailure(builtin.rawValue, error, at: site)
        }
    }
}

/// Where a function is called from. Kept as the nodes themselves so the text Go shows in
/// errors is only built when there is an error.
enum CallSite {
    /// A command whose first word is the function: errors show the whole command.
    case command(Command)
    /// A function name used as an argument or the receiver of a chain: errors show the name.
    case word(Argument)

    var offset: Int {
        switch self {
        case let .command(command): command.offset
        case let .word(argument): argument.offset
        }
    }

    var description: String {
        switch self {
        case let .command(command): command.description
        case let .word(argument): argument.description
        }
    }
}

extension Optional where Wrapped == Value {
    /// Whether a final (piped-in) argument exists. Spelled out because `Value` is
    /// `ExpressibleByNilLiteral`, so `final != nil` would compare against `Value.null`.
    var isPresent: Bool {
        if case .some = self { return true }
        return false
    }
}
