import Unstructured

/// `metadata.managedFields`: which manager owns which fields, per operation (Apply or Update)
/// and subresource, as kube-apiserver records them.
enum ManagedFields {
    /// Fields that are the server's, never anybody's to own.
    static let systemMetadata: Set<String> = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink",
    ]

    static func rules(for type: ResourceType) -> ListRules { ListRules(schema: type.custom?.schema) }

    /// The ownable part of an object: no kind/apiVersion, no system metadata.
    static func ownable(_ object: Value) -> Value {
        var map = object.mapValue ?? [:]
        map.removeValue(forKey: "kind")
        map.removeValue(forKey: "apiVersion")
        if var metadata = map["metadata"]?.mapValue {
            for key in systemMetadata { metadata.removeValue(forKey: key) }
            map["metadata"] = metadata.isEmpty ? nil : .map(metadata)
        }
        return .map(map)
    }

    /// The fields an Update changed: leaves with new values, plus containers it created.
    static func fieldsSet(by old: Value?, to new: Value, type: ResourceType) -> FieldSet {
        let rules = rules(for: type)
        let newOwnable = ownable(new)
        let oldOwnable = old.map(ownable) ?? [:]
        var changed = FieldSet()
        for path in FieldSet.of(newOwnable, rules: rules).paths {
            let newValue = FieldPaths.value(at: path, in: newOwnable)
            let oldValue = FieldPaths.value(at: path, in: oldOwnable)
            if newValue != oldValue { changed.paths.insert(path) }
        }
        // Containers created by this write are owned too (the "." entries), except metadata itself.
        for path in containerPaths(newOwnable, rules: rules) where path != ["f:metadata"] {
            if FieldPaths.value(at: path, in: oldOwnable) == nil { changed.paths.insert(path) }
        }
        return changed
    }

    /// Leaf paths that existed before and are gone now.
    static func removedFields(from old: Value, to new: Value, type: ResourceType) -> FieldSet {
        let rules = rules(for: type)
        let newOwnable = ownable(new)
        return FieldSet(paths: FieldSet.of(ownable(old), rules: rules).paths.filter {
            FieldPaths.value(at: $0, in: newOwnable) == nil
        })
    }

    private static func containerPaths(_ value: Value, rules: ListRules) -> [FieldPath] {
        var result: [FieldPath] = []
        func walk(_ value: Value, _ path: FieldPath, _ plain: [String]) {
            guard case let .map(map) = value, !map.isEmpty else { return }
            if !path.isEmpty { result.append(path) }
            for (key, child) in map {
                let semantics: ListSemantics? = child.listValue.map { rules.semantics(path: plain + [key], items: $0) }
                // Set lists and metadata's ownerReferences are owned as containers too, as on a real server.
                if semantics == .set || plain + [key] == ["metadata", "ownerReferences"] {
                    result.append(path + ["f:" + key])
                }
                if case let .list(items) = child, case let .map(keys)? = semantics {
                    for item in items { walk(item, path + ["f:" + key, FieldSet.keyElement(item, keys: keys)], plain + [key]) }
                } else {
                    walk(child, path + ["f:" + key], plain + [key])
                }
            }
        }
        walk(value, [], [])
        return result
    }

    static func entry(manager: String, operation: String, apiVersion: String, time: String, fields: FieldSet,
                      subresource: String? = nil) -> Value {
        var entry: Value = ["manager": .string(manager), "operation": .string(operation),
                            "apiVersion": .string(apiVersion), "time": .string(time), "fieldsType": "FieldsV1",
                            "fieldsV1": fields.fieldsV1]
        if let subresource { entry["subresource"] = .string(subresource) }
        return entry
    }

    static func fields(of entry: Value) -> FieldSet { FieldSet.fromFieldsV1(entry["fieldsV1"]) }

    /// An Update: the manager gains what it changed; everyone loses what it changed or removed.
    static func recordUpdate(entries: [Value], manager: String, apiVersion: String, time: String, changed: FieldSet,
                             removed: FieldSet, subresource: String?) -> [Value] {
        let recordedSubresource = subresource == "status" ? "status" : nil
        var result: [Value] = []
        var mine = FieldSet()
        var found = false
        for entry in entries {
            var fields = fields(of: entry).subtracting(changed).subtracting(removed)
            let isMine = entry["manager"].stringValue == manager && entry["operation"] == "Update"
                && entry["subresource"].stringValue == recordedSubresource
            if isMine {
                found = true
                fields = fields.union(changed)
                mine = fields
                if fields.isEmpty { continue }
                result.append(Self.entry(manager: manager, operation: "Update", apiVersion: apiVersion,
                                         time: changed.isEmpty ? (entry["time"].stringValue ?? time) : time,
                                         fields: fields, subresource: recordedSubresource))
                continue
            }
            if fields.isEmpty { continue }
            var kept = entry
            kept["fieldsV1"] = fields.fieldsV1
            result.append(kept)
        }
        if !found, !changed.isEmpty {
            mine = changed
            result.append(entry(manager: manager, operation: "Update", apiVersion: apiVersion, time: time,
                                fields: mine, subresource: recordedSubresource))
        }
        return result
    }

    /// An Apply: the manager's Apply entry becomes exactly the applied fields; forced conflicts
    /// are taken away from their previous owners.
    static func recordApply(entries: [Value], manager: String, apiVersion: String, time: String, fields: FieldSet,
                            subresource: String?, forced: [String: FieldSet]) -> [Value] {
        let recordedSubresource = subresource == "status" ? "status" : nil
        var result: [Value] = []
        var placed = false
        for entry in entries {
            let owner = entry["manager"].stringValue ?? ""
            let isMine = owner == manager && entry["operation"] == "Apply"
                && entry["subresource"].stringValue == recordedSubresource
            if isMine {
                placed = true
                result.append(Self.entry(manager: manager, operation: "Apply", apiVersion: apiVersion, time: time,
                                         fields: fields, subresource: recordedSubresource))
                continue
            }
            var owned = self.fields(of: entry)
            if let taken = forced[owner] { owned = owned.subtracting(taken) }
            if owner == manager { owned = owned.subtracting(fields) }
            if owned.isEmpty { continue }
            var kept = entry
            kept["fieldsV1"] = owned.fieldsV1
            result.append(kept)
        }
        if !placed {
            result.append(entry(manager: manager, operation: "Apply", apiVersion: apiVersion, time: time,
                                fields: fields, subresource: recordedSubresource))
        }
        return result
    }
}
