import Unstructured

/// A rendered object as the engine will apply it: marked with the stack's labels and the
/// hash of its own content, so a later run can tell from the live object alone whether
/// anything would change.
public struct DesiredObject: Sendable {
    public let reference: ObjectReference
    /// The object to apply, labels and hash annotation included.
    public let object: Value
    public let hash: String

    public enum Problem: Error, CustomStringConvertible, Sendable {
        case notAnObject(component: String, index: Int)

        public var description: String {
            switch self {
            case let .notAnObject(component, index):
                "component \(component): rendered document \(index + 1) has no apiVersion, kind or metadata.name"
            }
        }
    }

    /// Marks `rendered` (document `index` of `component`'s render) as owned by `instance`.
    /// The hash covers the object with its ownership labels but without the hash itself.
    public init(rendered: Value, index: Int, instance: String, component: String) throws(Problem) {
        guard let reference = ObjectReference(object: rendered) else {
            throw .notAnObject(component: component, index: index)
        }
        var object = rendered.plain
        var labels = object["metadata"]["labels"].mapValue ?? [:]
        labels[Ownership.instanceLabel] = .string(instance)
        labels[Ownership.componentLabel] = .string(component)
        labels[Ownership.managedByLabel] = .string(Ownership.fieldManager)
        object["metadata"]["labels"] = .map(labels)
        let hash = StableHash.of(object)
        object["metadata"]["annotations"][Ownership.desiredHashAnnotation] = .string(hash)
        self.reference = reference
        self.object = object
        self.hash = hash
    }

    /// Whether applying would change nothing: the live object exists, is not being
    /// deleted, and was last applied from the same desired state.
    public func isApplied(in live: Value?) -> Bool {
        guard let live, !live.isTerminating else { return false }
        return live["metadata"]["annotations"][Ownership.desiredHashAnnotation].stringValue == hash
    }
}

extension Value {
    /// Whether the object is annotated to be kept by pruning and uninstall.
    var isMarkedKeep: Bool {
        let annotations = self["metadata"]["annotations"]
        return Ownership.keepAnnotations.contains { annotations[$0.key].stringValue == $0.value }
    }
}
