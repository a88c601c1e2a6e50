import FoundationEssentials
import Unstructured

/// The `scale` subresource: an autoscaling/v1 Scale view of replicas (CRDs name their paths).
extension ClusterState {
    func scale(of object: Value, type: ResourceType) throws(APIError) -> Value {
        let specPath = scalePath(type.custom?.specReplicasPath ?? ".spec.replicas")
        let statusPath = scalePath(type.custom?.statusReplicasPath ?? ".status.replicas")
        var selector = ""
        if let selectorPath = type.custom?.labelSelectorPath {
            selector = object[path: scalePath(selectorPath)].stringValue ?? ""
        } else if !object["spec"]["selector"].isNull {
            selector = LabelSelector(object: object["spec"]["selector"]).text
        }
        var metadata: Value = [:]
        for key in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] where !object["metadata"][key].isNull {
            metadata[key] = object["metadata"][key]
        }
        var status: Value = ["replicas": .int(object[path: statusPath].intValue ?? 0)]
        if !selector.isEmpty { status["selector"] = .string(selector) }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata,
                "spec": ["replicas": .int(object[path: specPath].intValue ?? 0)], "status": status]
    }

    func scalePath(_ jsonPath: String) -> [String] {
        jsonPath.split(separator: ".").map(String.init)
    }

    func writeScale(_ request: APIRequest, route: ResourceRoute, name: String, newScale: Value) throws(APIError) -> APIResponse {
        let type = route.type
        guard let current = store.get(type.storageKey, namespace: route.namespace ?? "", name: name) else {
            throw APIError.notFound(type, name: name)
        }
        guard let replicas = newScale["spec"]["replicas"].intValue else {
            throw APIError.invalid(type, name: name, causes: [.required("spec.replicas")])
        }
        var updated = current
        updated[path: scalePath(type.custom?.specReplicasPath ?? ".spec.replicas")] = .int(replicas)
        let result = try updateObject(current: current, proposed: updated, type: type, subresource: "scale",
                                      manager: fieldManager(request), dryRun: try isDryRun(request))
        return json(200, try scale(of: result, type: type))
    }
}
