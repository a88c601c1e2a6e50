import OrderedCollections

/// The one data type every stage of the pipeline speaks: template data, Helm values,
/// rendered manifests and API objects are all `Value`s, so no stage re-parses text
/// another stage produced.
///
/// Maps keep insertion order because API objects and hand-written YAML read better
/// that way; writers that must be canonical (Helm's `toYaml`, Go's map printing) sort
/// keys themselves.
public enum Value: Sendable {
    case null
    case bool(Bool)
    /// An integer: what the YAML and JSON readers give, and Go's `int`, which a template's
    /// integer literal, `len` and `int` give.
    case int(Int)
    /// Go's `int64`, which only template code tells apart from `int`: sprig's arithmetic,
    /// `int64` and Helm's `--set` give it, and some sprig functions read only it (`duration`
    /// of an `int` is 0s). `plain` turns it into `.int`, so no other stage has to know it.
    case int64(Int64)
    case float(Double)
    case string(String)
    case list([Value])
    case map(Map)
    /// An object from the host program that templates can reach into (`.Files`,
    /// `.Capabilities.KubeVersion`): it answers field and method look-ups itself and
    /// says how it looks when printed or serialized.
    case object(any HostObject)

    public typealias Map = OrderedDictionary<String, Value>
}

/// A host object exposed to templates. Implementations are immutable reference types,
/// so they can be shared between concurrent renders.
public protocol HostObject: AnyObject, Sendable {
    /// The Go type name templates observe through `typeOf` and in error messages.
    var typeName: String { get }
    /// The value of field `name`, or nil when the object has no such field.
    func field(_ name: String) -> Value?
    /// The method `name`, or nil when the object has no such method.
    func method(_ name: String) -> HostMethod?
    /// What the object looks like to serializers and to `fmt`'s `%v`.
    var representation: Value { get }
}

/// A method of a host object: takes the call's arguments, returns one value or throws.
public typealias HostMethod = @Sendable ([Value]) throws -> Value

extension HostObject {
    public func method(_ name: String) -> HostMethod? { nil }
}

// MARK: - Literals

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .map(Map(elements, uniquingKeysWith: { _, last in last }))
    }
}

// MARK: - Equality

extension Value: Equatable {
    /// Structural equality; `int`, `int64` and `float` of the same number are different
    /// values (Go's `reflect.DeepEqual` agrees), host objects are equal only to themselves.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.int64(a), .int64(b)): return a == b
        case let (.float(a), .float(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.map(a), .map(b)):
            guard a.count == b.count else { return false }
            for (key, value) in a where b[key] != value { return false }
            return true
        case let (.object(a), .object(b)): return a === b
        default: return false
        }
    }
}

extension Value: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case let .bool(b): hasher.combine(b)
        case let .int(i): hasher.combine(i)
        case let .int64(i): hasher.combine(i)
        case let .float(d): hasher.combine(d)
        case let .string(s): hasher.combine(s)
        case let .list(l): hasher.combine(l)
        case let .map(m):
            // Order-independent, to agree with `==`.
            hasher.combine(m.count)
            var combined = 0
            for (key, value) in m { combined ^= key.hashValue &+ 31 &* value.hashValue }
            hasher.combine(combined)
        case let .object(o): hasher.combine(ObjectIdentifier(o))
        }
    }
}

// MARK: - Accessors

extension Value {
    public var isNull: Bool { if case .null = self { true } else { false } }

    public var boolValue: Bool? { if case let .bool(b) = self { b } else { nil } }
    /// An integer, whichever of Go's integer types it has.
    public var intValue: Int? {
        switch self {
        case let .int(i): i
        case let .int64(i): Int(i)
        default: nil
        }
    }
    public var floatValue: Double? { if case let .float(d) = self { d } else { nil } }
    public var stringValue: String? { if case let .string(s) = self { s } else { nil } }
    public var listValue: [Value]? { if case let .list(l) = self { l } else { nil } }
    public var mapValue: Map? { if case let .map(m) = self { m } else { nil } }

    /// A number as a Double, whether it was read as an integer or not.
    public var numberValue: Double? {
        switch self {
        case let .int(i): Double(i)
        case let .int64(i): Double(i)
        case let .float(d): d
        default: nil
        }
    }

    /// The member `key` of a map; `.null` for anything else or a missing key, so paths
    /// can be chained without unwrapping (`object["metadata"]["name"]`).
    public subscript(key: String) -> Value {
        get { if case let .map(m) = self { m[key] ?? .null } else { .null } }
        set {
            var map = mapValue ?? [:]
            map[key] = newValue
            self = .map(map)
        }
    }

    /// The element at `index` of a list; `.null` when out of range or not a list.
    public subscript(index: Int) -> Value {
        if case let .list(l) = self, l.indices.contains(index) { l[index] } else { .null }
    }

    /// Follows a path of map keys; `.null` where any step is missing.
    public subscript(path path: [String]) -> Value {
        get { path.reduce(self) { $0[$1] } }
        set {
            guard let first = path.first else { self = newValue; return }
            var child = self[first]
            child[path: Array(path.dropFirst())] = newValue
            self[first] = child
        }
    }

    /// The name of the value's kind, for error messages that say what was found.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .int64: "integer"
        case .float: "number"
        case .string: "string"
        case .list: "list"
        case .map: "map"
        case let .object(o): o.typeName
        }
    }

    /// The value with host objects replaced by their representation and `int64`s by `int`s,
    /// all the way down: what serializers and the API server see.
    public var plain: Value {
        switch self {
        case let .int64(i): .int(Int(i))
        case let .object(o): o.representation.plain
        case let .list(l): .list(l.map(\.plain))
        case let .map(m): .map(m.mapValues(\.plain))
        default: self
        }
    }
}

// MARK: - Merging

extension Value {
    /// Deep merge: maps merge key by key, recursively; anything else in `overlay`
    /// replaces what is in `self`. A `.null` in the overlay sets the key to null (it does
    /// not delete it; Helm's coalescing, which does delete, lives in the Helm module).
    public func merging(_ overlay: Value) -> Value {
        guard case var .map(base) = self, case let .map(top) = overlay else { return overlay }
        for (key, value) in top {
            if let existing = base[key] {
                base[key] = existing.merging(value)
            } else {
                base[key] = value
            }
        }
        return .map(base)
    }
}
