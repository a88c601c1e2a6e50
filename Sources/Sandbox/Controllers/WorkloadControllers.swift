import FoundationEssentials
import Unstructured

/// Deployment → ReplicaSet → Pods, StatefulSets, DaemonSets (one simulated node), Jobs, and the
/// kubelet that starts Pods after the ready delay (or crash-loops them, or never schedules them,
/// when a fault names their Deployment).
enum WorkloadControllers {
    static func deployments(_ c: ControllerContext) {
        for deployment in c.list("apps", "deployments") where !deployment.isDeleting {
            let spec = deployment["spec"]
            let desired = spec["replicas"].intValue ?? 1
            let hash = ControllerContext.hash(spec["template"])
            let rsName = "\(deployment.name)-\(hash)"
            let owned = c.owned(by: deployment, "apps", "replicasets")
            if !owned.contains(where: { $0.name == rsName }) {
                var template = spec["template"]
                template[path: ["metadata", "labels", "pod-template-hash"]] = .string(hash)
                var selector = spec["selector"]
                selector[path: ["matchLabels", "pod-template-hash"]] = .string(hash)
                var labels = spec["template"]["metadata"]["labels"]
                labels["pod-template-hash"] = .string(hash)
                c.create(["apiVersion": "apps/v1", "kind": "ReplicaSet",
                          "metadata": ["name": .string(rsName), "namespace": .string(deployment.namespace),
                                       "labels": labels,
                                       "annotations": ["deployment.kubernetes.io/desired-replicas": .string(String(desired)),
                                                       "deployment.kubernetes.io/max-replicas": .string(String(desired + 1)),
                                                       "deployment.kubernetes.io/revision": .string(String(owned.count + 1))],
                                       "ownerReferences": [c.ownerReference(to: deployment)]],
                          "spec": ["replicas": .int(desired), "selector": selector, "template": template]],
                         group: "apps", resource: "replicasets")
            }
            for rs in c.owned(by: deployment, "apps", "replicasets") {
                let want = rs.name == rsName ? desired : 0
                if rs["spec"]["replicas"].intValue != want {
                    var proposed = rs
                    proposed[path: ["spec", "replicas"]] = .int(want)
                    c.update(rs, proposed, group: "apps", resource: "replicasets")
                }
            }
            let sets = c.owned(by: deployment, "apps", "replicasets")
            let newRS = sets.first { $0.name == rsName }
            let total = sets.reduce(0) { $0 + ($1["status"]["replicas"].intValue ?? 0) }
            let ready = sets.reduce(0) { $0 + ($1["status"]["readyReplicas"].intValue ?? 0) }
            let available = sets.reduce(0) { $0 + ($1["status"]["availableReplicas"].intValue ?? 0) }
            let updated = newRS?["status"]["replicas"].intValue ?? 0
            let complete = updated == desired && total == desired && available == desired
            var conditions = deployment["status"]["conditions"].listValue ?? []
            conditions = c.setting(conditions, type: "Available", status: available >= desired ? "True" : "False",
                                   reason: available >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                                   message: available >= desired ? "Deployment has minimum availability."
                                       : "Deployment does not have minimum availability.", withUpdateTime: true)
            // A rollout that has not completed within progressDeadlineSeconds of its last progress fails.
            let progressing = conditions.first { $0["type"] == "Progressing" }
            let lastProgress = progressing.flatMap { ObjectShape.parseTimestamp($0["lastUpdateTime"].stringValue ?? "") }
            let deadline = Double(spec["progressDeadlineSeconds"].intValue ?? 600)
            if complete {
                conditions = c.setting(conditions, type: "Progressing", status: "True", reason: "NewReplicaSetAvailable",
                                       message: "ReplicaSet \"\(rsName)\" has successfully progressed.", withUpdateTime: true)
            } else if progressing?["reason"] == "ProgressDeadlineExceeded"
                        || lastProgress.map({ c.now.timeIntervalSince($0) >= deadline }) == true {
                conditions = c.setting(conditions, type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded",
                                       message: "ReplicaSet \"\(rsName)\" has timed out progressing.", withUpdateTime: true)
            } else {
                conditions = c.setting(conditions, type: "Progressing", status: "True", reason: "ReplicaSetUpdated",
                                       message: "ReplicaSet \"\(rsName)\" is progressing.", withUpdateTime: true)
            }
            var status: Value = ["observedGeneration": deployment["metadata"]["generation"], "replicas": .int(total),
                                 "updatedReplicas": .int(updated), "readyReplicas": .int(ready),
                                 "availableReplicas": .int(available)]
            if total - available > 0 { status["unavailableReplicas"] = .int(total - available) }
            status["conditions"] = .list(conditions)
            for key in ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas"] where status[key] == 0 {
                status.remove(key)
            }
            c.setStatus(deployment, status, group: "apps", resource: "deployments")
        }
    }

    static func replicaSets(_ c: ControllerContext) {
        for rs in c.list("apps", "replicasets") where !rs.isDeleting {
            let desired = rs["spec"]["replicas"].intValue ?? 1
            var pods = c.owned(by: rs, "", "pods").filter { !$0.isDeleting }
            if pods.count < desired {
                for _ in pods.count..<desired {
                    if let pod = createPod(c, owner: rs, name: "\(rs.name)-\(c.state.random.nameSuffix())",
                                           template: rs["spec"]["template"]) {
                        pods.append(pod)
                    }
                }
            } else if pods.count > desired {
                for pod in pods.suffix(pods.count - desired) { c.delete(pod, group: "", resource: "pods") }
                pods = Array(pods.prefix(desired))
            }
            let ready = pods.filter(isReady).count
            var status: Value = ["replicas": .int(pods.count), "fullyLabeledReplicas": .int(pods.count),
                                 "readyReplicas": .int(ready), "availableReplicas": .int(ready),
                                 "observedGeneration": rs["metadata"]["generation"]]
            for key in ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"] where status[key] == 0 { status.remove(key) }
            c.setStatus(rs, status, group: "apps", resource: "replicasets")
        }
    }

    static func statefulSets(_ c: ControllerContext) {
        for sts in c.list("apps", "statefulsets") where !sts.isDeleting {
            let desired = sts["spec"]["replicas"].intValue ?? 1
            let revision = "\(sts.name)-\(ControllerContext.hash(sts["spec"]["template"]))"
            for ordinal in 0..<desired {
                let podName = "\(sts.name)-\(ordinal)"
                if c.get("", "pods", namespace: sts.namespace, name: podName) != nil { continue }
                var template = sts["spec"]["template"]
                template[path: ["metadata", "labels", "statefulset.kubernetes.io/pod-name"]] = .string(podName)
                template[path: ["metadata", "labels", "controller-revision-hash"]] = .string(revision)
                var volumes = template["spec"]["volumes"].listValue ?? []
                for claim in sts["spec"]["volumeClaimTemplates"].listValue ?? [] {
                    let claimName = "\(claim.name)-\(sts.name)-\(ordinal)"
                    if c.get("", "persistentvolumeclaims", namespace: sts.namespace, name: claimName) == nil {
                        var pvc = claim
                        pvc["apiVersion"] = "v1"
                        pvc["kind"] = "PersistentVolumeClaim"
                        pvc["metadata"] = ["name": .string(claimName), "namespace": .string(sts.namespace),
                                           "labels": sts["spec"]["selector"]["matchLabels"]]
                        pvc.remove("status")
                        c.create(pvc, group: "", resource: "persistentvolumeclaims")
                    }
                    volumes.append(["name": .string(claim.name), "persistentVolumeClaim": ["claimName": .string(claimName)]])
                }
                if !volumes.isEmpty { template[path: ["spec", "volumes"]] = .list(volumes) }
                template[path: ["spec", "hostname"]] = .string(podName)
                createPod(c, owner: sts, name: podName, template: template)
            }
            let pods = c.owned(by: sts, "", "pods").filter { !$0.isDeleting }
            for pod in pods {
                if let ordinal = Int(pod.name.split(separator: "-").last ?? ""), ordinal >= desired {
                    c.delete(pod, group: "", resource: "pods")
                }
            }
            let current = pods.filter { (Int($0.name.split(separator: "-").last ?? "") ?? 0) < desired }
            let ready = current.filter(isReady).count
            var status: Value = ["observedGeneration": sts["metadata"]["generation"], "replicas": .int(current.count),
                                 "readyReplicas": .int(ready), "currentReplicas": .int(current.count),
                                 "updatedReplicas": .int(current.count), "currentRevision": .string(revision),
                                 "updateRevision": .string(revision), "collisionCount": 0,
                                 "availableReplicas": .int(ready)]
            if ready == 0 { status.remove("readyReplicas") }
            c.setStatus(sts, status, group: "apps", resource: "statefulsets")
        }
    }

    static func daemonSets(_ c: ControllerContext) {
        for ds in c.list("apps", "daemonsets") where !ds.isDeleting {
            var pods = c.owned(by: ds, "", "pods").filter { !$0.isDeleting }
            if pods.isEmpty {
                var template = ds["spec"]["template"]
                template[path: ["spec", "nodeName"]] = "sandbox-node"
                if let pod = createPod(c, owner: ds, name: "\(ds.name)-\(c.state.random.nameSuffix())", template: template) {
                    pods.append(pod)
                }
            }
            let ready = pods.filter(isReady).count
            let status: Value = ["currentNumberScheduled": .int(pods.count), "numberMisscheduled": 0,
                                 "desiredNumberScheduled": 1, "numberReady": .int(ready),
                                 "observedGeneration": ds["metadata"]["generation"],
                                 "updatedNumberScheduled": .int(pods.count), "numberAvailable": .int(ready),
                                 "numberUnavailable": .int(1 - ready)]
            c.setStatus(ds, status, group: "apps", resource: "daemonsets")
        }
    }

    static func jobs(_ c: ControllerContext) {
        for job in c.list("batch", "jobs") where !job.isDeleting {
            if (job["status"]["conditions"].listValue ?? []).contains(where: { $0["type"] == "Complete" }) { continue }
            var pods = c.owned(by: job, "", "pods")
            if pods.isEmpty {
                var template = job["spec"]["template"]
                template[path: ["metadata", "labels", "job-name"]] = .string(job.name)
                template[path: ["metadata", "labels", "batch.kubernetes.io/job-name"]] = .string(job.name)
                template[path: ["metadata", "labels", "controller-uid"]] = .string(job.uid)
                if let pod = createPod(c, owner: job, name: "\(job.name)-\(c.state.random.nameSuffix())", template: template) {
                    pods.append(pod)
                }
            }
            let succeeded = pods.filter { $0["status"]["phase"] == "Succeeded" }.count
            var status = job["status"]
            if status["startTime"].isNull { status["startTime"] = .string(c.state.timestamp) }
            if succeeded > 0 {
                var conditions = status["conditions"].listValue ?? []
                conditions = c.setting(conditions, type: "SuccessCriteriaMet", status: "True", reason: "CompletionsReached",
                                       message: "Reached expected number of succeeded pods")
                conditions = c.setting(conditions, type: "Complete", status: "True", reason: "CompletionsReached",
                                       message: "Reached expected number of succeeded pods")
                status["conditions"] = .list(conditions)
                status["succeeded"] = .int(succeeded)
                status.remove("active")
                status["ready"] = 0
                status["terminating"] = 0
                status["completionTime"] = .string(c.state.timestamp)
            } else {
                status["active"] = .int(pods.count)
                status["ready"] = 0
                status["terminating"] = 0
            }
            c.setStatus(job, status, group: "batch", resource: "jobs")
        }
    }

    @discardableResult
    static func createPod(_ c: ControllerContext, owner: Value, name: String, template: Value) -> Value? {
        var metadata = template["metadata"].mapValue ?? [:]
        metadata["name"] = .string(name)
        metadata["namespace"] = .string(owner.namespace)
        metadata["ownerReferences"] = [c.ownerReference(to: owner)]
        var spec = template["spec"]
        if spec["restartPolicy"].isNull { spec["restartPolicy"] = owner["kind"] == "Job" ? "Never" : "Always" }
        if spec["serviceAccountName"].isNull { spec["serviceAccountName"] = "default" }
        return c.create(["apiVersion": "v1", "kind": "Pod", "metadata": .map(metadata), "spec": spec],
                        group: "", resource: "pods")
    }

    static func isReady(_ pod: Value) -> Bool {
        (pod["status"]["conditions"].listValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
    }

    /// The Deployment (namespace/name) a Pod belongs to through its ReplicaSet, for the pod faults.
    static func deploymentKey(of pod: Value, _ c: ControllerContext) -> String? {
        guard let rsRef = pod.ownerReferences.first(where: { $0["kind"] == "ReplicaSet" }),
              let rs = c.get("apps", "replicasets", namespace: pod.namespace, name: rsRef["name"].stringValue ?? ""),
              let deployRef = rs.ownerReferences.first(where: { $0["kind"] == "Deployment" }) else { return nil }
        return "\(pod.namespace)/\(deployRef["name"].stringValue ?? "")"
    }

    /// The simulated kubelet and scheduler on the one node.
    static func kubelet(_ c: ControllerContext) {
        let faults = c.state.options.faults
        for pod in c.list("", "pods") where !pod.isDeleting {
            let phase = pod["status"]["phase"].stringValue ?? "Pending"
            if phase == "Succeeded" || phase == "Failed" { continue }
            let deployment = deploymentKey(of: pod, c)
            var status = pod["status"]
            var conditions = status["conditions"].listValue ?? []
            if let deployment, faults.unschedulable.contains(deployment) {
                conditions = c.setting(conditions, type: "PodScheduled", status: "False", reason: "Unschedulable",
                                       message: "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
                status["conditions"] = .list(conditions)
                status["phase"] = "Pending"
                c.setStatus(pod, status, group: "", resource: "pods")
                continue
            }
            guard c.isDue(pod), claimsBound(pod, c) else { continue }
            var proposed = pod
            if pod["spec"]["nodeName"].isNull {
                proposed[path: ["spec", "nodeName"]] = "sandbox-node"
                c.update(pod, proposed, group: "", resource: "pods")
                continue
            }
            let containers = pod["spec"]["containers"].listValue ?? []
            let isJob = pod.ownerReferences.contains { $0["kind"] == "Job" }
            let crashing = deployment.map(faults.crashLooping.contains) ?? false
            let pullFailing = deployment.map(faults.imagePullFailing.contains) ?? false
            let startTime = status["startTime"].stringValue ?? c.state.timestamp
            let ip = status["podIP"].stringValue ?? "10.244.0.\(Int(c.state.random.next() % 250) + 2)"
            status["hostIP"] = "172.18.0.2"
            status["hostIPs"] = [["ip": "172.18.0.2"]]
            status["podIP"] = .string(ip)
            status["podIPs"] = [["ip": .string(ip)]]
            status["startTime"] = .string(startTime)
            status["qosClass"] = status["qosClass"].isNull ? "BestEffort" : status["qosClass"]
            let ready: Bool
            if isJob {
                status["phase"] = "Succeeded"
                status["containerStatuses"] = .list(containers.map { container in
                    ["name": container["name"], "image": container["image"], "imageID": "", "ready": false,
                     "restartCount": 0, "started": false,
                     "state": ["terminated": ["exitCode": 0, "reason": "Completed", "startedAt": .string(startTime),
                                              "finishedAt": .string(c.state.timestamp)]]]
                })
                ready = false
            } else if pullFailing {
                status["phase"] = "Pending"
                status["containerStatuses"] = .list(containers.map { container in
                    ["name": container["name"], "image": container["image"], "imageID": "", "ready": false,
                     "restartCount": 0, "started": false,
                     "state": ["waiting": ["reason": "ImagePullBackOff",
                                           "message": .string("Back-off pulling image \"\(container["image"].stringValue ?? "")\"")]]]
                })
                ready = false
            } else if crashing {
                status["phase"] = "Running"
                let previous = status["containerStatuses"].listValue ?? []
                status["containerStatuses"] = .list(containers.map { container in
                    let restarts = (previous.first { $0["name"] == container["name"] }?["restartCount"].intValue ?? 0)
                    return ["name": container["name"], "image": container["image"], "imageID": "", "ready": false,
                            "restartCount": .int(min(restarts + 1, 5)), "started": false,
                            "lastState": ["terminated": ["exitCode": 1, "reason": "Error", "startedAt": .string(startTime),
                                                         "finishedAt": .string(startTime)]],
                            "state": ["waiting": ["reason": "CrashLoopBackOff",
                                                  "message": .string("back-off 10s restarting failed container=\(container["name"].stringValue ?? "") pod=\(pod.name)_\(pod.namespace)(\(pod.uid))")]]]
                })
                ready = false
            } else {
                status["phase"] = "Running"
                status["containerStatuses"] = .list(containers.map { container in
                    ["name": container["name"], "image": container["image"], "imageID": "", "ready": true,
                     "restartCount": 0, "started": true, "state": ["running": ["startedAt": .string(startTime)]]]
                })
                ready = true
            }
            let readyText = ready ? "True" : "False"
            conditions = c.setting(conditions, type: "PodScheduled", status: "True", reason: "", message: "")
            conditions = c.setting(conditions, type: "Initialized", status: "True", reason: "", message: "")
            conditions = c.setting(conditions, type: "ContainersReady", status: readyText,
                                   reason: ready ? "" : (isJob ? "PodCompleted" : "ContainersNotReady"), message: "")
            conditions = c.setting(conditions, type: "Ready", status: readyText,
                                   reason: ready ? "" : (isJob ? "PodCompleted" : "ContainersNotReady"), message: "")
            status["conditions"] = .list(conditions.map { condition in
                var condition = condition
                if condition["reason"] == "" { condition.remove("reason") }
                if condition["message"] == "" { condition.remove("message") }
                return condition
            })
            c.setStatus(pod, status, group: "", resource: "pods")
        }
    }

    private static func claimsBound(_ pod: Value, _ c: ControllerContext) -> Bool {
        for volume in pod["spec"]["volumes"].listValue ?? [] {
            guard let claim = volume["persistentVolumeClaim"]["claimName"].stringValue else { continue }
            guard let pvc = c.get("", "persistentvolumeclaims", namespace: pod.namespace, name: claim),
                  pvc["status"]["phase"] == "Bound" else { return false }
        }
        return true
    }
}
