import Unstructured

/// What the real server's defaulting and registry strategies add. `fill` is idempotent and runs on
/// every write (so a PUT that omits defaulted fields does not remove them); `onCreate` adds what only
/// creation does (namespace phase, ClusterIP allocation).
enum Defaults {
    static func onCreate(_ object: Value, type: ResourceType, state: ClusterState) -> Value {
        var object = fill(object, type: type)
        switch (type.group, type.resource) {
        case ("", "namespaces"):
            object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(object.name)
            object[path: ["spec", "finalizers"]] = ["kubernetes"]
            object["status"] = ["phase": "Active"]
        case ("", "services"):
            object = allocateClusterIP(object, state: state)
            object["status"] = ["loadBalancer": [:]]
        case ("", "pods"):
            if object["status"].isNull { object["status"] = ["phase": "Pending", "qosClass": "BestEffort"] }
        case ("", "persistentvolumeclaims"):
            if object["status"].isNull { object["status"] = ["phase": "Pending"] }
        case ("apiextensions.k8s.io", "customresourcedefinitions"):
            var finalizers = object.finalizers
            if !finalizers.contains(LifecycleControllers.crdCleanupFinalizer) {
                finalizers.append(LifecycleControllers.crdCleanupFinalizer)
            }
            object[path: ["metadata", "finalizers"]] = .list(finalizers.map(Value.string))
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

    /// Updates keep what creation allocated when the client leaves it out.
    static func onUpdate(_ object: Value, current: Value, type: ResourceType) -> Value {
        var object = fill(object, type: type)
        if type.storageKey == StorageKey(group: "", resource: "services") {
            for key in ["clusterIP", "clusterIPs"] where object["spec"][key].isNull && !current["spec"][key].isNull {
                object[path: ["spec", key]] = current["spec"][key]
            }
        }
        if type.storageKey == StorageKey(group: "", resource: "namespaces"), object["spec"]["finalizers"].isNull {
            object[path: ["spec", "finalizers"]] = current["spec"]["finalizers"]
        }
        return object
    }

    /// Fills missing fields with the API's defaults.
    static func fill(_ input: Value, type: ResourceType) -> Value {
        var object = input
        func setDefault(_ path: [String], _ value: Value) {
            if object[path: path].isNull { object[path: path] = value }
        }
        switch (type.group, type.resource) {
        case ("apps", "deployments"):
            setDefault(["spec", "replicas"], 1)
            setDefault(["spec", "strategy"], ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]])
            setDefault(["spec", "revisionHistoryLimit"], 10)
            setDefault(["spec", "progressDeadlineSeconds"], 600)
            object = podTemplate(object, at: ["spec", "template", "spec"])
        case ("apps", "replicasets"):
            setDefault(["spec", "replicas"], 1)
            object = podTemplate(object, at: ["spec", "template", "spec"])
        case ("apps", "statefulsets"):
            setDefault(["spec", "replicas"], 1)
            setDefault(["spec", "podManagementPolicy"], "OrderedReady")
            setDefault(["spec", "updateStrategy"], ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
            setDefault(["spec", "revisionHistoryLimit"], 10)
            setDefault(["spec", "persistentVolumeClaimRetentionPolicy"], ["whenDeleted": "Retain", "whenScaled": "Retain"])
            object = podTemplate(object, at: ["spec", "template", "spec"])
        case ("apps", "daemonsets"):
            setDefault(["spec", "updateStrategy"], ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]])
            setDefault(["spec", "revisionHistoryLimit"], 10)
            object = podTemplate(object, at: ["spec", "template", "spec"])
        case ("batch", "jobs"):
            setDefault(["spec", "backoffLimit"], 6)
            setDefault(["spec", "completions"], 1)
            setDefault(["spec", "parallelism"], 1)
            setDefault(["spec", "completionMode"], "NonIndexed")
            setDefault(["spec", "suspend"], false)
            object = podTemplate(object, at: ["spec", "template", "spec"])
        case ("batch", "cronjobs"):
            setDefault(["spec", "concurrencyPolicy"], "Allow")
            setDefault(["spec", "suspend"], false)
            setDefault(["spec", "successfulJobsHistoryLimit"], 3)
            setDefault(["spec", "failedJobsHistoryLimit"], 1)
            object = podTemplate(object, at: ["spec", "jobTemplate", "spec", "template", "spec"])
        case ("", "pods"):
            object = podTemplate(object, at: ["spec"])
        case ("", "services"):
            let serviceType = object["spec"]["type"].stringValue ?? "ClusterIP"
            setDefault(["spec", "type"], "ClusterIP")
            setDefault(["spec", "sessionAffinity"], "None")
            if serviceType != "ExternalName" {
                setDefault(["spec", "ipFamilies"], ["IPv4"])
                setDefault(["spec", "ipFamilyPolicy"], "SingleStack")
                setDefault(["spec", "internalTrafficPolicy"], "Cluster")
            }
            if let ports = object["spec"]["ports"].listValue {
                object[path: ["spec", "ports"]] = .list(ports.map { port in
                    var port = port
                    if port["protocol"].isNull { port["protocol"] = "TCP" }
                    if port["targetPort"].isNull { port["targetPort"] = port["port"] }
                    return port
                })
            }
        default:
            break
        }
        return object
    }

    private static func podTemplate(_ input: Value, at path: [String]) -> Value {
        var object = input
        guard case var .map(spec) = object[path: path] else { return object }
        if spec["restartPolicy"] == nil { spec["restartPolicy"] = "Always" }
        if spec["dnsPolicy"] == nil { spec["dnsPolicy"] = "ClusterFirst" }
        if spec["schedulerName"] == nil { spec["schedulerName"] = "default-scheduler" }
        if spec["securityContext"] == nil { spec["securityContext"] = [:] }
        if spec["terminationGracePeriodSeconds"] == nil { spec["terminationGracePeriodSeconds"] = 30 }
        for key in ["containers", "initContainers"] {
            guard let containers = spec[key]?.listValue else { continue }
            spec[key] = .list(containers.map(container))
        }
        object[path: path] = .map(spec)
        return object
    }

    private static func container(_ input: Value) -> Value {
        guard case var .map(container) = input else { return input }
        if container["imagePullPolicy"] == nil {
            let image = container["image"]?.stringValue ?? ""
            let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
            let untaggedOrLatest = !lastComponent.contains(":") || lastComponent.hasSuffix(":latest")
            container["imagePullPolicy"] = untaggedOrLatest && !image.contains("@") ? "Always" : "IfNotPresent"
        }
        if container["terminationMessagePath"] == nil { container["terminationMessagePath"] = "/dev/termination-log" }
        if container["terminationMessagePolicy"] == nil { container["terminationMessagePolicy"] = "File" }
        if container["resources"] == nil { container["resources"] = [:] }
        if let ports = container["ports"]?.listValue {
            container["ports"] = .list(ports.map { port in
                var port = port
                if port["protocol"].isNull { port["protocol"] = "TCP" }
                return port
            })
        }
        return .map(container)
    }

    /// ClusterIP allocation from 10.96.0.0/16 (and node ports for NodePort/LoadBalancer).
    private static func allocateClusterIP(_ input: Value, state: ClusterState) -> Value {
        var object = input
        let serviceType = object["spec"]["type"].stringValue ?? "ClusterIP"
        if serviceType != "ExternalName" {
            if object["spec"]["clusterIP"].isNull || object["spec"]["clusterIP"] == "" {
                let ip = "10.96.\(Int(state.random.next() % 254) + 1).\(Int(state.random.next() % 254) + 1)"
                object[path: ["spec", "clusterIP"]] = .string(ip)
                object[path: ["spec", "clusterIPs"]] = [.string(ip)]
            } else if object["spec"]["clusterIPs"].isNull {
                object[path: ["spec", "clusterIPs"]] = [object["spec"]["clusterIP"]]
            }
        }
        if serviceType == "NodePort" || serviceType == "LoadBalancer", let ports = object["spec"]["ports"].listValue {
            object[path: ["spec", "ports"]] = .list(ports.map { port in
                var port = port
                if port["nodePort"].isNull { port["nodePort"] = .int(30000 + Int(state.random.next() % 2768)) }
                return port
            })
        }
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
