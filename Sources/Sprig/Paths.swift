import GoTemplate
import Unstructured

/// Go's `path` functions. The `os*` forms are the same on the slash-separated systems
/// this tool runs on.
extension Sprig {
    static func pathFunctions() -> FunctionLibrary {
        let functions: FunctionLibrary = [
            "base": .init(arity: 1) { a, _ in .string(SlashPath.base(try a.string(0))) },
            "dir": .init(arity: 1) { a, _ in .string(SlashPath.dir(try a.string(0))) },
            "clean": .init(arity: 1) { a, _ in .string(SlashPath.clean(try a.string(0))) },
            "ext": .init(arity: 1) { a, _ in .string(SlashPath.ext(try a.string(0))) },
            "isAbs": .init(arity: 1) { a, _ in .bool(try a.string(0).hasPrefix("/")) },
        ]
        var library = functions
        for (name, function) in functions {
            library["os" + name.prefix(1).uppercased() + name.dropFirst()] = function
        }
        return library
    }
}

/// Lexical slash-separated path operations with Go's results for edge cases ("" → ".").
enum SlashPath {
    static func clean(_ path: String) -> String {
        guard !path.isEmpty else { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for element in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch element {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(element)
                }
            default: parts.append(element)
            }
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func base(_ path: String) -> String {
        guard !path.isEmpty else { return "." }
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty else { return "/" }
        if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
        return String(trimmed)
    }

    static func dir(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return clean(String(path[...slash]))
    }

    static func ext(_ path: String) -> String {
        for index in path.indices.reversed() {
            switch path[index] {
            case "/": return ""
            case ".": return String(path[index...])
            default: continue
            }
        }
        return ""
    }
}
