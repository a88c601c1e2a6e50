import Unstructured

/// What the real server's defaulting and registry strategies add on create.
enum Defaults {
    static func onCreate(_ object: Value, type: ResourceType, state: ClusterState) -> Value {
        var object = object
        switch (type.group, type.resource) {
        case ("", "namespaces"):
            object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(object.name)
            object[path: ["spec", "finalizers"]] = ["kubernetes"]
            object["status"] = ["phase": "Active"]
        case ("", "services"):
            object = service(object, state: state)
        case ("apps", "deployments"), ("apps", "statefulsets"), ("apps", "replicasets"):
            if object["spec"]["replicas"].isNull { object[path: ["spec", "replicas"]] = 1 }
        case ("", "pods"):
            if object["status"].isNull { object["status"] = ["phase": "Pending", "qosClass": "BestEffort"] }
        case ("", "persistentvolumeclaims"):
            if object["status"].isNull { object["status"] = ["phase": "Pending"] }
        default:
            break
        }
        for finalizer in state.options.faults.stuckFinalizers where type.custom != nil {
            var finalizers = object.finalizers
            if !finalizers.contains(finalizer) { finalizers.append(finalizer) }
            object[path: ["metadata", "finalizers"]] = .list(finalizers.map(Value.string))
        }
        return object
    }

    /// ClusterIP allocation from 10.96.0.0/16, protocol and targetPort defaults, and the type.
    private static func service(_ input: Value, state: ClusterState) -> Value {
        var object = input
        var spec = object["spec"]
        let type = spec["type"].stringValue ?? "ClusterIP"
        spec["type"] = .string(type)
        if type != "ExternalName" {
            if spec["clusterIP"].isNull || spec["clusterIP"] == "" {
                let ip = "10.96.\(Int(state.random.next() % 254) + 1).\(Int(state.random.next() % 254) + 1)"
                spec["clusterIP"] = .string(ip)
                spec["clusterIPs"] = [.string(ip)]
            } else if spec["clusterIPs"].isNull {
                spec["clusterIPs"] = [spec["clusterIP"]]
            }
            if spec["ipFamilies"].isNull { spec["ipFamilies"] = ["IPv4"] }
            if spec["ipFamilyPolicy"].isNull { spec["ipFamilyPolicy"] = "SingleStack" }
            if spec["internalTrafficPolicy"].isNull { spec["internalTrafficPolicy"] = "Cluster" }
        }
        if spec["sessionAffinity"].isNull { spec["sessionAffinity"] = "None" }
        if let ports = spec["ports"].listValue {
            spec["ports"] = .list(ports.map { port in
                var port = port
                if port["protocol"].isNull { port["protocol"] = "TCP" }
                if port["targetPort"].isNull { port["targetPort"] = port["port"] }
                if type == "NodePort" || type == "LoadBalancer", port["nodePort"].isNull {
                    port["nodePort"] = .int(30000 + Int(state.random.next() % 2768))
                }
                return port
            })
        }
        object["spec"] = spec
        object["status"] = ["loadBalancer": [:]]
        return object
    }
}

/// Admission webhooks, enforced the way that matters for installers: a webhook whose Service has
/// no ready endpoints fails matching requests under `failurePolicy: Fail` with the real server's
/// message and is skipped under `Ignore`; a webhook with ready endpoints allows.
enum Admission {
    static let configurationKinds: [StorageKey] = [
        StorageKey(group: "admissionregistration.k8s.io", resource: "validatingwebhookconfigurations"),
        StorageKey(group: "admissionregistration.k8s.io", resource: "mutatingwebhookconfigurations"),
    ]

    static func check(operation: String, object: Value, type: ResourceType, state: ClusterState) throws(APIError) {
        if configurationKinds.contains(type.storageKey) { return }
        let namespaceLabels = type.namespaced
            ? (state.store.get(StorageKey(group: "", resource: "namespaces"), namespace: "", name: object.namespace)?.labels ?? [:])
            : [:]
        for key in configurationKinds {
            for configuration in state.store.list(key, namespace: nil) {
                for webhook in configuration["webhooks"].listValue ?? [] {
                    guard matches(webhook, operation: operation, type: type, object: object,
                                  namespaceLabels: namespaceLabels) else { continue }
                    try call(webhook, state: state)
                }
            }
        }
    }

    private static func matches(_ webhook: Value, operation: String, type: ResourceType, object: Value,
                                namespaceLabels: [String: String]) -> Bool {
        func contains(_ list: Value, _ item: String) -> Bool {
            (list.listValue ?? []).contains { $0.stringValue == "*" || $0.stringValue == item }
        }
        let ruleMatches = (webhook["rules"].listValue ?? []).contains { rule in
            contains(rule["operations"], operation) && contains(rule["apiGroups"], type.group)
                && contains(rule["apiVersions"], type.version)
                && (rule["resources"].listValue ?? []).contains {
                    $0.stringValue == "*" || $0.stringValue == type.resource || $0.stringValue == "*/*"
                }
        }
        guard ruleMatches else { return false }
        if type.namespaced, !webhook["namespaceSelector"].isNull,
           !LabelSelector(object: webhook["namespaceSelector"]).matches(namespaceLabels) { return false }
        if !webhook["objectSelector"].isNull, !LabelSelector(object: webhook["objectSelector"]).matches(object.labels) {
            return false
        }
        return true
    }

    private static func call(_ webhook: Value, state: ClusterState) throws(APIError) {
        let service = webhook["clientConfig"]["service"]
        guard let name = service["name"].stringValue, let namespace = service["namespace"].stringValue else { return }
        let endpoints = state.store.get(StorageKey(group: "", resource: "endpoints"), namespace: namespace, name: name)
        let ready = (endpoints?["subsets"].listValue ?? []).contains { !($0["addresses"].listValue ?? []).isEmpty }
        if ready { return }
        if webhook["failurePolicy"].stringValue == "Ignore" { return }
        let webhookName = webhook["name"].stringValue ?? ""
        let port = service["port"].intValue ?? 443
        let path = service["path"].stringValue ?? ""
        let timeout = webhook["timeoutSeconds"].intValue ?? 10
        let cause = "failed calling webhook \"\(webhookName)\": failed to call webhook: Post \"https://\(name).\(namespace).svc:\(port)\(path)?timeout=\(timeout)s\": no endpoints available for service \"\(name)\""
        throw APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(cause)",
                       details: ["causes": [["message": .string(cause)]]])
    }
}
