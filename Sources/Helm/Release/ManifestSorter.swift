import Unstructured

/// One YAML document of rendered output, with the template it came from.
public struct Manifest: Sendable, Equatable {
    /// The template's name (`chart/templates/deploy.yaml`), printed as `# Source:`.
    public let path: String
    /// The document's text, trimmed of surrounding blank space.
    public let content: String
    public let kind: String
}

/// A manifest annotated with `helm.sh/hook`: run by Helm around install, upgrade,
/// delete, rollback or test rather than applied with the release.
public struct Hook: Sendable, Equatable {
    public let manifest: Manifest
    public let events: [String]
    public let weight: Int

    public var isTest: Bool { events.contains("test") }
}

/// Splits rendered templates into documents and orders them as Helm installs them
/// (Helm's `releaseutil.SortManifests`).
///
/// Templates are taken in lexical order of their names and documents in file order;
/// then manifests are stably sorted by kind along `installOrder`. Kinds not in the list
/// come last, sorted by kind name among themselves.
public enum ManifestSorter {
    public static let hookAnnotation = "helm.sh/hook"
    public static let hookWeightAnnotation = "helm.sh/hook-weight"

    /// Those occurring earlier in the list get installed before those occurring later.
    /// Webhook configurations are deliberately absent: Helm 3.21 sorts them with the
    /// unknown kinds (by name, after everything listed), as `helm template` output shows.
    public static let installOrder = [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
        "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
        "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
        "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding",
        "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
        "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
    ]

    /// Hook events Helm knows; a hook naming any other is dropped, as Helm drops it.
    static let hookEvents: [String: String] = [
        "pre-install": "pre-install", "post-install": "post-install", "pre-delete": "pre-delete",
        "post-delete": "post-delete", "pre-upgrade": "pre-upgrade", "post-upgrade": "post-upgrade",
        "pre-rollback": "pre-rollback", "post-rollback": "post-rollback", "test": "test",
        // Helm 2 spelled the test hook this way; Helm 3 still reads it.
        "test-success": "test",
    ]

    public static func sort(_ files: [String: String]) throws(ReleaseError) -> (manifests: [Manifest], hooks: [Hook]) {
        var manifests: [Manifest] = []
        var hooks: [Hook] = []
        for path in files.keys.sorted() {
            guard let content = files[path], !content.trimmingSpaces.isEmpty else { continue }
            for document in split(content) {
                let head: Value
                do { head = try YAML.parse(document, source: path, numbers: .exact) } catch {
                    throw ReleaseError("YAML parse error on \(path): error converting YAML to JSON: \(error.goText)")
                }
                if !head.isNull && head.mapValue == nil {
                    throw ReleaseError("YAML parse error on \(path): error unmarshaling JSON: json: cannot unmarshal \(head.kindName) into Go value of type releaseutil.SimpleHead")
                }
                let manifest = Manifest(path: path, content: document, kind: scalarText(head["kind"]))
                guard case let .map(annotations) = head["metadata"]["annotations"], let hookTypes = annotations[hookAnnotation] else {
                    manifests.append(manifest)
                    continue
                }
                var events: [String] = []
                for name in scalarText(hookTypes).split(separator: ",") {
                    guard let event = hookEvents[name.trimmingSpaces.lowercased()] else { events = []; break }
                    events.append(event)
                }
                if events.isEmpty { continue }
                let weight = Int(scalarText(annotations[hookWeightAnnotation] ?? .null).trimmingSpaces) ?? 0
                hooks.append(Hook(manifest: manifest, events: events, weight: weight))
            }
        }
        return (byKind(manifests, kind: \.kind), byKind(hooks, kind: \.manifest.kind))
    }

    /// The documents of one rendered file: split at `---` lines, each trimmed, empty
    /// ones dropped (Helm's `SplitManifests`).
    public static func split(_ text: String) -> [String] {
        var documents: [String] = []
        var current: [Substring] = []
        func flush() {
            let document = current.joined(separator: "\n").trimmingSpaces
            if !document.isEmpty { documents.append(String(document)) }
            current = []
        }
        for line in text.trimmingSpaces.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("---") {
                // The separator is `---` and any blank space after it; text after that on the
                // same line starts the next document.
                flush()
                let rest = line.dropFirst(3).drop { $0 == " " || $0 == "\t" || $0 == "\r" }
                if !rest.isEmpty { current.append(rest) }
            } else {
                current.append(line)
            }
        }
        flush()
        return documents
    }

    private static let rank: [String: Int] = Dictionary(uniqueKeysWithValues: installOrder.enumerated().map { ($1, $0) })

    static func byKind<T>(_ items: [T], kind: (T) -> String) -> [T] {
        // Stable: the original position breaks every tie.
        let indexed = items.enumerated().map { (offset: $0.offset, item: $0.element, kind: kind($0.element)) }
        return indexed.sorted { a, b in
            switch (rank[a.kind], rank[b.kind]) {
            case let (x?, y?): return x != y ? x < y : a.offset < b.offset
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.kind != b.kind ? a.kind < b.kind : a.offset < b.offset
            }
        }.map(\.item)
    }
}

/// Rendered output Helm cannot turn into a release.
public struct ReleaseError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
