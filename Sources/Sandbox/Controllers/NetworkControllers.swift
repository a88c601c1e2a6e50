import Unstructured

/// Services: LoadBalancer ingress after the ready delay; Endpoints and EndpointSlices listing the
/// Pods a selector matches (ready ones as addresses, the others as not ready), gone with their
/// Service (the Endpoints deleted by the controller, the EndpointSlices by the garbage collector).
enum NetworkControllers {
    static func services(_ c: ControllerContext) {
        for service in c.list("", "services") where service["spec"]["type"] == "LoadBalancer" && !service.isDeleting {
            guard service["status"]["loadBalancer"]["ingress"].isNull, c.isDue(service) else { continue }
            let ip = "172.18.255.\(Int(c.state.random.next() % 250) + 2)"
            c.setStatus(service, ["loadBalancer": ["ingress": [["ip": .string(ip), "ipMode": "VIP"]]]],
                        group: "", resource: "services")
        }
    }

    static func endpoints(_ c: ControllerContext) {
        let services = c.list("", "services")
        let live = Set(services.map { "\($0.namespace)/\($0.name)" })
        for key in c.controllers.servicesLastSeen.subtracting(live) {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            if let orphan = c.get("", "endpoints", namespace: parts[0], name: parts[1]) {
                c.delete(orphan, group: "", resource: "endpoints")
            }
        }
        c.controllers.servicesLastSeen = live
        for service in services where !service.isDeleting {
            guard let selectorMap = service["spec"]["selector"].mapValue, !selectorMap.isEmpty else { continue }
            var labels: [String: String] = [:]
            for (key, value) in selectorMap { labels[key] = value.stringValue ?? "" }
            let selector = LabelSelector(matchLabels: labels)
            let pods = c.list("", "pods", namespace: service.namespace).filter {
                selector.matches($0.labels) && !$0.isDeleting && !$0["status"]["podIP"].isNull
            }
            let servicePorts = service["spec"]["ports"].listValue ?? []
            func targetPort(_ port: Value, _ pod: Value?) -> Int {
                if let number = port["targetPort"].intValue { return number }
                if let name = port["targetPort"].stringValue, let pod {
                    for container in pod["spec"]["containers"].listValue ?? [] {
                        for containerPort in container["ports"].listValue ?? [] where containerPort["name"].stringValue == name {
                            return containerPort["containerPort"].intValue ?? 0
                        }
                    }
                }
                return port["port"].intValue ?? 0
            }
            func address(_ pod: Value) -> Value {
                ["ip": pod["status"]["podIP"], "nodeName": "sandbox-node",
                 "targetRef": ["kind": "Pod", "namespace": .string(pod.namespace), "name": .string(pod.name),
                               "uid": .string(pod.uid)]]
            }
            let ready = pods.filter(WorkloadControllers.isReady)
            let notReady = pods.filter { !WorkloadControllers.isReady($0) }
            var subset: Value = [:]
            if !ready.isEmpty { subset["addresses"] = .list(ready.map(address)) }
            if !notReady.isEmpty { subset["notReadyAddresses"] = .list(notReady.map(address)) }
            let ports: [Value] = servicePorts.map { port in
                var entry: Value = [:]
                if let name = port["name"].stringValue { entry["name"] = .string(name) }
                entry["port"] = .int(targetPort(port, pods.first))
                entry["protocol"] = port["protocol"].isNull ? "TCP" : port["protocol"]
                return entry
            }
            subset["ports"] = .list(ports)
            let subsets: Value = pods.isEmpty ? .null : [subset]
            let existing = c.get("", "endpoints", namespace: service.namespace, name: service.name)
            if let existing {
                if existing["subsets"] != subsets {
                    var proposed = existing
                    proposed["subsets"] = subsets
                    if subsets.isNull, var map = proposed.mapValue { map.removeValue(forKey: "subsets"); proposed = .map(map) }
                    c.update(existing, proposed, group: "", resource: "endpoints")
                }
            } else {
                var endpoints: Value = ["apiVersion": "v1", "kind": "Endpoints",
                                        "metadata": ["name": .string(service.name), "namespace": .string(service.namespace),
                                                     "labels": service["metadata"]["labels"].isNull ? [:] : service["metadata"]["labels"]]]
                if !subsets.isNull { endpoints["subsets"] = subsets }
                c.create(endpoints, group: "", resource: "endpoints")
            }
            endpointSlice(c, service: service, pods: pods, ports: ports)
        }
    }

