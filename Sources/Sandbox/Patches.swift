import Unstructured

/// JSON merge patch (RFC 7386): maps merge, `null` deletes, everything else replaces.
enum MergePatch {
    static func apply(_ patch: Value, to target: Value) -> Value {
        guard case let .map(patchMap) = patch else { return patch }
        var result = target.mapValue ?? [:]
        for (key, value) in patchMap {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .map(result)
    }
}

/// JSON patch (RFC 6902). Like kube-apiserver, `replace` of a missing map key adds it.
enum JSONPatch {
    struct Failure: Error { let message: String; let isTestFailure: Bool }

    static func apply(_ patch: Value, to target: Value) throws(Failure) -> Value {
        guard let operations = patch.listValue else {
            throw Failure(message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch", isTestFailure: false)
        }
        var document = target
        for operation in operations {
            guard let op = operation["op"].stringValue, let path = operation["path"].stringValue else {
                throw Failure(message: "unexpected kind of operation", isTestFailure: false)
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add": document = try set(document, pointer, operation["value"], insert: true)
            case "replace": document = try set(document, pointer, operation["value"], insert: false)
            case "remove": document = try remove(document, pointer)
            case "test":
                guard get(document, pointer) == operation["value"] else {
                    throw Failure(message: "testing value \(path) failed: test failed", isTestFailure: true)
                }
            case "move", "copy":
                guard let from = operation["from"].stringValue, let value = get(document, try parsePointer(from)) else {
                    throw Failure(message: "\(op) operation does not apply: doc is missing from path: \(operation["from"].stringValue ?? "")", isTestFailure: false)
                }
                if op == "move" { document = try remove(document, try parsePointer(from)) }
                document = try set(document, pointer, value, insert: true)
            default:
                throw Failure(message: "Unexpected kind: \(op)", isTestFailure: false)
            }
        }
        return document
    }

    private static func parsePointer(_ path: String) throws(Failure) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw Failure(message: "JSON pointer must be empty or start with a \"/\": \(path)", isTestFailure: false) }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0.replacing("~1", with: "/").replacing("~0", with: "~"))
        }
    }

    private static func get(_ value: Value, _ pointer: [String]) -> Value? {
        var current = value
        for token in pointer {
            switch current {
            case let .map(map): guard let next = map[token] else { return nil }; current = next
            case let .list(items): guard let index = Int(token), items.indices.contains(index) else { return nil }; current = items[index]
            default: return nil
            }
        }
        return current
    }

    private static func set(_ value: Value, _ pointer: [String], _ newValue: Value, insert: Bool) throws(Failure) -> Value {
        guard let token = pointer.first else { return newValue }
        let rest = Array(pointer.dropFirst())
        switch value {
        case var .map(map):
            if rest.isEmpty { map[token] = newValue; return .map(map) }
            guard let child = map[token] else {
                throw Failure(message: "add operation does not apply: doc is missing path: \"/\(pointer.joined(separator: "/"))\": missing value", isTestFailure: false)
            }
            map[token] = try set(child, rest, newValue, insert: insert)
            return .map(map)
        case var .list(items):
            if rest.isEmpty {
                if token == "-" { items.append(newValue); return .list(items) }
                guard let index = Int(token), index >= 0, index <= items.count else {
                    throw Failure(message: "add operation does not apply: doc is missing path: \(token)", isTestFailure: false)
                }
                if insert { items.insert(newValue, at: index) } else if index < items.count { items[index] = newValue } else {
                    throw Failure(message: "replace operation does not apply: doc is missing key: \(token)", isTestFailure: false)
                }
                return .list(items)
            }
            guard let index = Int(token), items.indices.contains(index) else {
                throw Failure(message: "doc is missing path: \(token)", isTestFailure: false)
            }
            items[index] = try set(items[index], rest, newValue, insert: insert)
            return .list(items)
        default:
            throw Failure(message: "doc is missing path: /\(pointer.joined(separator: "/"))", isTestFailure: false)
        }
    }

    private static func remove(_ value: Value, _ pointer: [String]) throws(Failure) -> Value {
        guard let token = pointer.first else { return .null }
        let rest = Array(pointer.dropFirst())
        switch value {
        case var .map(map):
            guard let child = map[token] else {
                throw Failure(message: "remove operation does not apply: doc is missing path: \"/\(pointer.joined(separator: "/"))\"", isTestFailure: false)
            }
            if rest.isEmpty { map.removeValue(forKey: token) } else { map[token] = try remove(child, rest) }
            return .map(map)
        case var .list(items):
            guard let index = Int(token), items.indices.contains(index) else {
                throw Failure(message: "remove operation does not apply: doc is missing path", isTestFailure: false)
            }
            if rest.isEmpty { items.remove(at: index) } else { items[index] = try remove(items[index], rest) }
            return .list(items)
        default:
            throw Failure(message: "remove operation does not apply: doc is missing path", isTestFailure: false)
        }
    }
}

