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
        if namespaced, let namespace { path += "/namespaces/\(PathSegment.escape(namespace))" }
        path += "/\(resource)"
        if let name { path += "/\(PathSegment.escape(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }
}

/// Percent-encoding of one segment of a URL path (RFC 3986, section 3.3), so a name can
/// never reach into another segment. The characters left alone are the ones Foundation's
/// `urlPathAllowed` minus "/" leaves alone, which is what this client sent before: the
/// unreserved characters and the sub-delimiters, ":" and "@", but not ";" (RFC 1808's
/// path-parameter separator). Everything else goes as UTF-8 bytes, "%XX" each.
enum PathSegment {
    static func escape(_ segment: String) -> String {
        guard !segment.utf8.allSatisfy(isKept) else { return segment }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(segment.utf8.count * 3)
        for byte in segment.utf8 {
            if isKept(byte) {
                escaped.append(byte)
            } else {
                escaped += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func isKept(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            keptPunctuation.contains(byte)
        }
    }

    private static let keptPunctuation = Set("-._~!$&'()*+,=:@".utf8)
    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}

/// No resource on the server serves this kind: the CRD is missing or not Established yet.
public struct NoMappingError: Error, CustomStringConvertible, Sendable {
    public var gvk: GroupVersionKind
    public var description: String {
        "no matches for kind \"\(gvk.kind)\" in version \"\(gvk.apiVersion)\": ensure CRDs are installed first"
    }
}

/// A discovery answer and the media type the server chose for it.
struct DiscoveryReply: Sendable {
    var document: Value
    var contentType: String
}

/// Discovery, cached. The client first asks for aggregated discovery (Kubernetes 1.26+): one
/// request to `/api` or `/apis` describes every resource of every group-version at that root.
/// A server that answers with the legacy document instead is asked per group-version
/// (`/api/v1`, `/apis/<g>/<v>`) from then on. A kind that is not in the cache triggers one
/// fresh look-up, because its CRD may have become Established since.
actor RESTMapper {
    /// What the client accepts at `/api` and `/apis`: aggregated first, the legacy list otherwise.
    static let aggregatedAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"

    private var cache: [String: [String: RESTMapping]] = [:]
    /// Cleared once the server answers an aggregated request with a legacy document.
    private var aggregatedAvailable = true
    private let fetch: @Sendable (_ path: String, _ accept: String) async throws -> DiscoveryReply?

    /// `fetch` GETs a discovery path with the given Accept header and returns nil for 404 and 406.
    init(fetch: @escaping @Sendable (_ path: String, _ accept: String) async throws -> DiscoveryReply?) {
        self.fetch = fetch
    }

    func mapping(for gvk: GroupVersionKind) async throws -> RESTMapping {
        if let mapping = cache[gvk.apiVersion]?[gvk.kind] { return mapping }
        let loaded = aggregatedAvailable ? try await loadAggregated(core: gvk.group.isEmpty) : false
        if !loaded { try await loadGroupVersion(gvk) }
        guard let mapping = cache[gvk.apiVersion]?[gvk.kind] else { throw NoMappingError(gvk: gvk) }
        return mapping
    }

    /// Forgets everything, e.g. after installing CRDs.
    func invalidate() { cache = [:] }

    /// Replaces every group-version under `/api` (core) or `/apis` with the server's aggregated
    /// document; false when the server does not serve one.
    private func loadAggregated(core: Bool) async throws -> Bool {
        guard let reply = try await fetch(core ? "/api" : "/apis", Self.aggregatedAccept),
              reply.contentType.contains("as=APIGroupDiscoveryList") else {
            aggregatedAvailable = false
            return false
        }
        // Group-versions gone from the server (a deleted CRD) must go from the cache too.
        cache = cache.filter { apiVersion, _ in apiVersion.contains("/") == core }
        for group in reply.document["items"].listValue ?? [] {
            let groupName = group["metadata"]["name"].stringValue ?? ""
            for version in group["versions"].listValue ?? [] {
                guard let versionName = version["version"].stringValue else { continue }
                let apiVersion = groupName.isEmpty ? versionName : "\(groupName)/\(versionName)"
                var byKind: [String: RESTMapping] = [:]
                for resource in version["resources"].listValue ?? [] {
                    guard let name = resource["resource"].stringValue,
                          let kind = resource["responseKind"]["kind"].stringValue else { continue }
                    let subresources = (resource["subresources"].listValue ?? []).compactMap { $0["subresource"].stringValue }
                    byKind[kind] = RESTMapping(gvk: GroupVersionKind(apiVersion: apiVersion, kind: kind), resource: name,
                                               namespaced: resource["scope"].stringValue == "Namespaced",
                                               subresources: Set(subresources))
                }
                cache[apiVersion] = byKind
            }
        }
        return true
    }

    /// Legacy discovery of the one group-version `gvk` names.
    private func loadGroupVersion(_ gvk: GroupVersionKind) async throws {
        let probe = RESTMapping(gvk: gvk, resource: "", namespaced: false, subresources: [])
        guard let list = try await fetch(probe.groupVersionPath, "application/json")?.document else {
            cache[gvk.apiVersion] = [:]
            return
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
    }
}
