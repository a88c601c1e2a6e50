import Unstructured

/// One served resource at one version: what discovery advertises and what the REST layer routes on.
/// Built-in types come from `BuiltinResources`; custom ones are derived from Established CRDs.
public struct ResourceType: Sendable, Hashable {
    public var group: String
    public var version: String
    public var resource: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String] = []
    public var categories: [String] = []
    public var hasStatus = false
    public var hasScale = false
    /// Only `create` for review-style kinds; everything for ordinary resources.
    public var verbs: [String] = ResourceType.allVerbs
    /// Whether writes to the spec bump `metadata.generation` (not ConfigMaps, Secrets, Pods...).
    public var tracksGeneration = false
    /// Set for resources served from a CustomResourceDefinition.
    public var custom: CustomResourceInfo?

    static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// Storage identity: objects are shared between the versions of one group/resource.
    public var storageKey: StorageKey { StorageKey(group: group, resource: resource) }
    /// `configmaps` or `widgets.ref.example.com`, as error messages name resources.
    public var qualifiedResource: String { group.isEmpty ? resource : "\(resource).\(group)" }
    /// `ConfigMap` or `Widget.ref.example.com`, as 422 messages name kinds.
    public var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
    public var listKind: String { custom?.listKind ?? "\(kind)List" }
}

/// group + plural: the key objects are stored under, independent of the version asked for.
public struct StorageKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var group: String
    public var resource: String
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
    public static func < (a: StorageKey, b: StorageKey) -> Bool { a.description < b.description }
}

/// What a CRD adds to a resource type: its schema, printer columns and scale paths.
public struct CustomResourceInfo: Sendable, Hashable {
    public var listKind: String
    public var schema: Value?
    public var printerColumns: [PrinterColumn]
    public var specReplicasPath: String?
    public var statusReplicasPath: String?
    public var labelSelectorPath: String?
}

public struct PrinterColumn: Sendable, Hashable {
    public var name: String
    public var type: String
    public var format: String
    public var description: String
    public var priority: Int
    public var jsonPath: String
}
