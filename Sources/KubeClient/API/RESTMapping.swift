import Foundation
import Unstructured

/// A kind in a group-version, as objects name themselves (`apiVersion` + `kind`).
public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(apiVersion: String, kind: String) {
        if let slash = apiVersion.firstIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        self.kind = kind
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { "\(kind).\(apiVersion)" }

    /// The object's own apiVersion and kind; nil when either is missing.
    public init?(of object: Value) {
        guard let apiVersion = object["apiVersion"].stringValue, let kind = object["kind"].stringValue else { return nil }
        self.init(apiVersion: apiVersion, kind: kind)
    }
}

/// Where a kind lives on the server: its plural resource name and whether it is namespaced.
public struct RESTMapping: Sendable, Hashable {
    public var gvk: GroupVersionKind
    /// The plural resource name (`configmaps`, `widgets`).
    public var resource: String
    public var namespaced: Bool
    public var subresources: Set<String>

    /// `/api/v1` or `/apis/<group>/<version>`.
    var groupVersionPath: String { gvk.group.isEmpty ? "/api/\(gvk.version)" : "/apis/\(gvk.group)/\(gvk.version)" }

    /// The path of the collection, or of one object when `name` is given.
    func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = groupVersionPath
        if namespaced, let namespace { path += "/namespaces/\(escape(namespace))" }
        path += "/\(resource)"
        if let name { path += "/\(escape(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    private func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }
}

/// No resource on the server serves this kind: the CRD is missing or not Established yet.
public struct NoMappingError: Error, CustomStringConvertible, Sendable {
    public var gvk: GroupVersionKind
    public var description: String {
        "no matches for kind \"\(gvk.kind)\" in version \"\(gvk.apiVersion)\": ensure CRDs are installed first"
    }
}

/// Discovery per group-version: the client asks `/api/v1` or `/apis/<g>/<v>` once for the
/// group-version an object names, and keeps the answer. A kind that is not in the cached
/// list triggers one fresh look-up, because a CRD may have become Established since.
actor RESTMapper {
    private var cache: [String: [String: RESTMapping]] = [:]
    private let fetch: @Sendable (String) async throws -> Value?

    /// `fetch` GETs a discovery path and returns nil for 404.
    init(fetch: @escaping @Sendable (String) async throws -> Value?) {
        self.fetch = fetch
    }

    func mapping(for gvk: GroupVersionKind) async throws -> RESTMapping {
        if let mapping = cache[gvk.apiVersion]?[gvk.kind] { return mapping }
        let resources = try await load(gvk)
        guard let mapping = resources[gvk.kind] else { throw NoMappingError(gvk: gvk) }
        return mapping
    }

    /// Forgets everything, e.g. after installing CRDs.
    func invalidate() { cache = [:] }

    private func load(_ gvk: GroupVersionKind) async throws -> [String: RESTMapping] {
        let probe = RESTMapping(gvk: gvk, resource: "", namespaced: false, subresources: [])
        guard let list = try await fetch(probe.groupVersionPath) else {
            cache[gvk.apiVersion] = [:]
            return [:]
        }
        var byKind: [String: RESTMapping] = [:]
        var subresources: [String: Set<String>] = [:]
        for resource in list["resources"].listValue ?? [] {
            guard let name = resource["name"].stringValue else { continue }
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                subresources[parts[0], default: []].insert(parts[1])
                continue
            }
            guard let kind = resource["kind"].stringValue else { continue }
            byKind[kind] = RESTMapping(gvk: GroupVersionKind(apiVersion: gvk.apiVersion, kind: kind), resource: name,
                                       namespaced: resource["namespaced"].boolValue ?? false, subresources: [])
        }
        for (kind, mapping) in byKind {
            byKind[kind]?.subresources = subresources[mapping.resource] ?? []
        }
        cache[gvk.apiVersion] = byKind
        return byKind
    }
}
