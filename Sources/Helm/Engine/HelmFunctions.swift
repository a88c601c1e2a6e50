import GoTemplate
import Synchronization
import Unstructured

/// Reads objects from a cluster for `lookup`. Without one (`helm template`), `lookup`
/// returns an empty map, as Helm's does when it has no cluster to ask.
public protocol ClusterReader: Sendable {
    /// The object `name` of `kind` in `namespace` (empty for cluster-scoped kinds), or,
    /// when `name` is empty, a list object of all of them; nil when it does not exist.
    func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value?
}

/// The functions of Helm's that need the render: `include`, `tpl`, `required`, `fail`, `lookup`.
///
/// One instance serves one render: it counts `include` nesting and remembers the message
/// of an explicit failure (`fail`, `required`), which Helm reports in its own format
/// whatever template, include or `tpl` it happened in.
final class HelmFunctions: Sendable {
    /// Helm's limit on how often one template may be included inside itself.
    static let maxIncludeNesting = 1000

    private struct State {
        var includeDepth: [String: Int] = [:]
        var explicitFailure: String?
    }

    private let state = Mutex(State())
    private let clusterReader: (any ClusterReader)?

    init(clusterReader: (any ClusterReader)?) {
        self.clusterReader = clusterReader
    }

    /// The message of the `fail` or `required` that stopped the render, if one did.
    var explicitFailure: String? { state.withLock { $0.explicitFailure } }

    private func failExplicitly(_ message: String) -> FunctionError {
        state.withLock { $0.explicitFailure = message }
        return FunctionError(message)
    }

    var library: FunctionLibrary {
        [
            "include": TemplateFunction(arity: 2) { [self] arguments, execution in
                guard case let .string(name) = arguments[0] else {
                    throw FunctionError("template name must be a string, not \(arguments[0].kindName)")
                }
                try enterInclude(name)
                defer { state.withLock { $0.includeDepth[name, default: 1] -= 1 } }
                return .string(try execution.execute(templateNamed: name, data: arguments[1]))
            },
            "tpl": TemplateFunction(arity: 2) { arguments, execution in
                guard case let .string(text) = arguments[0] else {
                    throw FunctionError("tpl: the template must be a string, not \(arguments[0].kindName)")
                }
                do {
                    return .string(try execution.execute(text: text, data: arguments[1]))
                } catch let error as TemplateError where error.kind == .parse {
                    throw FunctionError("cannot parse template \(GoQuote.quote(text)): \(error)")
                } catch let error as TemplateError {
                    throw FunctionError("error during tpl function execution for \(GoQuote.quote(text)): \(error)")
                }
            },
            "required": TemplateFunction(arity: 2) { [self] arguments, _ in
                guard case let .string(message) = arguments[0] else {
                    throw FunctionError("required: the message must be a string")
                }
                switch arguments[1] {
                case .null, .string(""): throw failExplicitly(message)
                default: return arguments[1]
                }
            },
            "fail": TemplateFunction(arity: 1) { [self] arguments, _ in
                guard case let .string(message) = arguments[0] else {
                    throw FunctionError("fail: the message must be a string")
                }
                throw failExplicitly(message)
            },
            "lookup": TemplateFunction(arity: 4) { [clusterReader] arguments, _ in
                let texts = arguments.map { $0.stringValue ?? "" }
                guard let clusterReader else { return .map([:]) }
                do {
                    return try clusterReader.lookup(apiVersion: texts[0], kind: texts[1], namespace: texts[2], name: texts[3]) ?? .map([:])
                } catch {
                    throw FunctionError("unable to get resource \(texts[3]) of kind \(texts[1]): \(error)")
                }
            },
        ]
    }

    private func enterInclude(_ name: String) throws {
        let depth = state.withLock { state in
            state.includeDepth[name, default: 0] += 1
            return state.includeDepth[name, default: 0]
        }
        if depth > Self.maxIncludeNesting {
            state.withLock { $0.includeDepth[name, default: 1] -= 1 }
            throw FunctionError("rendering template has a nested reference name: \(name): unable to execute template")
        }
    }
}
