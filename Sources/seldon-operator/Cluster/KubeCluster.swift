import KubeClient
import Lifecycle
import Stack
import Unstructured

/// Lifecycle's `Cluster` over KubeClient: the one place where the engine's small view of a
/// cluster meets the real API. KubeClient already retries 429, 5xx and dropped connections;
/// what is left is translated into `ClusterError`s naming the object.
struct KubeCluster: Cluster {
    let client: KubeClient

    func get(_ reference: ObjectReference) async throws -> Value? {
        do {
            return try await client.get(reference.gvk, name: reference.name, namespace: reference.namespace)
        } catch let error as APIError where error.reason == .notFound {
            return nil
        } catch {
            throw Self.translate(error, reference)
        }
    }

    func list(apiVersion: String, kind: String, namespace: String?, labelSelector: String?) async throws -> [Value] {
        do {
            let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind)
            return try await client.list(gvk, namespace: namespace, options: ListOptions(labelSelector: labelSelector)).items
                .map { Self.typed($0, gvk) }
        } catch let error as APIError where error.reason == .notFound {
            // The namespace does not exist: nothing in it.
            return []
        } catch is NoMappingError {
            // The kind is not served (its CRD is not installed): no objects of it.
            return []
        } catch {
            throw Self.translate(error, nil)
        }
    }

    /// Follows KubeClient's `Watcher` and speaks Lifecycle's dialect: the list becomes
    /// `added` events closed by one `synced`. When the watcher re-lists (events were lost,
    /// 410 Gone), objects missing from the new list are reported `deleted`, so a waiter
    /// never keeps an object the server no longer has.
    func watch(apiVersion: String, kind: String, namespace: String?, labelSelector: String?)
        -> AsyncThrowingStream<Lifecycle.WatchEvent, any Error>
    {
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        let watcher = Watcher(client: client, gvk: gvk, namespace: namespace, options: ListOptions(labelSelector: labelSelector))
        return AsyncThrowingStream { continuation in
            let task = Task {
                var known: [String: Value] = [:]
                var listed: Set<String> = []
                var synced = false
                do {
                    for try await event in watcher.events() {
                        switch event {
                        case .initStarted:
                            listed = []
                        case let .initApply(item):
                            let object = Self.typed(item, gvk)
                            let key = Self.key(object)
                            listed.insert(key)
                            continuation.yield(known.updateValue(object, forKey: key) == nil || !synced ? .added(object) : .modified(object))
                        case .initDone:
                            for (key, object) in known where !listed.contains(key) {
                                known[key] = nil
                                continuation.yield(.deleted(object))
                            }
                            if !synced { continuation.yield(.synced) }
                            synced = true
                        case let .apply(object):
                            let isNew = known.updateValue(object, forKey: Self.key(object)) == nil
                            continuation.yield(isNew ? .added(object) : .modified(object))
                        case let .delete(object):
                            known[Self.key(object)] = nil
                            continuation.yield(.deleted(object))
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: Self.translate(error, nil))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func apply(_ object: Value, fieldManager: String, force: Bool) async throws -> Value {
        do {
            return try await client.apply(object, force: force, options: WriteOptions(fieldManager: fieldManager))
        } catch {
            throw Self.translate(error, ObjectReference(object: object))
        }
    }

    func create(_ object: Value) async throws -> Value {
        do {
            return try await client.create(object)
        } catch {
            throw Self.translate(error, ObjectReference(object: object))
        }
    }

    func update(_ object: Value) async throws -> Value {
        do {
            return try await client.update(object)
        } catch {
            throw Self.translate(error, ObjectReference(object: object))
        }
    }

    func mergePatch(_ reference: ObjectReference, patch: Value) async throws -> Value {
        do {
            return try await client.patch(reference.gvk, name: reference.name, namespace: reference.namespace, .merge(patch))
        } catch {
            throw Self.translate(error, reference)
        }
    }

    @discardableResult
    func delete(_ reference: ObjectReference) async throws -> Bool {
        do {
            _ = try await client.delete(reference.gvk, name: reference.name, namespace: reference.namespace,
                                        options: DeleteOptions(propagationPolicy: .background))
            return true
        } catch let error as APIError where error.reason == .notFound {
            return false
        } catch is NoMappingError {
            // The kind itself is gone (its CRD was deleted): so is every object of it.
            return false
        } catch {
            throw Self.translate(error, reference)
        }
    }

    /// The custom kinds the server serves (those of Established CRDs) and the built-in kinds
    /// the stack's components rely on. KubeClient answers discovery one group-version at a
    /// time, so the built-in half is asked for the group-versions the catalog names.
    func servedKinds() async throws -> Set<GroupKind> {
        var kinds: Set<GroupKind> = []
        for definition in try await list(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
                                         namespace: nil, labelSelector: nil)
        {
            let established = definition["status"]["conditions"].listValue?.contains {
                $0["type"].stringValue == "Established" && $0["status"].stringValue == "True"
            } ?? false
            guard established, let group = definition["spec"]["group"].stringValue,
                  let kind = definition["spec"]["names"]["kind"].stringValue else { continue }
            kinds.insert(GroupKind(group: group, kind: kind))
        }
        let discovery = KubeDiscovery(client: client)
        for requirement in Set(Catalog.components.flatMap(\.prerequisites)) {
            if try await discovery.servedKinds(in: requirement.groupVersion).contains(requirement.kind) {
                kinds.insert(GroupKind(group: requirement.group, kind: requirement.kind))
            }
        }
        return kinds
    }

    /// The items of a list carry no `apiVersion` and `kind` (the list does); the engine
    /// identifies objects by them, so they are put back.
    private static func typed(_ item: Value, _ gvk: GroupVersionKind) -> Value {
        var object = item
        if object["apiVersion"].stringValue == nil { object["apiVersion"] = .string(gvk.apiVersion) }
        if object["kind"].stringValue == nil { object["kind"] = .string(gvk.kind) }
        return object
    }

    /// Identity of an object inside one watch.
    private static func key(_ object: Value) -> String {
        object["metadata"]["uid"].stringValue
            ?? "\(object["metadata"]["namespace"].stringValue ?? "")/\(object["metadata"]["name"].stringValue ?? "")"
    }

    /// KubeClient's errors as the engine acts on them; the server's message is kept whole.
    static func translate(_ error: any Error, _ reference: ObjectReference?) -> any Error {
        if error is CancellationError || error is ClusterError { return error }
        guard let api = error as? APIError else {
            if let missing = error as? NoMappingError { return ClusterError(.notFound, reference, missing.description) }
            return ClusterError(.unavailable, reference, "\(error)")
        }
        let reason: ClusterError.Reason = switch api.reason {
        case .notFound, .gone: .notFound
        case .alreadyExists: .alreadyExists
        case .conflict: .conflict
        case .invalid, .badRequest, .webhookDenied: .invalid
        case .forbidden, .unauthorized: .forbidden
        case .tooManyRequests, .serverTimeout, .internalError, .serviceUnavailable: .unavailable
        case .unsupported, .other: .other
        }
        return ClusterError(reason, reference, api.description, httpStatus: api.code)
    }
}

extension ObjectReference {
    var gvk: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: kind) }
}
