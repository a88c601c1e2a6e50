/// Where a problem sits in a SeldonOperator, written the way Kubernetes writes field
/// paths in its own validation errors (`spec.enable.routing`, `status.conditions[0].type`),
/// so a user can find it in the manifest they wrote.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }

    public func appending(_ key: String) -> FieldPath {
        FieldPath(description.isEmpty ? key : "\(description).\(key)")
    }

    public func appending(index: Int) -> FieldPath {
        FieldPath("\(description)[\(index)]")
    }
}

/// One thing wrong with a SeldonOperator: the field, what is wrong, and how to fix it.
public struct SpecIssue: Error, Hashable, Sendable, CustomStringConvertible {
    public let path: FieldPath
    public let message: String
    /// What the user should change; nil when the message already says it.
    public let fix: String?

    public init(_ path: FieldPath, _ message: String, fix: String? = nil) {
        self.path = path
        self.message = message
        self.fix = fix
    }

    public var description: String {
        fix.map { "\(path): \(message); fix: \($0)" } ?? "\(path): \(message)"
    }
}

/// Every problem found in one SeldonOperator, reported together so a user fixes them in
/// one round rather than one per attempt.
public struct SpecErrors: Error, Sendable, CustomStringConvertible {
    public let source: String
    public let issues: [SpecIssue]

    public init(source: String, issues: [SpecIssue]) {
        self.source = source
        self.issues = issues
    }

    public var description: String {
        issues.map { "\(source): \($0)" }.joined(separator: "\n")
    }
}
