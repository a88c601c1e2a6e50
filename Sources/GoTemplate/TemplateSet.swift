import Unstructured

/// How executions of a set behave where Go offers a choice or sets a limit.
public struct ExecutionOptions: Sendable {
    /// What a missing or nil value prints as at the top of an action. Go prints `<no value>`;
    /// Helm erases that text afterwards, so it passes "" and gets the same bytes directly.
    public var missingValueText: String
    /// How deeply templates may call templates (`template`, `include`, `tpl`). Go's limit
    /// (100000) is far beyond what a thread's stack holds for us; past this limit execution
    /// fails with "exceeded maximum template depth" instead of overflowing the stack.
    public var maxDepth: Int

    public init(missingValueText: String = "<no value>", maxDepth: Int = 1000) {
        self.missingValueText = missingValueText
        self.maxDepth = maxDepth
    }
}

/// Templates parsed once and executed many times, concurrently if wanted: the parsed trees
/// are immutable and every execution keeps its own state.
public struct TemplateSet: Sendable {
    /// The set's own name, as Go's root template has one: text given to `tpl` is parsed
    /// under it, and errors about templates that do not exist mention it (Helm uses "gotpl").
    public let name: String
    let functions: FunctionLibrary
    let options: ExecutionOptions
    private(set) var trees: [String: Tree] = [:]

    public init(functions: FunctionLibrary, options: ExecutionOptions = .init(), name: String = "root") {
        self.functions = functions
        self.options = options
        self.name = name
    }

    /// Parses `text` as the template `name`, adding it and the templates it defines. A later
    /// definition replaces an earlier one of the same name unless it is empty, as in Go.
    public mutating func parse(name: String, text: String) throws(TemplateError) {
        for tree in try Parser.parse(name: name, text: text, functions: functions) {
            add(tree, to: &trees)
        }
    }

    func add(_ tree: Tree, to trees: inout [String: Tree]) {
        if let existing = trees[tree.name], tree.isEmpty, !existing.isEmpty { return }
        trees[tree.name] = tree
    }

    public func contains(_ name: String) -> Bool { trees[name] != nil }

    /// The names of all templates in the set, sorted.
    public var templateNames: [String] { trees.keys.sorted() }

    /// Executes template `name` with `data` as dot and `$`.
    public func execute(_ name: String, data: Value) throws(TemplateError) -> String {
        var data = data
        return try execute(name, data: &data)
    }

    /// Executes template `name` with `data` as dot and `$`, and leaves in `data` what the
    /// template made of it: `set $ "k" v` and the like change it, and Helm shares one data
    /// map among all templates of a chart, so a later template sees the change.
    public func execute(_ name: String, data: inout Value) throws(TemplateError) -> String {
        guard let tree = trees[name] else {
            throw TemplateError(
                kind: .execution, template: name, line: nil,
                message: "no template \(GoQuote.quote(name)) associated with template \(GoQuote.quote(self.name))")
        }
        let execution = Execution(set: self)
        let bytes = try execution.run(tree, data: data)
        data = execution.finalData
        return String(decoding: bytes, as: UTF8.self)
    }
}
