#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Exponential backoff with full jitter. The defaults follow client-go's watcher backoff,
/// which is tuned to be kind to a struggling API server: 0.8 s doubling to 30 s.
public struct ExponentialBackoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    public var multiplier: Double

    public init(initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30), multiplier: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The wait before retry number `attempt` (0-based): a random point in the upper half
    /// of the exponential step, so many clients that failed together do not return together.
    public func delay(attempt: Int) -> Duration {
        let base = initial.seconds * pow(multiplier, Double(min(attempt, 30)))
        let capped = min(base, maximum.seconds)
        return .seconds(capped / 2 + Double.random(in: 0...(capped / 2)))
    }
}

/// Which failures a request is retried for, and how often.
public struct RetryPolicy: Sendable {
    /// Total tries, the first included.
    public var maxAttempts: Int
    public var backoff: ExponentialBackoff
    /// The longest Retry-After honoured; a server asking for more gets the error surfaced.
    public var maxRetryAfter: Duration

    public init(maxAttempts: Int = 5,
                backoff: ExponentialBackoff = .init(initial: .milliseconds(200), maximum: .seconds(10)),
                maxRetryAfter: Duration = .seconds(60)) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.maxRetryAfter = maxRetryAfter
    }

    public static let none = RetryPolicy(maxAttempts: 1)
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
