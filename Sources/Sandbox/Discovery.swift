import Crypto
import FoundationEssentials
import Unstructured

/// Discovery documents: legacy (`/api`, `/apis`, `/api/v1`, `/apis/g/v`) and aggregated
/// (`APIGroupDiscoveryList` v2, which kubectl 1.32 asks for first), plus the slice of OpenAPI v3
/// kubectl needs to validate server-side: per group-version documents whose PATCH operations
/// declare the `fieldValidation` parameter, tagged with `x-kubernetes-group-version-kind`.
struct Discovery {
    let registry: ResourceRegistry
    let serverAddress: String

    static let aggregatedMediaType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    static func wantsAggregated(_ request: APIRequest) -> Bool {
        (request.header("accept") ?? "").contains("as=APIGroupDiscoveryList")
    }

    var apiVersions: Value {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    var groupList: Value {
        let groups: [Value] = registry.groups.filter { !$0.name.isEmpty }.map { group in
            let versions: [Value] = group.versions.map {
                ["groupVersion": .string("\(group.name)/\($0)"), "version": .string($0)]
            }
            return ["name": .string(group.name), "versions": .list(versions), "preferredVersion": versions[0]]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .list(groups)]
    }

    func group(_ name: String) -> Value? {
        guard let group = registry.groups.first(where: { $0.name == name }) else { return nil }
        let versions: [Value] = group.versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(name), "versions": .list(versions),
                "preferredVersion": versions[0]]
    }

    func resourceList(group: String, version: String) -> Value {
        var resources: [Value] = []
        for type in registry.types(group: group, version: version) {
            var entry: Value = ["name": .string(type.resource), "singularName": .string(type.singular),
                                "namespaced": .bool(type.namespaced), "kind": .string(type.kind),
                                "verbs": .list(type.verbs.map(Value.string))]
            if !type.shortNames.isEmpty { entry["shortNames"] = .list(type.shortNames.map(Value.string)) }
            if !type.categories.isEmpty { entry["categories"] = .list(type.categories.map(Value.string)) }
            resources.append(entry)
            let status: Value = ["name": .string("\(type.resource)/status"), "singularName": "",
                                 "namespaced": .bool(type.namespaced), "kind": .string(type.kind),
                                 "verbs": ["get", "patch", "update"]]
            let scale: Value = ["name": .string("\(type.resource)/scale"), "singularName": "",
                                "namespaced": .bool(type.namespaced), "group": "autoscaling", "version": "v1",
                                "kind": "Scale", "verbs": ["get", "patch", "update"]]
            // Built-in subresources are listed alphabetically, a CRD's as status then scale.
            let subresources = type.custom == nil
                ? [type.hasScale ? scale : nil, type.hasStatus ? status : nil]
                : [type.hasStatus ? status : nil, type.hasScale ? scale : nil]
            resources.append(contentsOf: subresources.compactMap { $0 })
        }
        return ["kind": "APIResourceList", "apiVersion": "v1",
                "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .list(resources)]
    }

    /// `/api` (legacy: only the core group) or `/apis` (every other group) as APIGroupDiscoveryList.
    func aggregated(core: Bool) -> Value {
        let items: [Value] = registry.groups.filter { core ? $0.name.isEmpty : !$0.name.isEmpty }.map { group in
            var metadata: Value = ["creationTimestamp": .null]
            if !group.name.isEmpty { metadata = ["name": .string(group.name), "creationTimestamp": .null] }
            let versions: [Value] = group.versions.map { version in
                let resources: [Value] = registry.types(group: group.name, version: version).map(aggregatedResource)
                return ["version": .string(version), "resources": .list(resources), "freshness": "Current"]
            }
            return ["metadata": metadata, "versions": .list(versions)]
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": [:],
                "items": .list(items)]
    }

    private func aggregatedResource(_ type: ResourceType) -> Value {
        let responseKind: Value = type.custom != nil
            ? ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]
            : ["group": "", "version": "", "kind": .string(type.kind)]
        var entry: Value = ["resource": .string(type.resource), "responseKind": responseKind,
                            "scope": type.namespaced ? "Namespaced" : "Cluster",
                            "singularResource": .string(type.singular), "verbs": .list(type.verbs.map(Value.string))]
        if !type.shortNames.isEmpty { entry["shortNames"] = .list(type.shortNames.map(Value.string)) }
        if !type.categories.isEmpty { entry["categories"] = .list(type.categories.map(Value.string)) }
        var subresources: [Value] = []
        if type.hasScale {
            subresources.append(["subresource": "scale",
                                 "responseKind": ["group": "autoscaling", "version": "v1", "kind": "Scale"],
                                 "verbs": ["get", "patch", "update"]])
        }
        if type.hasStatus {
            subresources.append(["subresource": "status", "responseKind": responseKind, "verbs": ["get", "patch", "update"]])
        }
        if !subresources.isEmpty { entry["subresources"] = .list(subresources) }
        return entry
    }

    /// A strong ETag over the document, as the real server sends for discovery and OpenAPI.
    static func etag(_ bytes: [UInt8]) -> String {
        SHA512.hash(data: bytes).map { byte in
            String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
        }.joined()
    }

    // MARK: OpenAPI v3

    func openAPIPath(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    func openAPIRoot() -> Value {
        var paths = Value.Map()
        for group in registry.groups {
            for version in group.versions {
                let path = openAPIPath(group: group.name, version: version)
                // The built-in schemas never change, so the hash can leave them out: it still
                // changes whenever the document does, and the index stays cheap to answer.
                let document = openAPIDocument(group: group.name, version: version, withBuiltinSchemas: false)
                let hash = Self.etag(BodyCodec.encode(document)).prefix(128)
                paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash)")]
            }
        }
        return ["paths": .map(paths)]
    }

    func openAPIDocument(group: String, version: String, withBuiltinSchemas: Bool = true) -> Value {
        var paths = Value.Map()
        var schemas = withBuiltinSchemas
            ? BuiltinOpenAPI.schemasByGroupVersion[BuiltinOpenAPI.groupVersion(group, version)] ?? [:]
            : [:]
        for type in registry.types(group: group, version: version) {
            // A CRD's own schema is published, so `kubectl explain` works for custom resources.
            if var schema = type.custom?.schema {
                schema["x-kubernetes-group-version-kind"] = [["group": .string(group), "version": .string(version),
                                                              "kind": .string(type.kind)]]
                let reversedGroup = group.split(separator: ".").reversed().joined(separator: ".")
                schemas["\(reversedGroup).\(version).\(type.kind)"] = schema
            }
            let base = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
            let item = type.namespaced ? "\(base)/namespaces/{namespace}/\(type.resource)/{name}" : "\(base)/\(type.resource)/{name}"
            let gvk: Value = ["group": .string(group), "version": .string(version), "kind": .string(type.kind)]
            let parameters: Value = [
                ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "force", "in": "query", "schema": ["type": "boolean", "uniqueItems": true]],
            ]
            paths[item] = [
                "patch": ["operationId": .string("patch\(type.kind)"), "parameters": parameters,
                          "x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk,
                          "responses": ["200": ["description": "OK"]]],
            ]
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"], "paths": .map(paths),
                "components": ["schemas": .map(schemas)]]
    }
}
