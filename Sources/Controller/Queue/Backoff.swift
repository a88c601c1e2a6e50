/// How long a key waits before its next attempt after failing `failures` times in a row.
///
/// The numbers combine the two references this project follows:
/// - client-go's `ItemExponentialFailureRateLimiter`, which controller-runtime uses by
///   default (`workqueue.DefaultTypedControllerRateLimiter`), starts at 5 ms and doubles
///   per failure of the same item. A conflict on a status write is retried almost at once.
/// - Its cap of 1000 s leaves a controller idle for a quarter of an hour after an API
///   server outage; kube-rs's `DefaultBackoff` ("optimize for being kind to struggling
///   apiservers") caps at 30 s with jitter instead, which we take: a recovered server is
///   noticed within half a minute and retries never stop (LESSONS.md #9).
/// - Jitter spreads the retries of many keys that failed together (one API outage) so
///   they do not return in lockstep: each delay is scaled by a factor drawn from
///   `[1 - jitter, 1]`, so the cap is never exceeded.
/// A key's failure count is forgotten on its first success.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    /// The fraction of each delay that is randomised, 0 (none) to 1.
    public var jitter: Double

    public init(initial: Duration = .milliseconds(5), maximum: Duration = .seconds(30), jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before attempt `failures + 1`; `random` is a draw from `[0, 1)`, a
    /// parameter so that tests can pin it.
    public func delay(afterFailures failures: Int, random: Double) -> Duration {
        guard failures > 0 else { return .zero }
        // 2^62 overflows nothing and exceeds any sensible cap.
        let doublings = min(failures - 1, 62)
        let exponential = initial.seconds * Double(UInt64(1) << UInt64(doublings))
        let capped = min(exponential, maximum.seconds)
        let scale = 1 - jitter * min(max(random, 0), 1)
        return .seconds(capped * scale)
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
