import Stack

/// The conditions a reconcile outcome sets, as a pure function of the outcome, so every
/// branch of the reconciler states its conditions in one place and tests can read them.
///
/// Conventions (kstatus, Kubernetes API conventions): `Ready` summarises; `Reconciling`
/// and `Stalled` are abnormal-true (present and True only while the controller is working
/// or stuck); every condition carries the generation it describes.
struct StatusUpdate {
    var status: SeldonOperatorStatus
    let generation: Int?
    let now: String

    init(_ status: SeldonOperatorStatus, generation: Int?, now: String) {
        self.status = status
        self.generation = generation
        self.now = now
    }

    mutating func set(_ type: ConditionType, _ state: ConditionStatus, _ reason: String, _ message: String) {
        status.conditions.set(Condition(
            type: type, status: state, reason: reason, message: message, lastTransitionTime: now, observedGeneration: generation))
    }

    /// True when `Reconciling` already says this generation is being worked on, so a
    /// retry after a failure does not rewrite it.
    var isReconcilingCurrentGeneration: Bool {
        status.conditions.contains { $0.type == .reconciling && $0.status == .true && $0.observedGeneration == generation }
    }

    /// True when condition `type` says the same (status, reason, message) as in `previous`:
    /// nothing new to announce.
    func repeats(_ type: ConditionType, of previous: SeldonOperatorStatus) -> Bool {
        let now = status.conditions.first { $0.type == type }
        let before = previous.conditions.first { $0.type == type }
        return now?.status == before?.status && now?.reason == before?.reason && now?.message == before?.message
    }

    /// The spec cannot be acted on; only the user can fix it.
    mutating func stalled(reason: String, message: String) {
        set(.stalled, .true, reason, message)
        set(.reconciling, .false, reason, "waiting for the SeldonOperator to change")
        set(.ready, .false, reason, message)
        status.observedGeneration = generation
    }

    /// A new generation is being applied.
    mutating func progressing() {
        set(.reconciling, .true, "Progressing", "applying generation \(generation.map(String.init) ?? "?")")
        set(.stalled, .false, "Progressing", "")
    }

    /// The install failed; it will be retried.
    mutating func failed(_ message: String) {
        set(.reconciling, .true, "RetryingAfterError", message)
        set(.stalled, .false, "RetryingAfterError", "")
        set(.ready, .false, "InstallFailed", message)
    }

    /// The install finished: components say the rest.
    mutating func installed(_ components: [ComponentStatus]) {
        status.components = components
        status.observedGeneration = generation
        let enabled = components.filter(\.enabled)
        let notReady = enabled.filter { $0.phase != .ready }
        let blocked = enabled.filter { $0.phase == .blocked }
        let degraded = enabled.filter { $0.phase == .degraded }
        set(.stalled, .false, "Installed", "")
        if blocked.isEmpty {
            set(.prerequisitesMet, .true, "AllPresent", "every API the enabled components need is served")
        } else {
            set(.prerequisitesMet, .false, "MissingAPIs", blocked.map { "\($0.name): \($0.message ?? "blocked")" }.joined(separator: "; "))
        }
        if degraded.isEmpty {
            set(.degraded, .false, "AllHealthy", "")
        } else {
            set(.degraded, .true, "ComponentsDegraded", degraded.map { "\($0.name): \($0.message ?? "degraded")" }.joined(separator: "; "))
        }
        if notReady.isEmpty {
            set(.reconciling, .false, "Ready", "")
            set(.ready, .true, "Ready", "\(enabled.count)/\(enabled.count) components ready")
        } else {
            set(.reconciling, .true, "WaitingForComponents", notReady.map { "\($0.name) \($0.phase.rawValue)" }.joined(separator: ", "))
            set(.ready, .false, "ComponentsNotReady",
                "\(enabled.count - notReady.count)/\(enabled.count) components ready; not ready: "
                    + notReady.map { "\($0.name) (\($0.phase.rawValue)\($0.message.map { ": \($0)" } ?? ""))" }.joined(separator: ", "))
        }
    }
}
