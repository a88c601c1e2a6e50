import CYAML

/// Builds `Value`s from libyaml's event stream, deciding what scalars, tags, anchors and
/// merge keys mean the way go-yaml v2 does when sigs.k8s.io/yaml reads a document for Helm:
///
/// - scalars resolve by `YAMLScalar`; quoted scalars are strings; `!!str`, `!!int`,
///   `!!float`, `!!bool`, `!!null`, `!!binary` (base64, decoded) force a type or fail;
///   `!!timestamp` and unknown tags leave the text a string;
/// - map keys become strings as sigs.k8s.io/yaml converts them (`10`, `true`, float keys via
///   float32 `%g`); null, list and map keys are errors; a repeated key keeps the last value;
/// - `<<` merges a map, or a list of maps with earlier maps winning, into its mapping at the
///   point it appears: later keys override what it brought in;
/// - aliases repeat their anchor's value; a document whose decoding is mostly alias expansion
///   ("billion laughs") is refused with go-yaml's own rule and message.
final class YAMLReader {
    /// Deepest nesting of collections accepted: deeper input would exhaust the stack.
    static let maxNesting = 1000

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private var event = yaml_event_t()
    private let source: String
    private let numbers: NumberStyle
    private let input: UnsafeBufferPointer<UInt8>

    private struct Anchored {
        var value: Value
        /// The scalar's meaning before number styling, so an alias used as a key converts
        /// as the scalar itself would.
        var scalar: YAMLScalar?
        /// Nodes go-yaml would decode each time the anchor is used.
        var nodes: Int
    }
    private var anchors: [String: Anchored] = [:]
    private var decodedNodes = 0
    private var aliasedNodes = 0
    private var depth = 0

