/// An object's identity regardless of the API version it was read or rendered in, so a
/// watch that answers in `v1` finds the object rendered as `v1beta1`.
struct ObjectKey: Hashable, Sendable {
    var groupKind: GroupKind
    var namespace: String?
    var name: String

    init(_ reference: ObjectReference) {
        groupKind = reference.groupKind
        namespace = reference.namespace
        name = reference.name
    }
}