/// Strategic merge patch for built-in kinds: lists with a merge key merge item by item,
/// `$patch: delete|replace` and `$deleteFromPrimitiveList/<field>` are honoured, and the
/// `$setElementOrder/<field>` and `$retainKeys` directives kubectl adds are accepted.
enum StrategicMergePatch {
    static func apply(_ patch: Value, to target: Value, rules: ListRules, path: [String] = []) -> Value {
        guard case let .map(patchMap) = patch else { return patch }
        if patchMap["$patch"]?.stringValue == "replace" {
            var replaced = patchMap
            replaced.removeValue(forKey: "$patch")
            return .map(replaced)
        }
        var result = target.mapValue ?? [:]
        if let retain = patchMap["$retainKeys"]?.listValue?.compactMap(\.stringValue) {
            for key in result.keys where !retain.contains(key) { result.removeValue(forKey: key) }
        }
        for (key, value) in patchMap {
            if key.hasPrefix("$setElementOrder/") || key == "$retainKeys" || key == "$patch" { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let removals = value.listValue ?? []
                if let items = result[field]?.listValue { result[field] = .list(items.filter { !removals.contains($0) }) }
                continue
            }
            if value.isNull { result.removeValue(forKey: key); continue }
            let childPath = path + [key]
            switch value {
            case .map:
                result[key] = apply(value, to: result[key] ?? .null, rules: rules, path: childPath)
            case let .list(items):
                result[key] = mergeList(items, into: result[key]?.listValue ?? [], rules: rules, path: childPath)
            default:
                result[key] = value
            }
        }
        return .map(result)
    }

    private static func mergeList(_ patch: [Value], into current: [Value], rules: ListRules, path: [String]) -> Value {
        switch rules.semantics(path: path, items: patch + current) {
        case let .map(keys):
            var merged = current
            for item in patch {
                let directive = item["$patch"].stringValue
                let index = merged.firstIndex { existing in keys.allSatisfy { existing[$0] == item[$0] } }
                if directive == "delete" {
                    if let index { merged.remove(at: index) }
                } else if let index {
                    merged[index] = apply(item, to: merged[index], rules: rules, path: path)
                } else {
                    merged.append(apply(item, to: .null, rules: rules, path: path))
                }
            }
            return .list(merged)
        case .set:
            var merged = current
            for item in patch where !merged.contains(item) { merged.append(item) }
            return .list(merged)
        case .atomic:
            return .list(patch)
        }
    }
}

/// The merge step of server-side apply: the applied configuration laid over the live object,
/// with associative lists merged by key and atomic lists replaced.
enum ApplyMerge {
    static func merge(_ applied: Value, onto live: Value, rules: ListRules, path: [String] = []) -> Value {
        switch applied {
        case let .map(appliedMap):
            var result = live.mapValue ?? [:]
            for (key, value) in appliedMap {
                result[key] = merge(value, onto: result[key] ?? .null, rules: rules, path: path + [key])
            }
            return .map(result)
        case let .list(items):
            let current = live.listValue ?? []
            switch rules.semantics(path: path, items: items + current) {
            case let .map(keys):
                var merged = current
                for item in items {
                    if let index = merged.firstIndex(where: { existing in keys.allSatisfy { existing[$0] == item[$0] } }) {
                        merged[index] = merge(item, onto: merged[index], rules: rules, path: path)
                    } else {
                        merged.append(item)
                    }
                }
                return .list(merged)
            case .set:
                var merged = current
                for item in items where !merged.contains(item) { merged.append(item) }
                return .list(merged)
            case .atomic:
                return applied
            }
        default:
            return applied
        }
    }
}
