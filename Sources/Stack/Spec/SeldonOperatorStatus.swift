import Unstructured

/// The condition types a SeldonOperator reports. `Ready` is the summary; `Reconciling` and
/// `Stalled` are the kstatus abnormal-true conditions tools such as `kubectl wait` and Flux
/// understand; `PrerequisitesMet` names missing cluster APIs; `Degraded` a component that
/// was ready and no longer is.
public enum ConditionType: String, CaseIterable, Sendable {
    case ready = "Ready"
    case reconciling = "Reconciling"
    case stalled = "Stalled"
    case prerequisitesMet = "PrerequisitesMet"
    case degraded = "Degraded"
}

public enum ConditionStatus: String, CaseIterable, Sendable {
    case `true` = "True", `false` = "False", unknown = "Unknown"
}

/// A condition as `metav1.Condition` defines it.
public struct Condition: Equatable, Sendable {
    public var type: ConditionType
    public var status: ConditionStatus
    /// CamelCase, machine-readable.
    public var reason: String
    public var message: String
    /// RFC 3339; changes only when `status` changes.
    public var lastTransitionTime: String
    public var observedGeneration: Int?

    public init(type: ConditionType, status: ConditionStatus, reason: String, message: String,
                lastTransitionTime: String, observedGeneration: Int? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.observedGeneration = observedGeneration
    }

    public var value: Value {
        var map: Value.Map = [
            "type": .string(type.rawValue), "status": .string(status.rawValue),
            "reason": .string(reason), "message": .string(message),
            "lastTransitionTime": .string(lastTransitionTime),
        ]
        if let observedGeneration { map["observedGeneration"] = .int(observedGeneration) }
        return .map(map)
    }
}

extension [Condition] {
    /// Sets `condition`, keeping the existing `lastTransitionTime` when the status did not
    /// change: the convention that makes the time mean "since when".
    public mutating func set(_ condition: Condition) {
        guard let index = firstIndex(where: { $0.type == condition.type }) else {
            append(condition)
            return
        }
        var updated = condition
        if self[index].status == condition.status {
            updated.lastTransitionTime = self[index].lastTransitionTime
        }
        self[index] = updated
    }
}

/// Where one component of the stack stands.
public enum ComponentPhase: String, CaseIterable, Sendable {
    /// Not switched on in the spec.
    case disabled = "Disabled"
    /// Switched on, waiting for the components it depends on.
    case pending = "Pending"
    /// Switched on, but the cluster lacks an API it needs (or a dependency is blocked).
    case blocked = "Blocked"
    case installing = "Installing"
    case ready = "Ready"
    /// Was ready, at least one object no longer is.
    case degraded = "Degraded"
    case failed = "Failed"
}

public struct ComponentStatus: Equatable, Sendable {
    public var name: String
    public var enabled: Bool
    public var phase: ComponentPhase
    public var objectsReady: Int
    public var objectsTotal: Int
    public var chartVersion: String?
    public var message: String?

    public init(name: String, enabled: Bool, phase: ComponentPhase, objectsReady: Int = 0, objectsTotal: Int = 0,
                chartVersion: String? = nil, message: String? = nil) {
        self.name = name
        self.enabled = enabled
        self.phase = phase
        self.objectsReady = objectsReady
        self.objectsTotal = objectsTotal
        self.chartVersion = chartVersion
        self.message = message
    }

    public var value: Value {
        var map: Value.Map = [
            "name": .string(name), "enabled": .bool(enabled), "phase": .string(phase.rawValue),
            "objectsReady": .int(objectsReady), "objectsTotal": .int(objectsTotal),
        ]
        if let chartVersion { map["chartVersion"] = .string(chartVersion) }
        if let message { map["message"] = .string(message) }
        return .map(map)
    }
}

public struct SeldonOperatorStatus: Equatable, Sendable {
    public var observedGeneration: Int?
    public var conditions: [Condition]
    public var components: [ComponentStatus]

    public init(observedGeneration: Int? = nil, conditions: [Condition] = [], components: [ComponentStatus] = []) {
        self.observedGeneration = observedGeneration
        self.conditions = conditions
        self.components = components
    }

    /// "ready/enabled", the printer column `kubectl get seldonoperators` shows.
    public var readyComponents: String {
        let enabled = components.filter(\.enabled)
        return "\(enabled.filter { $0.phase == .ready }.count)/\(enabled.count)"
    }

    public var value: Value {
        var map: Value.Map = [:]
        if let observedGeneration { map["observedGeneration"] = .int(observedGeneration) }
        map["conditions"] = .list(conditions.map(\.value))
        map["components"] = .list(components.map(\.value))
        map["readyComponents"] = .string(readyComponents)
        return .map(map)
    }

    /// The schema of `status`, published in the CRD.
    public static let schema = Schema.object("Observed state, written by the operator.", defaultEmpty: false, [
        .init("observedGeneration", .integer("The metadata.generation the status describes.", minimum: 0)),
        .init("readyComponents", .string("Ready components over enabled components, e.g. 3/4.")),
        .init("conditions", .list("Ready, Reconciling, Stalled, PrerequisitesMet and Degraded, per Kubernetes condition conventions.",
            of: .object("A metav1.Condition.", required: ["type", "status", "lastTransitionTime", "reason", "message"], defaultEmpty: false, [
                .init("type", .string("Condition type.", allowed: ConditionType.allCases.map(\.rawValue))),
                .init("status", .string("True, False or Unknown.", allowed: ConditionStatus.allCases.map(\.rawValue))),
                .init("reason", .string("Machine-readable CamelCase reason.")),
                .init("message", .string("Human-readable detail.")),
                .init("lastTransitionTime", .string("When status last changed.", format: "date-time")),
                .init("observedGeneration", .integer("The metadata.generation the condition was set for.", minimum: 0)),
            ]), mapKeys: ["type"])),
        .init("components", .list("One entry per component of the stack.",
            of: .object("A component's state.", required: ["name", "enabled", "phase"], defaultEmpty: false, [
                .init("name", .string("Component name.")),
                .init("enabled", .boolean("Whether the spec switches it on.", default: false)),
                .init("phase", .string("Where the component stands.", allowed: ComponentPhase.allCases.map(\.rawValue))),
                .init("objectsReady", .integer("Objects of the component that are ready.", minimum: 0)),
                .init("objectsTotal", .integer("Objects the component's chart renders.", minimum: 0)),
                .init("chartVersion", .string("Version of the chart installed.")),
                .init("message", .string("Why the component is in its phase.")),
            ]), mapKeys: ["name"])),
    ])
}
