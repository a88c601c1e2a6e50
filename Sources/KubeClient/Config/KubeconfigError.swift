/// A kubeconfig (or in-cluster setting) that cannot be used, named by file and field so a
/// user can go straight to the line to fix.
public struct KubeconfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file the problem is in; several files when it is about the merged result.
    public var file: String
    /// The field path inside the file, kubectl's spelling (`users[2].user.exec.command`),
    /// or the entry (`context "dev"`); empty when the problem is the whole file.
    public var field: String
    public var message: String

    public init(file: String, field: String, message: String) {
        self.file = file
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "kubeconfig \(file): \(message)" : "kubeconfig \(file): \(field): \(message)"
    }
}
