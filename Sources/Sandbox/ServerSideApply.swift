import Unstructured

/// Server-side apply (`PATCH` with `application/apply-patch+yaml`): create on a missing object,
/// conflicts against other managers' fields (409 with one cause per field), `force=true` to take
/// them over, and removal of fields this manager applied before and no longer sends.
extension ClusterState {
    func serverSideApply(_ request: APIRequest, route: ResourceRoute, name: String) throws(APIError) -> APIResponse {
        let type = route.type
        guard let manager = request.query["fieldManager"], !manager.isEmpty else {
            throw APIError(code: 422, reason: "Invalid",
                           message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                           details: APIError.details(group: "meta.k8s.io", kind: "PatchOptions",
                                                     causes: [FieldCause.required("fieldManager", "is required for apply patch").value]))
        }
        let force = request.query["force"] == "true"
        let dryRun = try isDryRun(request)
        var applied = try decodeBody(request, type: type)
        if route.subresource == nil { try checkKind(applied, type: type) }
        let namespace = route.namespace ?? ""
        applied[path: ["metadata", "name"]] = .string(name)
        if type.namespaced { applied[path: ["metadata", "namespace"]] = .string(namespace) }
        let rules = ManagedFields.rules(for: type)
        var appliedFields = FieldSet.of(ManagedFields.ownable(applied), rules: rules)
        appliedFields.paths.remove(["f:metadata"])

        guard let current = store.get(type.storageKey, namespace: namespace, name: name) else {
            guard route.subresource == nil else { throw APIError.notFound(type, name: name) }
            let entry = ManagedFields.entry(manager: manager, operation: "Apply", apiVersion: type.groupVersion,
                                            time: timestamp, fields: appliedFields)
            let created = try createObject(applied, type: type, manager: manager, dryRun: dryRun,
                                           fieldValidation: request.query["fieldValidation"],
                                           managedFieldsOverride: [entry])
            return json(201, created)
        }

        let live = present(current, as: type)
        let entries = current["metadata"]["managedFields"].listValue ?? []
        let subresource = route.subresource == "status" ? "status" : nil
        // Conflicts: fields another manager owns whose live value differs from the applied one.
        var conflicts: [(manager: String, entry: Value, path: FieldPath)] = []
        for entry in entries {
            let owner = entry["manager"].stringValue ?? ""
            if owner == manager && entry["operation"] == "Apply" { continue }
            if entry["subresource"].stringValue != subresource { continue }
            let owned = ManagedFields.fields(of: entry).intersection(appliedFields)
            for path in owned.paths.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let appliedValue = FieldPaths.value(at: path, in: ManagedFields.ownable(applied))
                let liveValue = FieldPaths.value(at: path, in: ManagedFields.ownable(live))
                if case .map = appliedValue ?? .null { continue }
                if appliedValue != liveValue { conflicts.append((owner, entry, path)) }
            }
        }
        var forced: [String: FieldSet] = [:]
        if !conflicts.isEmpty {
            if !force { throw applyConflict(conflicts) }
            for conflict in conflicts { forced[conflict.manager, default: FieldSet()].paths.insert(conflict.path) }
        }
        // Merge, then drop what this manager applied before, stopped sending, and nobody else owns.
        var merged = ApplyMerge.merge(ManagedFields.ownable(applied), onto: live, rules: rules)
        let previous = entries.first { $0["manager"].stringValue == manager && $0["operation"] == "Apply"
            && $0["subresource"].stringValue == subresource }.map(ManagedFields.fields(of:)) ?? FieldSet()
        var ownedByOthers = FieldSet()
        for entry in entries where !(entry["manager"].stringValue == manager && entry["operation"] == "Apply") {
            ownedByOthers = ownedByOthers.union(ManagedFields.fields(of: entry))
        }
        let dropped = previous.subtracting(appliedFields).subtracting(ownedByOthers)
        for path in dropped.paths.sorted(by: { $0.count > $1.count }) {
            FieldPaths.remove(path, from: &merged)
        }
        merged["kind"] = current["kind"]
        merged["apiVersion"] = current["apiVersion"]
        let result = try updateObject(current: current, proposed: merged, type: type, subresource: route.subresource,
                                      manager: manager, operation: "Apply", dryRun: dryRun,
                                      fieldValidation: request.query["fieldValidation"],
                                      appliedFields: appliedFields, forcedManagers: forced)
        return json(200, result)
    }

    private func applyConflict(_ conflicts: [(manager: String, entry: Value, path: FieldPath)]) -> APIError {
        func owner(_ conflict: (manager: String, entry: Value, path: FieldPath)) -> String {
            conflict.entry["operation"] == "Update"
                ? "\"\(conflict.manager)\" using \(conflict.entry["apiVersion"].stringValue ?? "")"
                : "\"\(conflict.manager)\""
        }
        let sorted = conflicts.sorted { FieldSet.describe($0.path) < FieldSet.describe($1.path) }
        let causes: [Value] = sorted.map {
            ["reason": "FieldManagerConflict", "message": .string("conflict with \(owner($0))"),
             "field": .string(FieldSet.describe($0.path))]
        }
        let message: String
        if sorted.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(owner(sorted[0])): \(FieldSet.describe(sorted[0].path))"
        } else {
            var groups: [(String, [String])] = []
            for conflict in sorted {
                let who = owner(conflict)
                if let index = groups.firstIndex(where: { $0.0 == who }) {
                    groups[index].1.append(FieldSet.describe(conflict.path))
                } else {
                    groups.append((who, [FieldSet.describe(conflict.path)]))
                }
            }
            message = "Apply failed with \(sorted.count) conflicts: " + groups.map { who, paths in
                "conflicts with \(who):\n" + paths.map { "- \($0)" }.joined(separator: "\n")
            }.joined(separator: "\n")
        }
        return APIError(code: 409, reason: "Conflict", message: message, details: ["causes": .list(causes)])
    }
}