    /// Reads documents from `input`, which must stay valid while the reader is used.
    private init(input: UnsafeBufferPointer<UInt8>, source: String, numbers: NumberStyle) {
        self.input = input
        self.source = source
        self.numbers = numbers
        parser = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, input.baseAddress, input.count)
    }

    deinit {
        yaml_event_delete(&event)
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    /// The documents of `text`; only the first when `firstOnly`, leaving the rest unread as
    /// go-yaml's `Unmarshal` does.
    static func documents(
        _ text: String, source: String, numbers: NumberStyle, firstOnly: Bool
    ) throws(YAMLError) -> [Value] {
        var text = text
        let result = text.withUTF8 { bytes -> Result<[Value], YAMLError> in
            // libyaml asserts on a null input pointer; no bytes means no documents.
            guard bytes.baseAddress != nil, !bytes.isEmpty else { return .success([]) }
            let reader = YAMLReader(input: bytes, source: source, numbers: numbers)
            do throws(YAMLError) {
                return .success(try reader.readStream(firstOnly: firstOnly))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: - Stream and documents

    private func readStream(firstOnly: Bool) throws(YAMLError) -> [Value] {
        var documents: [Value] = []
        try advance()  // STREAM-START
        try advance()
        while event.type == YAML_DOCUMENT_START_EVENT {
            anchors.removeAll(keepingCapacity: true)
            decodedNodes = 0
            aliasedNodes = 0
            try advance()
            let (value, _) = try node()
            documents.append(value)
            if firstOnly { return documents }
            try advance()  // past DOCUMENT-END
            try advance()
        }
        return documents
    }

    /// Fetches the next event, releasing the current one.
    private func advance() throws(YAMLError) {
        yaml_event_delete(&event)
        guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError() }
    }

    // MARK: - Nodes

    /// Reads the node starting at the current event and ends on its last event.
    /// Returns the value and how many nodes go-yaml would have decoded for it.
    private func node() throws(YAMLError) -> (Value, Int) {
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = try currentScalar()
            let value = try styled(scalar)
            remember(anchor: event.data.scalar.anchor, value: value, scalar: scalar, nodes: 1)
            count(nodes: 1)
            return (value, 1)
        case YAML_ALIAS_EVENT:
            let anchored = try alias()
            return (anchored.value, anchored.nodes)
        case YAML_SEQUENCE_START_EVENT:
            let anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
            let (value, nodes) = try sequence()
            if let anchor { anchors[anchor] = Anchored(value: value, scalar: nil, nodes: nodes) }
            return (value, nodes)
        case YAML_MAPPING_START_EVENT:
            let anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
            let (value, nodes) = try mapping()
            if let anchor { anchors[anchor] = Anchored(value: value, scalar: nil, nodes: nodes) }
            return (value, nodes)
        default:
            throw error(at: event.start_mark, "unexpected YAML event \(event.type.rawValue)")
        }
    }

    private func sequence() throws(YAMLError) -> (Value, Int) {
        let start = event.start_mark
        try enter(at: start)
        defer { depth -= 1 }
        count(nodes: 1)
        var nodes = 1
        var items: [Value] = []
        try advance()
        while event.type != YAML_SEQUENCE_END_EVENT {
            let (item, itemNodes) = try node()
            items.append(item)
            nodes += itemNodes
            try advance()
        }
        return (.list(items), nodes)
    }

    private func mapping() throws(YAMLError) -> (Value, Int) {
        let start = event.start_mark
        try enter(at: start)
        defer { depth -= 1 }
        count(nodes: 1)
        var nodes = 1
        var map: Value.Map = [:]
        try advance()
        while event.type != YAML_MAPPING_END_EVENT {
            let (key, keyNodes) = try mapKey()
            try advance()
            let valueMark = event.start_mark
            let (value, valueNodes) = try node()
            nodes += keyNodes + valueNodes
            if let key {
                map[key] = value
            } else {
                try merge(value, into: &map, at: valueMark)
            }
            try advance()
        }
        return (.map(map), nodes)
    }

    /// The key at the current event as a string, or nil for the merge key `<<`.
    private func mapKey() throws(YAMLError) -> (String?, Int) {
        let mark = event.start_mark
        let scalar: YAMLScalar
        switch event.type {
        case YAML_SCALAR_EVENT:
            scalar = try currentScalar()
            remember(anchor: event.data.scalar.anchor, value: try styled(scalar), scalar: scalar, nodes: 1)
            count(nodes: 1)
        case YAML_ALIAS_EVENT:
            let anchored = try alias()
            guard let aliased = anchored.scalar else { throw invalidKey(anchored.value, at: mark) }
            scalar = aliased
        default:
            let (value, _) = try node()
            throw invalidKey(value, at: mark)
        }
        switch scalar {
        case .merge: return (nil, 1)
        case let .string(text): return (text, 1)
        case let .int(integer): return (String(integer), 1)
        case let .float(number): return (GoFloat.yamlKey(number), 1)
        case let .bool(flag): return (flag ? "true" : "false", 1)
        case let .unsigned(integer):
            throw error(at: mark, "map key \(integer) is beyond the 64-bit signed range JSON keys are converted from")
        case .null:
            throw error(at: mark, "map key is null; keys must be strings, numbers or booleans")
        }
    }

    private func invalidKey(_ key: Value, at mark: yaml_mark_t) -> YAMLError {
        error(at: mark, "invalid map key: a \(key.kindName) cannot be a key")
    }

    /// Applies a `<<` value: a map, or a list of maps where earlier maps take precedence.
    private func merge(_ value: Value, into map: inout Value.Map, at mark: yaml_mark_t) throws(YAMLError) {
        switch value {
        case let .map(merged):
            for (key, item) in merged { map[key] = item }
        case let .list(list):
            for element in list.reversed() {
                guard case let .map(merged) = element else { throw mergeError(at: mark) }
                for (key, item) in merged { map[key] = item }
            }
        default:
            throw mergeError(at: mark)
        }
    }

    private func mergeError(at mark: yaml_mark_t) -> YAMLError {
        error(at: mark, "map merge requires map or sequence of maps as the value")
    }

    private func enter(at mark: yaml_mark_t) throws(YAMLError) {
        depth += 1
        if depth > Self.maxNesting {
            throw error(at: mark, "exceeded max depth of \(Self.maxNesting)")
        }
    }

    // MARK: - Aliases

    private func alias() throws(YAMLError) -> Anchored {
        let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
        guard let anchored = anchors[name] else {
            throw error(at: event.start_mark, "unknown anchor '\(name)' referenced")
        }
        decodedNodes += anchored.nodes
        aliasedNodes += anchored.nodes
        if aliasedNodes > 100 && decodedNodes > 1000
            && Double(aliasedNodes) / Double(decodedNodes) > Self.allowedAliasRatio(decodedNodes)
        {
            throw error(at: event.start_mark, "document contains excessive aliasing")
        }
        return anchored
    }

    /// go-yaml's defence against alias bombs: the share of decoded nodes that may come from
    /// alias expansion, 99% for small documents falling to 10% from 4 million nodes.
    private static func allowedAliasRatio(_ decoded: Int) -> Double {
        let low = 400_000.0, high = 4_000_000.0
        let count = Double(decoded)
        if count <= low { return 0.99 }
        if count >= high { return 0.10 }
        return 0.99 - 0.89 * ((count - low) / (high - low))
    }

    private func count(nodes: Int) { decodedNodes += nodes }

    private func remember(
        anchor: UnsafeMutablePointer<yaml_char_t>?, value: Value, scalar: YAMLScalar?, nodes: Int
    ) {
        guard let anchor else { return }
        anchors[String(cString: anchor)] = Anchored(value: value, scalar: scalar, nodes: nodes)
    }

    // MARK: - Scalars

    private static let tagPrefix = "tag:yaml.org,2002:"

    /// The meaning of the scalar at the current event, with its tag applied.
    private func currentScalar() throws(YAMLError) -> YAMLScalar {
        let data = event.data.scalar
        let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
        guard let tagPointer = data.tag else {
            return data.plain_implicit != 0 ? YAMLScalar.resolvePlain(text) : .string(text)
        }
        let tag = String(cString: tagPointer)
        guard tag.hasPrefix(Self.tagPrefix) else { return .string(text) }  // local tags: text as is
        let name = tag.dropFirst(Self.tagPrefix.count)
        let resolved = YAMLScalar.resolvePlain(text)
        switch (name, resolved) {
        case ("str", _), ("timestamp", _), ("map", _), ("seq", _): return .string(text)
        case ("binary", _):
            guard let decoded = Base64.decode(text) else {
                throw error(at: event.start_mark, "!!binary value contains invalid base64 data")
            }
            return .string(String(decoding: decoded, as: UTF8.self))
        case ("merge", _): return .merge
        case ("int", .int), ("int", .unsigned), ("float", .float), ("bool", .bool), ("null", .null):
            return resolved
        case ("float", let .int(integer)): return .float(Double(integer))
        case ("float", let .unsigned(integer)): return .float(Double(integer))
        case ("int", _), ("float", _), ("bool", _), ("null", _):
            throw error(at: event.start_mark, "cannot decode \(Self.shortTag(resolved)) `\(text)` as a !!\(name)")
        default:
            return .string(text)
        }
    }

    private static func shortTag(_ scalar: YAMLScalar) -> String {
        switch scalar {
        case .null: "!!null"
        case .bool: "!!bool"
        case .int, .unsigned: "!!int"
        case .float: "!!float"
        case .string: "!!str"
        case .merge: "!!merge"
        }
    }

    /// The scalar as a `Value` in the reader's number style.
    private func styled(_ scalar: YAMLScalar) throws(YAMLError) -> Value {
        switch scalar {
        case .null: return .null
        case let .bool(flag): return .bool(flag)
        case let .int(integer): return numbers == .exact ? .int(integer) : .float(Double(integer))
        case let .unsigned(integer): return .float(Double(integer))
        case let .float(number):
            if numbers == .helm && !number.isFinite {
                let text = "json: unsupported value: \(GoFloat.format(number))"
                throw YAMLError(
                    source: source, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                    message: text, goText: text)
            }
            return .float(number)
        case let .string(text): return .string(text)
        case .merge: return .string("<<")
        }
    }

    // MARK: - Errors

    private func error(at mark: yaml_mark_t, _ message: String) -> YAMLError {
        YAMLError(source: source, line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message)
    }

    /// libyaml's report, with go-yaml v2's way of numbering the line in `goText`.
    private func syntaxError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown problem parsing YAML content"
        var line = Int(state.problem_mark.line) + 1
        var column = Int(state.problem_mark.column) + 1
        if state.error == YAML_READER_ERROR {
            (line, column) = position(ofOffset: state.problem_offset)
        }
        var goLine = 0
        if state.problem_mark.line != 0 {
            goLine = Int(state.problem_mark.line) + (state.error == YAML_SCANNER_ERROR ? 1 : 0)
        } else if state.context_mark.line != 0 {
            goLine = Int(state.context_mark.line)
        }
        var message = problem
        if let context = state.context.map({ String(cString: $0) }), state.error != YAML_READER_ERROR {
            message = "\(problem) (\(context) at line \(state.context_mark.line + 1), column \(state.context_mark.column + 1))"
        }
        let goText = goLine != 0 ? "yaml: line \(goLine): \(problem)" : "yaml: \(problem)"
        return YAMLError(source: source, line: line, column: column, message: message, goText: goText)
    }

    private func position(ofOffset offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, input.count) where input[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