    private static func endpointSlice(_ c: ControllerContext, service: Value, pods: [Value], ports: [Value]) {
        let name = "\(service.name)-\(ControllerContext.hash(.string(service.uid), length: 5))"
        let endpoints: [Value] = pods.map { pod in
            let ready = WorkloadControllers.isReady(pod)
            return ["addresses": [pod["status"]["podIP"]],
                    "conditions": ["ready": .bool(ready), "serving": .bool(ready), "terminating": false],
                    "nodeName": "sandbox-node",
                    "targetRef": ["kind": "Pod", "namespace": .string(pod.namespace), "name": .string(pod.name),
                                  "uid": .string(pod.uid)]]
        }
        if let existing = c.get("discovery.k8s.io", "endpointslices", namespace: service.namespace, name: name) {
            var proposed = existing
            proposed["endpoints"] = .list(endpoints)
            proposed["ports"] = .list(ports)
            c.update(existing, proposed, group: "discovery.k8s.io", resource: "endpointslices")
        } else {
            c.create(["apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                      "metadata": ["name": .string(name), "namespace": .string(service.namespace),
                                   "labels": ["kubernetes.io/service-name": .string(service.name),
                                              "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"],
                                   "ownerReferences": [c.ownerReference(to: service)]],
                      "addressType": "IPv4", "endpoints": .list(endpoints), "ports": .list(ports)],
                     group: "discovery.k8s.io", resource: "endpointslices")
        }
    }
}

/// PersistentVolumeClaims bind to a provisioned PersistentVolume after the ready delay; with a
/// WaitForFirstConsumer StorageClass only once a Pod uses the claim.
enum StorageController {
    static func persistentVolumeClaims(_ c: ControllerContext) {
        for pvc in c.list("", "persistentvolumeclaims") where !pvc.isDeleting && pvc["status"]["phase"] != "Bound" {
            let classes = c.list("storage.k8s.io", "storageclasses")
            let className = pvc["spec"]["storageClassName"].stringValue
                ?? classes.first { $0["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true" }?.name
            guard let className, let storageClass = classes.first(where: { $0.name == className }) else { continue }
            if storageClass["volumeBindingMode"] == "WaitForFirstConsumer" {
                let used = c.list("", "pods", namespace: pvc.namespace).contains { pod in
                    (pod["spec"]["volumes"].listValue ?? []).contains { $0["persistentVolumeClaim"]["claimName"].stringValue == pvc.name }
                }
                guard used else { continue }
            }
            guard c.isDue(pvc) else { continue }
            let size = pvc["spec"]["resources"]["requests"]["storage"].isNull ? Value.string("1Gi") : pvc["spec"]["resources"]["requests"]["storage"]
            let accessModes = pvc["spec"]["accessModes"].isNull ? Value.list(["ReadWriteOnce"]) : pvc["spec"]["accessModes"]
            let volumeName = "pvc-\(pvc.uid)"
            if c.get("", "persistentvolumes", namespace: "", name: volumeName) == nil {
                c.create(["apiVersion": "v1", "kind": "PersistentVolume",
                          "metadata": ["name": .string(volumeName),
                                       "annotations": ["pv.kubernetes.io/provisioned-by": storageClass["provisioner"]]],
                          "spec": ["capacity": ["storage": size], "accessModes": accessModes,
                                   "persistentVolumeReclaimPolicy": storageClass["reclaimPolicy"].isNull ? "Delete" : storageClass["reclaimPolicy"],
                                   "storageClassName": .string(className), "hostPath": ["path": .string("/var/sandbox/\(volumeName)")],
                                   "claimRef": ["kind": "PersistentVolumeClaim", "namespace": .string(pvc.namespace),
                                                "name": .string(pvc.name), "uid": .string(pvc.uid), "apiVersion": "v1"]]],
                         group: "", resource: "persistentvolumes")
                if let pv = c.get("", "persistentvolumes", namespace: "", name: volumeName) {
                    c.setStatus(pv, ["phase": "Bound"], group: "", resource: "persistentvolumes")
                }
            }
            var proposed = pvc
            proposed[path: ["spec", "volumeName"]] = .string(volumeName)
            proposed[path: ["spec", "storageClassName"]] = .string(className)
            c.update(pvc, proposed, group: "", resource: "persistentvolumeclaims")
            if let current = c.get("", "persistentvolumeclaims", namespace: pvc.namespace, name: pvc.name) {
                c.setStatus(current, ["phase": "Bound", "accessModes": accessModes, "capacity": ["storage": size]],
                            group: "", resource: "persistentvolumeclaims")
            }
        }
    }
}
