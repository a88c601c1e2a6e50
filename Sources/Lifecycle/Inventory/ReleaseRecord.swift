import FoundationEssentials
import Unstructured

/// What one run of the engine did to one component: the durable memory that upgrades,
/// prunes, history, rollback, status and an interrupted run's successor read.
///
/// Stored as a Secret per component per revision (the spec it carries may hold
/// credentials), labelled so one list call finds a stack's history. A record is written
/// `pending` with the objects about to be applied *before* any is applied, and completed
/// after; so whatever a killed run may have created is in a record, and is either
/// applied again or pruned by the next run, never orphaned.
public struct ReleaseRecord: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// Written before applying; a record still pending was interrupted.
        case pending
        /// Every object applied and healthy.
        case deployed
        case failed
        /// Stopped by the user (Ctrl-C) or by losing the lock.
        case interrupted
        /// The component was switched off and its objects pruned.
        case removed
    }

    /// One object the run applied (or was about to apply: uid unknown yet).
    public struct Entry: Sendable, Hashable {
        public var reference: ObjectReference
        public var uid: String?

        public init(_ reference: ObjectReference, uid: String? = nil) {
            self.reference = reference
            self.uid = uid
        }
    }

    /// The SeldonOperator the record belongs to, and the namespace records live in.
    public var instance: String
    public var namespace: String
    public var component: String
    /// The stack's revision: one install run is one revision for every component it touches.
    public var revision: Int
    public var chartVersion: String
    /// Hashes of the spec and of the component's values, secrets redacted.
    public var specHash: String
    public var valuesHash: String
    public var outcome: Outcome
    public var message: String
    public var time: Date
    public var objects: [Entry]
    /// The SeldonOperator manifest exactly as the user gave it, for `rollback`.
    public var spec: String

    public init(
        instance: String, namespace: String, component: String, revision: Int, chartVersion: String,
        specHash: String, valuesHash: String, outcome: Outcome, message: String = "", time: Date,
        objects: [Entry], spec: String
    ) {
        self.instance = instance
        self.namespace = namespace
        self.component = component
        self.revision = revision
        self.chartVersion = chartVersion
        self.specHash = specHash
        self.valuesHash = valuesHash
        self.outcome = outcome
        self.message = message
        self.time = time
        self.objects = objects
        self.spec = spec
    }

    /// The Secret type that marks records, so `kubectl get secrets` tells them apart.
    public static let secretType = "operator.seldon.io/release.v1"
    static let recordLabel = "operator.seldon.io/record"
    static let revisionLabel = "operator.seldon.io/revision"

    /// The label selector of every record of `instance`, or of one component of it.
    public static func selector(instance: String, component: String? = nil) -> String {
        var selector = "\(recordLabel)=release,\(Ownership.instanceLabel)=\(instance)"
        if let component { selector += ",\(Ownership.componentLabel)=\(component)" }
        return selector
    }

    public var reference: ObjectReference {
        ObjectReference(
            apiVersion: "v1", kind: "Secret", namespace: namespace,
            name: "seldon-operator.\(instance).\(component).v\(revision)")
    }

    /// The record as the Secret that stores it.
    public var secret: Value {
        let fields: [(String, String)] = [
            ("component", component), ("revision", String(revision)), ("chartVersion", chartVersion),
            ("specHash", specHash), ("valuesHash", valuesHash), ("outcome", outcome.rawValue), ("message", message),
            ("time", Timestamp.time(time)), ("objects", objects.map(Self.line).joined(separator: "\n")), ("spec", spec),
        ]
        var data = Value.Map()
        for (key, text) in fields { data[key] = .string(Data(text.utf8).base64EncodedString()) }
        let labels: Value = [
            Self.recordLabel: "release", Ownership.instanceLabel: .string(instance),
            Ownership.componentLabel: .string(component), Self.revisionLabel: .string(String(revision)),
            Ownership.managedByLabel: .string(Ownership.fieldManager),
        ]
        return [
            "apiVersion": "v1", "kind": "Secret",
            "metadata": ["name": .string(reference.name), "namespace": .string(namespace), "labels": labels],
            "type": .string(Self.secretType), "data": .map(data),
        ]
    }

    /// Why a Secret could not be read as a record.
    public struct Malformed: Error, CustomStringConvertible, Sendable, Equatable {
        public let secret: String
        public let field: String
        public var description: String { "release record \(secret): field data.\(field) is missing or malformed" }
    }

    /// Reads a record back from its Secret.
    public init(secret: Value) throws(Malformed) {
        let name = secret["metadata"]["name"].stringValue ?? "?"
        func field(_ key: String) throws(Malformed) -> String {
            guard let encoded = secret["data"][key].stringValue, let data = Data(base64Encoded: encoded),
                let text = String(data: data, encoding: .utf8)
            else { throw Malformed(secret: name, field: key) }
            return text
        }
        guard let instance = secret["metadata"]["labels"][Ownership.instanceLabel].stringValue else {
            throw Malformed(secret: name, field: "metadata.labels[\(Ownership.instanceLabel)]")
        }
        guard let revision = Int(try field("revision")) else { throw Malformed(secret: name, field: "revision") }
        guard let outcome = Outcome(rawValue: try field("outcome")) else { throw Malformed(secret: name, field: "outcome") }
        guard let time = Timestamp.parse(try field("time")) else { throw Malformed(secret: name, field: "time") }
        var entries: [Entry] = []
        for line in try field("objects").split(separator: "\n") {
            guard let entry = Self.entry(line) else { throw Malformed(secret: name, field: "objects") }
            entries.append(entry)
        }
        self.init(
            instance: instance, namespace: secret["metadata"]["namespace"].stringValue ?? "",
            component: try field("component"), revision: revision, chartVersion: try field("chartVersion"),
            specHash: try field("specHash"), valuesHash: try field("valuesHash"), outcome: outcome,
            message: try field("message"), time: time, objects: entries, spec: try field("spec"))
    }

    /// `apiVersion kind namespace name uid`, `-` for a missing namespace or uid: API names
    /// never contain spaces, so the line needs no quoting and reads well in `kubectl get -o yaml`.
    private static func line(_ entry: Entry) -> String {
        let r = entry.reference
        return [r.apiVersion, r.kind, r.namespace ?? "-", r.name, entry.uid ?? "-"].joined(separator: " ")
    }

    private static func entry(_ line: Substring) -> Entry? {
        let parts = line.split(separator: " ").map(String.init)
        guard parts.count == 5 else { return nil }
        let reference = ObjectReference(
            apiVersion: parts[0], kind: parts[1], namespace: parts[2] == "-" ? nil : parts[2], name: parts[3])
        return Entry(reference, uid: parts[4] == "-" ? nil : parts[4])
    }
}
