import Stack
import Unstructured

/// Reads a stored `status` back into `SeldonOperatorStatus`, so conditions keep their
/// `lastTransitionTime` and a reconcile can tell whether anything changed. Entries it
/// does not recognise (another version's condition types) are dropped: the controller
/// owns `status` and rewrites it whole.
enum StatusCodec {
    static func decode(_ status: Value) -> SeldonOperatorStatus {
        let conditions: [Condition] = (status["conditions"].listValue ?? []).compactMap { entry in
            guard let type = entry["type"].stringValue.flatMap(ConditionType.init(rawValue:)),
                let state = entry["status"].stringValue.flatMap(ConditionStatus.init(rawValue:))
            else { return nil }
            return Condition(
                type: type, status: state, reason: entry["reason"].stringValue ?? "",
                message: entry["message"].stringValue ?? "", lastTransitionTime: entry["lastTransitionTime"].stringValue ?? "",
                observedGeneration: entry["observedGeneration"].intValue)
        }
        let components: [ComponentStatus] = (status["components"].listValue ?? []).compactMap { entry in
            guard let name = entry["name"].stringValue,
                let phase = entry["phase"].stringValue.flatMap(ComponentPhase.init(rawValue:))
            else { return nil }
            return ComponentStatus(
                name: name, enabled: entry["enabled"].boolValue ?? false, phase: phase,
                objectsReady: entry["objectsReady"].intValue ?? 0, objectsTotal: entry["objectsTotal"].intValue ?? 0,
                chartVersion: entry["chartVersion"].stringValue, message: entry["message"].stringValue)
        }
        return SeldonOperatorStatus(
            observedGeneration: status["observedGeneration"].intValue, conditions: conditions, components: components)
    }
}
