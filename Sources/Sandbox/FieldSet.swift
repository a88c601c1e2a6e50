import Unstructured

/// How a list merges: by key fields, as a set of scalars, or atomically (replaced whole).
enum ListSemantics: Sendable, Equatable {
    case map(keys: [String])
    case set
    case atomic
}

/// Decides list semantics for a path of plain field names (list indices skipped).
/// Built-in kinds use the merge keys of their Go types; custom resources use their CRD schema.
struct ListRules: Sendable {
    var schema: Value?

    static let builtinKeys: [String: [String]] = [
        "containers": ["name"], "initContainers": ["name"], "ephemeralContainers": ["name"],
        "env": ["name"], "volumes": ["name"], "imagePullSecrets": ["name"], "volumeMounts": ["mountPath"],
        "volumeDevices": ["devicePath"], "conditions": ["type"], "ownerReferences": ["uid"], "webhooks": ["name"],
        "hostAliases": ["ip"], "topologySpreadConstraints": ["topologyKey", "whenUnsatisfiable"],
        "resourceClaims": ["name"], "schedulingGates": ["name"],
    ]
    static let builtinSets: Set<String> = ["finalizers"]

    func semantics(path: [String], items: [Value]) -> ListSemantics {
        guard let last = path.last else { return .atomic }
        if path == ["metadata", "finalizers"] { return .set }
        if path == ["metadata", "ownerReferences"] { return .map(keys: ["uid"]) }
        if let schema {
            return Self.schemaSemantics(schema: schema, path: path)
        }
        if last == "ports" {
            if items.contains(where: { !$0["containerPort"].isNull }) { return .map(keys: ["containerPort"]) }
            if items.contains(where: { !$0["port"].isNull }) { return .map(keys: ["port"]) }
            return .atomic
        }
        if let keys = Self.builtinKeys[last] { return .map(keys: keys) }
        if Self.builtinSets.contains(last) { return .set }
        return .atomic
    }

    private static func schemaSemantics(schema: Value, path: [String]) -> ListSemantics {
        var node = schema
        for field in path {
            if node["type"] == "array" { node = node["items"] }
            let next = node["properties"][field]
            if next.isNull { return .atomic }
            node = next
        }
        switch node["x-kubernetes-list-type"].stringValue {
        case "map": return .map(keys: node["x-kubernetes-list-map-keys"].listValue?.compactMap(\.stringValue) ?? [])
        case "set": return .set
        default: return .atomic
        }
    }
}

/// One element of a managed-fields path, spelled as in `fieldsV1` (`f:name`, `k:{"name":"c"}`, `v:"x"`, `i:0`).
typealias FieldPath = [String]

/// A set of field paths, as server-side apply tracks ownership. Container paths are members when
/// the manager owns the container itself (the `"."` entries of `fieldsV1`).
struct FieldSet: Sendable, Equatable {
    var paths: Set<FieldPath> = []

    var isEmpty: Bool { paths.isEmpty }

    static func fromFieldsV1(_ value: Value) -> FieldSet {
        var set = FieldSet()
        func walk(_ node: Value, _ prefix: FieldPath) {
            guard let map = node.mapValue else { return }
            if map.isEmpty, !prefix.isEmpty { set.paths.insert(prefix); return }
            for (key, child) in map {
                if key == "." { set.paths.insert(prefix) } else { walk(child, prefix + [key]) }
            }
        }
        walk(value, [])
        return set
    }

    /// fieldsV1 with keys sorted, `"."` first.
    var fieldsV1: Value {
        final class Node {
            var children: [String: Node] = [:]
            var member = false
        }
        let root = Node()
        for path in paths {
            var node = root
            for element in path {
                if let child = node.children[element] { node = child } else {
                    let child = Node()
                    node.children[element] = child
                    node = child
                }
            }
            node.member = true
        }
        func render(_ node: Node) -> Value {
            var map = Value.Map()
            if node.member, !node.children.isEmpty { map["."] = [:] }
            for key in node.children.keys.sorted() { map[key] = render(node.children[key] ?? Node()) }
            return .map(map)
        }
        return render(root)
    }

