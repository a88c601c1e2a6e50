import Unstructured

/// Which resources are served right now: the built-ins plus one type per served version of each
/// Established CRD. Rebuilt whenever a CRD changes, so discovery and routing always agree.
struct ResourceRegistry {
    private(set) var builtins: [ResourceType] = BuiltinResources.all
    private(set) var custom: [ResourceType] = []
    private var byPath: [String: ResourceType] = [:]
    private var knownGroupVersions: Set<String> = []

    init() { rebuildIndex() }

    var all: [ResourceType] { builtins + custom }

    /// Groups in discovery order; versions within a group in preference order.
    var groups: [(name: String, versions: [String])] {
        var result: [(String, [String])] = []
        for type in all {
            if let index = result.firstIndex(where: { $0.0 == type.group }) {
                if !result[index].1.contains(type.version) { result[index].1.append(type.version) }
            } else {
                result.append((type.group, [type.version]))
            }
        }
        return result
    }

    func lookup(group: String, version: String, resource: String) -> ResourceType? {
        byPath["\(group)/\(version)/\(resource)"]
    }

    func serves(group: String, version: String) -> Bool { knownGroupVersions.contains("\(group)/\(version)") }

    func types(group: String, version: String) -> [ResourceType] {
        all.filter { $0.group == group && $0.version == version }
    }

    /// The preferred (first) served type of a group/resource, for controllers and GC.
    func preferred(_ key: StorageKey) -> ResourceType? {
        all.first { $0.group == key.group && $0.resource == key.resource }
    }

    mutating func setCustomResources(from crds: [Value]) {
        custom = crds.flatMap(Self.resourceTypes(fromCRD:))
        rebuildIndex()
    }

    private mutating func rebuildIndex() {
        byPath = [:]
        knownGroupVersions = []
        for type in all {
            byPath["\(type.group)/\(type.version)/\(type.resource)"] = type
            knownGroupVersions.insert("\(type.group)/\(type.version)")
        }
    }

    /// A CRD serves its resources only once its Established condition is True.
    static func isEstablished(_ crd: Value) -> Bool {
        (crd["status"]["conditions"].listValue ?? []).contains {
            $0["type"] == "Established" && $0["status"] == "True"
        }
    }

    static func resourceTypes(fromCRD crd: Value) -> [ResourceType] {
        guard isEstablished(crd), crd["metadata"]["deletionTimestamp"].isNull else { return [] }
        let spec = crd["spec"]
        guard let group = spec["group"].stringValue, let plural = spec["names"]["plural"].stringValue,
              let kind = spec["names"]["kind"].stringValue else { return [] }
        let names = spec["names"]
        return (spec["versions"].listValue ?? []).compactMap { version -> ResourceType? in
            guard version["served"].boolValue ?? true, let name = version["name"].stringValue else { return nil }
            let columns = (version["additionalPrinterColumns"].listValue ?? []).compactMap { column -> PrinterColumn? in
                guard let columnName = column["name"].stringValue, let path = column["jsonPath"].stringValue else {
                    return nil
                }
                return PrinterColumn(
                    name: columnName, type: column["type"].stringValue ?? "string",
                    format: column["format"].stringValue ?? "",
                    description: column["description"].stringValue
                        ?? "Custom resource definition column (in JSONPath format): \(path)",
                    priority: column["priority"].intValue ?? 0, jsonPath: path)
            }
            let scale = version["subresources"]["scale"]
            return ResourceType(
                group: group, version: name, resource: plural,
                singular: names["singular"].stringValue ?? kind.lowercased(), kind: kind,
                namespaced: spec["scope"].stringValue != "Cluster",
                shortNames: names["shortNames"].listValue?.compactMap(\.stringValue) ?? [],
                categories: names["categories"].listValue?.compactMap(\.stringValue) ?? [],
                hasStatus: !version["subresources"]["status"].isNull,
                hasScale: !scale.isNull,
                verbs: ResourceType.allVerbs, tracksGeneration: true,
                custom: CustomResourceInfo(
                    listKind: names["listKind"].stringValue ?? "\(kind)List",
                    schema: version["schema"]["openAPIV3Schema"].isNull ? nil : version["schema"]["openAPIV3Schema"],
                    printerColumns: columns,
                    specReplicasPath: scale["specReplicasPath"].stringValue,
                    statusReplicasPath: scale["statusReplicasPath"].stringValue,
                    labelSelectorPath: scale["labelSelectorPath"].stringValue))
        }
    }
}
