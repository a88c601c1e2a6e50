import Unstructured

/// A kind within its API group, the unit that install and uninstall orders and
/// health rules are keyed by (the version does not change what a kind means).
public struct GroupKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The API group; empty for the core group (`v1`).
    public var group: String
    public var kind: String

    public init(group: String, kind: String) {
        self.group = group
        self.kind = kind
    }

    /// The group of an `apiVersion` such as `apps/v1` (`apps`) or `v1` (the core group, empty).
    public init(apiVersion: String, kind: String) {
        let parts = apiVersion.split(separator: "/", maxSplits: 1)
        self.init(group: parts.count == 2 ? String(parts[0]) : "", kind: kind)
    }

    public var description: String { group.isEmpty ? kind : "\(kind).\(group)" }

    public static func < (lhs: GroupKind, rhs: GroupKind) -> Bool {
        (lhs.group, lhs.kind) < (rhs.group, rhs.kind)
    }
}

/// Names one object in a cluster: what records, prune sets, progress events and
/// error messages speak of. Built from an object's own `apiVersion`, `kind` and
/// `metadata`, so it needs no REST mapping.
public struct ObjectReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    /// nil for cluster-scoped objects.
    public var namespace: String?
    public var name: String

    public init(apiVersion: String, kind: String, namespace: String? = nil, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
    }

    /// The reference of `object`, or nil when it lacks `apiVersion`, `kind` or `metadata.name`.
    public init?(object: Value) {
        guard let apiVersion = object["apiVersion"].stringValue, let kind = object["kind"].stringValue,
            let name = object["metadata"]["name"].stringValue
        else { return nil }
        self.init(apiVersion: apiVersion, kind: kind, namespace: object["metadata"]["namespace"].stringValue, name: name)
    }

    public var groupKind: GroupKind { GroupKind(apiVersion: apiVersion, kind: kind) }

    /// `Deployment seldon-system/seldon-controller-manager`, or `CustomResourceDefinition x.y` when cluster-scoped.
    public var description: String {
        "\(kind) \(namespace.map { "\($0)/" } ?? "")\(name)"
    }

    /// How kubectl names the object on its command line: `deployment.apps/web`.
    public var kubectlName: String {
        let group = groupKind.group
        return "\(kind.lowercased())\(group.isEmpty ? "" : ".\(group)")/\(name)"
    }

    public static func < (lhs: ObjectReference, rhs: ObjectReference) -> Bool {
        (lhs.groupKind, lhs.namespace ?? "", lhs.name) < (rhs.groupKind, rhs.namespace ?? "", rhs.name)
    }
}