    func union(_ other: FieldSet) -> FieldSet { FieldSet(paths: paths.union(other.paths)) }
    func subtracting(_ other: FieldSet) -> FieldSet { FieldSet(paths: paths.subtracting(other.paths)) }
    func intersection(_ other: FieldSet) -> FieldSet { FieldSet(paths: paths.intersection(other.paths)) }

    /// Every path an object sets: leaves, plus list items and new maps as containers when `markContainers`.
    static func of(_ object: Value, rules: ListRules, markItems: Bool = true) -> FieldSet {
        var set = FieldSet()
        func walk(_ value: Value, _ path: FieldPath, _ plain: [String]) {
            switch value {
            case let .map(map) where !map.isEmpty:
                for (key, child) in map { walk(child, path + ["f:" + key], plain + [key]) }
            case let .list(items) where !items.isEmpty:
                switch rules.semantics(path: plain, items: items) {
                case let .map(keys):
                    for item in items {
                        let element = FieldSet.keyElement(item, keys: keys)
                        if markItems { set.paths.insert(path + [element]) }
                        walk(item, path + [element], plain)
                    }
                case .set:
                    for item in items { set.paths.insert(path + ["v:" + BodyCodec.encodeString(item)]) }
                case .atomic:
                    set.paths.insert(path)
                }
            default:
                set.paths.insert(path)
            }
        }
        walk(object, [], [])
        return set
    }

    static func keyElement(_ item: Value, keys: [String]) -> String {
        var key = Value.Map()
        for field in keys.sorted() where !item[field].isNull { key[field] = item[field] }
        return "k:" + BodyCodec.encodeString(.map(key))
    }

    /// `.spec.containers[name="c"].image`, as conflict messages print paths.
    static func describe(_ path: FieldPath) -> String {
        var text = ""
        for element in path {
            if element.hasPrefix("f:") {
                text += "." + element.dropFirst(2)
            } else if element.hasPrefix("k:"), case let .map(map)? = try? BodyCodec.decode(Array(element.dropFirst(2).utf8)) {
                text += "[" + map.map { "\($0.key)=\(BodyCodec.encodeString($0.value))" }.joined(separator: ",") + "]"
            } else if element.hasPrefix("v:") {
                text += "[=" + element.dropFirst(2) + "]"
            } else if element.hasPrefix("i:") {
                text += "[" + element.dropFirst(2) + "]"
            }
        }
        return text
    }
}

/// Reads and edits objects along field paths.
enum FieldPaths {
    static func value(at path: FieldPath, in object: Value) -> Value? {
        var current = object
        for element in path {
            guard let next = child(current, element) else { return nil }
            current = next
        }
        return current
    }

    private static func child(_ value: Value, _ element: String) -> Value? {
        if element.hasPrefix("f:") {
            guard let map = value.mapValue else { return nil }
            return map[String(element.dropFirst(2))]
        }
        guard let items = value.listValue else { return nil }
        return items.first { matches($0, element) }
    }

    private static func matches(_ item: Value, _ element: String) -> Bool {
        if element.hasPrefix("k:") {
            guard case let .map(key)? = try? BodyCodec.decode(Array(element.dropFirst(2).utf8)) else { return false }
            return key.allSatisfy { item[$0.key] == $0.value }
        }
        if element.hasPrefix("v:") {
            return (try? BodyCodec.decode(Array(element.dropFirst(2).utf8))) == item
        }
        return false
    }

    /// Removes the field at `path`; empty maps left behind stay (the real server keeps them too).
    static func remove(_ path: FieldPath, from object: inout Value) {
        guard let first = path.first else { return }
        if path.count == 1 {
            if first.hasPrefix("f:"), case var .map(map) = object {
                map.removeValue(forKey: String(first.dropFirst(2)))
                object = .map(map)
            } else if case let .list(items) = object {
                object = .list(items.filter { !matches($0, first) })
            }
            return
        }
        let rest = Array(path.dropFirst())
        if first.hasPrefix("f:"), case var .map(map) = object, var child = map[String(first.dropFirst(2))] {
            remove(rest, from: &child)
            map[String(first.dropFirst(2))] = child
            object = .map(map)
        } else if case var .list(items) = object, let index = items.firstIndex(where: { matches($0, first) }) {
            remove(rest, from: &items[index])
            object = .list(items)
        }
    }
}
