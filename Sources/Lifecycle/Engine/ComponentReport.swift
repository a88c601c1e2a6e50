/// Where one component stands, as `status` prints it and the SeldonOperator's status
/// records it. Phase names are the ones the SeldonOperator CRD's status schema allows.
public struct ComponentReport: Sendable, Equatable {
    public enum Phase: String, Sendable {
        case disabled = "Disabled"
        case pending = "Pending"
        case blocked = "Blocked"
        case installing = "Installing"
        case ready = "Ready"
        case degraded = "Degraded"
        case failed = "Failed"
    }

    public var name: String
    public var enabled: Bool
    public var phase: Phase
    public var ready: Int
    public var total: Int
    public var chartVersion: String?
    /// Why the component is in its phase; for anything not ready, the object it waits on and why.
    public var message: String?

    public init(
        name: String, enabled: Bool, phase: Phase, ready: Int, total: Int, chartVersion: String?, message: String?
    ) {
        self.name = name
        self.enabled = enabled
        self.phase = phase
        self.ready = ready
        self.total = total
        self.chartVersion = chartVersion
        self.message = message
    }
}
