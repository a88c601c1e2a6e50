import Unstructured

/// Which objects of earlier runs the new render no longer contains.
///
/// Candidates are the objects of every record since the last one that deployed, that
/// one included: a run that failed or was killed may have created objects of a render
/// that never succeeded, and those must go too. CRDs are never pruned (deleting one
/// deletes every resource of it in the cluster); objects annotated to be kept are
/// skipped when their live state is looked at (`shouldDelete`).
public enum PrunePlan {
    /// Candidates for pruning, sorted in uninstall order, then by reference.
    /// - Parameter history: the component's records, any order.
    public static func candidates(history: [ReleaseRecord], desired: Set<ObjectReference>) -> [ReleaseRecord.Entry] {
        inventory(history: history).filter {
            !desired.contains($0.reference)
                && $0.reference.groupKind != GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition")
        }
    }

    /// Every object the records since the last deployed one name, CRDs included, each once
    /// (with the newest uid known), sorted in uninstall order, then by reference.
    public static func inventory(history: [ReleaseRecord]) -> [ReleaseRecord.Entry] {
        let newestFirst = history.sorted { $0.revision > $1.revision }
        var relevant: [ReleaseRecord] = []
        for record in newestFirst {
            relevant.append(record)
            if record.outcome == .deployed { break }
        }
        var seen = Set<ObjectReference>()
        var result: [ReleaseRecord.Entry] = []
        for record in relevant {
            for entry in record.objects where !seen.contains(entry.reference) {
                seen.insert(entry.reference)
                result.append(entry)
            }
        }
        return result.sorted {
            (UninstallWave.of($0.reference.groupKind), $0.reference) < (UninstallWave.of($1.reference.groupKind), $1.reference)
        }
    }

    /// Whether the live object of a candidate may be deleted: it is still ours (labelled
    /// with our instance; recreated by someone else under the same name, it is not), it is
    /// the same object the record saw when the uid is known, and it is not marked keep.
    public static func shouldDelete(_ live: Value, entry: ReleaseRecord.Entry, instance: String) -> Bool {
        guard live["metadata"]["labels"][Ownership.instanceLabel].stringValue == instance else { return false }
        if let uid = entry.uid, let liveUID = live["metadata"]["uid"].stringValue, uid != liveUID { return false }
        return !live.isMarkedKeep
    }
}
