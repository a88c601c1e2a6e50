import Foundation

/// A client-side rate limiter: `burst` requests at once, then `qps` per second. Callers
/// reserve a token and sleep until it is theirs, so waiting tasks are served in order.
///
/// The defaults (200 QPS, burst 400) are high on purpose: client-go's 5 QPS is what makes a
/// 100-object Helm install crawl, and the API server has its own priority and fairness.
public final class TokenBucket: Sendable {
    public let qps: Double
    public let burst: Int
    private let state: LockedState

    public init(qps: Double = 200, burst: Int = 400) {
        self.qps = max(qps, 0.001)
        self.burst = max(burst, 1)
        state = LockedState(tokens: Double(max(burst, 1)), updated: .now)
    }

    /// Waits until the caller may send one request.
    public func acquire() async throws {
        let wait = state.reserve(qps: qps, burst: Double(burst))
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    private final class LockedState: @unchecked Sendable {
        private let lock = NSLock()
        private var tokens: Double
        private var updated: ContinuousClock.Instant

        init(tokens: Double, updated: ContinuousClock.Instant) {
            self.tokens = tokens
            self.updated = updated
        }

        /// Takes a token, going into debt if none is left; the debt says how long to wait.
        func reserve(qps: Double, burst: Double) -> Duration {
            lock.withLock {
                let now = ContinuousClock.now
                tokens = min(burst, tokens + (now - updated).seconds * qps)
                updated = now
                tokens -= 1
                return tokens >= 0 ? .zero : .seconds(-tokens / qps)
            }
        }
    }
}
