import Synchronization

/// A client-side rate limiter: `burst` requests at once, then `qps` per second. Callers
/// reserve a token and sleep until it is theirs, so waiting tasks are served in order.
///
/// The defaults (200 QPS, burst 400) are high on purpose: client-go's 5 QPS is what makes a
/// 100-object Helm install crawl, and the API server has its own priority and fairness.
public final class TokenBucket: Sendable {
    public let qps: Double
    public let burst: Int
    private let bucket: Mutex<Bucket>

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public init(qps: Double = 200, burst: Int = 400) {
        self.qps = max(qps, 0.001)
        self.burst = max(burst, 1)
        bucket = Mutex(Bucket(tokens: Double(max(burst, 1)), updated: .now))
    }

    /// Waits until the caller may send one request.
    public func acquire() async throws {
        let wait = reserve()
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    /// Takes a token, going into debt if none is left; the debt says how long to wait.
    private func reserve() -> Duration {
        let qps = qps, burst = Double(burst)
        return bucket.withLock { bucket in
            let now = ContinuousClock.now
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated).seconds * qps)
            bucket.updated = now
            bucket.tokens -= 1
            return bucket.tokens >= 0 ? .zero : .seconds(-bucket.tokens / qps)
        }
    }
}
