import FoundationEssentials
import Unstructured

/// `meta.k8s.io/v1 Table` output for `kubectl get`: the default columns of the common built-in
/// kinds and a CRD's additionalPrinterColumns, rows carrying PartialObjectMetadata.
struct TableRenderer {
    let state: ClusterState

    static func wantsTable(_ request: APIRequest) -> Bool {
        (request.header("accept") ?? "").contains("as=Table")
    }

    static let nameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    static let ageDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

    static let configMapDataDescription = "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."

    struct Column {
        var name: String
        var type = "string"
        var format = ""
        var description = ""
        var priority = 0
        var cell: (Value, Date) -> Value
    }

    func columns(for type: ResourceType) -> [Column] {
        let name = Column(name: "Name", format: "name", description: Self.nameDescription) { object, _ in .string(object.name) }
        let age = Column(name: "Age", description: Self.ageDescription) { object, now in
            .string(ObjectShape.parseTimestamp(object["metadata"]["creationTimestamp"].stringValue ?? "")
                .map { ObjectShape.age(since: $0, now: now) } ?? "<unknown>")
        }
        if let custom = type.custom {
            var result = [name]
            for column in custom.printerColumns {
                let path = column.jsonPath.split(separator: ".").map(String.init)
                let isDate = column.type == "date"
                result.append(Column(name: column.name, type: column.type, format: column.format,
                                     description: column.description, priority: column.priority) { object, now in
                    let value = object[path: path]
                    if isDate, let text = value.stringValue, let date = ObjectShape.parseTimestamp(text) {
                        return .string(ObjectShape.age(since: date, now: now))
                    }
                    return value
                })
            }
            if !custom.printerColumns.contains(where: { $0.type == "date" }) && custom.printerColumns.isEmpty {
                result.append(age)
            }
            return result
        }
        func text(_ title: String, _ f: @escaping (Value) -> String) -> Column {
            Column(name: title) { object, _ in .string(f(object)) }
        }
        func int(_ title: String, _ f: @escaping (Value) -> Int) -> Column {
            Column(name: title, type: "integer") { object, _ in .int(f(object)) }
        }
        func ready(_ object: Value, _ readyKey: String, _ wantKey: [String]) -> String {
            "\(object["status"][readyKey].intValue ?? 0)/\(object[path: wantKey].intValue ?? 0)"
        }
        switch (type.group, type.resource) {
        case ("", "configmaps"):
            // The real server declares Data a string column and fills it with a number.
            let data = Column(name: "Data", description: Self.configMapDataDescription) { object, _ in
                .int((object["data"].mapValue?.count ?? 0) + (object["binaryData"].mapValue?.count ?? 0))
            }
            return [name, data, age]
        case ("", "secrets"): return [name, text("Type") { $0["type"].stringValue ?? "Opaque" }, int("Data") { $0["data"].mapValue?.count ?? 0 }, age]
        case ("", "namespaces"): return [name, text("Status") { $0["status"]["phase"].stringValue ?? "" }, age]
        case ("", "pods"):
            return [name,
                    text("Ready") { pod in
                        let statuses = pod["status"]["containerStatuses"].listValue ?? []
                        let total = pod["spec"]["containers"].listValue?.count ?? 0
                        return "\(statuses.filter { $0["ready"].boolValue == true }.count)/\(total)"
                    },
                    text("Status") { pod in
                        if pod.isDeleting { return "Terminating" }
                        let waiting = (pod["status"]["containerStatuses"].listValue ?? []).compactMap { $0["state"]["waiting"]["reason"].stringValue }
                        return waiting.first ?? pod["status"]["phase"].stringValue ?? "Pending"
                    },
                    int("Restarts") { pod in (pod["status"]["containerStatuses"].listValue ?? []).reduce(0) { $0 + ($1["restartCount"].intValue ?? 0) } },
                    age]
        case ("apps", "deployments"):
            return [name, text("Ready") { ready($0, "readyReplicas", ["spec", "replicas"]) },
                    int("Up-to-date") { $0["status"]["updatedReplicas"].intValue ?? 0 },
                    int("Available") { $0["status"]["availableReplicas"].intValue ?? 0 }, age]
        case ("apps", "statefulsets"):
            return [name, text("Ready") { ready($0, "readyReplicas", ["spec", "replicas"]) }, age]
        case ("apps", "replicasets"):
            return [name, int("Desired") { $0["spec"]["replicas"].intValue ?? 0 },
                    int("Current") { $0["status"]["replicas"].intValue ?? 0 },
                    int("Ready") { $0["status"]["readyReplicas"].intValue ?? 0 }, age]
        case ("apps", "daemonsets"):
            return [name, int("Desired") { $0["status"]["desiredNumberScheduled"].intValue ?? 0 },
                    int("Current") { $0["status"]["currentNumberScheduled"].intValue ?? 0 },
                    int("Ready") { $0["status"]["numberReady"].intValue ?? 0 }, age]
        case ("batch", "jobs"):
            return [name, text("Status") { job in
                        let conditions = job["status"]["conditions"].listValue ?? []
                        if conditions.contains(where: { $0["type"] == "Complete" && $0["status"] == "True" }) { return "Complete" }
                        if conditions.contains(where: { $0["type"] == "Failed" && $0["status"] == "True" }) { return "Failed" }
                        return "Running"
                    },
                    text("Completions") { "\($0["status"]["succeeded"].intValue ?? 0)/\($0["spec"]["completions"].intValue ?? 1)" }, age]
        case ("", "services"):
            return [name, text("Type") { $0["spec"]["type"].stringValue ?? "ClusterIP" },
                    text("Cluster-IP") { $0["spec"]["clusterIP"].stringValue ?? "<none>" },
                    text("External-IP") { service in
                        let ips = (service["status"]["loadBalancer"]["ingress"].listValue ?? []).compactMap { $0["ip"].stringValue }
                        if !ips.isEmpty { return ips.joined(separator: ",") }
                        return service["spec"]["type"] == "LoadBalancer" ? "<pending>" : "<none>"
                    },
                    text("Port(s)") { service in
                        let ports = (service["spec"]["ports"].listValue ?? []).map { port in
                            "\(port["port"].intValue ?? 0)\(port["nodePort"].intValue.map { ":\($0)" } ?? "")/\(port["protocol"].stringValue ?? "TCP")"
                        }
                        return ports.isEmpty ? "<none>" : ports.joined(separator: ",")
                    }, age]
        case ("", "persistentvolumeclaims"):
            return [name, text("Status") { $0["status"]["phase"].stringValue ?? "Pending" },
                    text("Volume") { $0["spec"]["volumeName"].stringValue ?? "" }, age]
        case ("", "nodes"):
            return [name,
                    text("Status") { node in
                        (node["status"]["conditions"].listValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
                            ? "Ready" : "NotReady"
                    },
                    text("Roles") { node in
                        let roles = node.labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }
                            .map { String($0.dropFirst("node-role.kubernetes.io/".count)) }.sorted()
                        return roles.isEmpty ? "<none>" : roles.joined(separator: ",")
                    },
                    age, text("Version") { $0["status"]["nodeInfo"]["kubeletVersion"].stringValue ?? "v1.32.0-sandbox" }]
        case ("", "endpoints"):
            return [name, text("Endpoints") { endpoints in
                var addresses: [String] = []
                for subset in endpoints["subsets"].listValue ?? [] {
                    let ports = (subset["ports"].listValue ?? []).compactMap { $0["port"].intValue }
                    for address in subset["addresses"].listValue ?? [] {
                        let ip = address["ip"].stringValue ?? ""
                        addresses += ports.isEmpty ? [ip] : ports.map { "\(ip):\($0)" }
                    }
                }
                return addresses.isEmpty ? "<none>" : addresses.joined(separator: ",")
            }, age]
        case ("", "persistentvolumes"):
            return [name, text("Capacity") { $0["spec"]["capacity"]["storage"].stringValue ?? "" },
                    text("Status") { $0["status"]["phase"].stringValue ?? "Pending" },
                    text("Claim") { pv in
                        pv["spec"]["claimRef"].isNull ? "" : "\(pv["spec"]["claimRef"]["namespace"].stringValue ?? "")/\(pv["spec"]["claimRef"]["name"].stringValue ?? "")"
                    },
                    text("StorageClass") { $0["spec"]["storageClassName"].stringValue ?? "" }, age]
        case ("networking.k8s.io", "ingresses"):
            return [name, text("Class") { $0["spec"]["ingressClassName"].stringValue ?? "<none>" },
                    text("Hosts") { ingress in
                        let hosts = (ingress["spec"]["rules"].listValue ?? []).compactMap { $0["host"].stringValue }
                        return hosts.isEmpty ? "*" : hosts.joined(separator: ",")
                    }, age]
        case ("apiextensions.k8s.io", "customresourcedefinitions"):
            return [name, Column(name: "Created At", type: "date") { object, _ in object["metadata"]["creationTimestamp"] }]
        default:
            return [name, age]
        }
    }

    func table(for objects: [Value], type: ResourceType, listRevision: Int?, includeObject: String?,
               withColumns: Bool = true) -> Value {
        let columns = columns(for: type)
        let now = state.now
        let rows: [Value] = objects.map { object in
            var row: Value = ["cells": .list(columns.map { $0.cell(object, now) })]
            switch includeObject {
            case "None": break
            case "Object": row["object"] = object
            default: row["object"] = partialMetadata(object)
            }
            return row
        }
        var metadata: Value = [:]
        if let listRevision { metadata["resourceVersion"] = .string(String(listRevision)) }
        let definitions: Value = withColumns ? .list(columns.map {
            ["name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
             "description": .string($0.description), "priority": .int($0.priority)]
        }) : .null
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
                "columnDefinitions": definitions, "rows": .list(rows)]
    }

    func partialMetadata(_ object: Value) -> Value {
        ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
         "metadata": ObjectShape.canonicalMetadata(object["metadata"])]
    }
}
