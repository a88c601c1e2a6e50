/// SplitMix64: small, fast and the same sequence for the same seed on every platform,
/// so `--seed` reproduces names and faults exactly.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Five characters from Kubernetes' name-suffix alphabet (no vowels, no ambiguous digits).
    mutating func nameSuffix(length: Int = 5) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
    }

    mutating func chance(_ rate: Double) -> Bool {
        rate > 0 && Double(next() % 1_000_000) / 1_000_000 < rate
    }
}

/// What `--faults` asks for. Rates are probabilities per API request (0...1).
///
/// Syntax: comma-separated `key=value`: `500=0.1`, `503=0.05`, `429=0.1`, `retry-after=2`,
/// `latency=50ms`, `drop=0.02`, `hang=0.02`, `watch-cut=0.5`, `watch-410=0.2`, `crashloop=ns/deploy`,
/// `image-pull=ns/deploy`, `unschedulable=ns/deploy`, `stuck-finalizer=example.com/keep`.
public struct FaultSpec: Sendable, Equatable {
    public var error500 = 0.0
    public var error503 = 0.0
    public var error429 = 0.0
    public var retryAfterSeconds = 1
    public var latencySeconds = 0.0
    public var dropRate = 0.0
    /// Requests accepted and never answered, so the client's own timeout is what ends them.
    public var hangRate = 0.0
    public var watchCutRate = 0.0
    public var watchGoneRate = 0.0
    /// Deployments (namespace/name) whose Pods crash-loop.
    public var crashLooping: Set<String> = []
    /// Deployments (namespace/name) whose images never pull (ImagePullBackOff).
    public var imagePullFailing: Set<String> = []
    /// Deployments (namespace/name) whose Pods are never scheduled.
    public var unschedulable: Set<String> = []
    /// Finalizers added to every new custom resource and never removed.
    public var stuckFinalizers: [String] = []

    public init() {}

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String) throws(ParseError) -> FaultSpec {
        var spec = FaultSpec()
        for item in text.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ParseError(description: "--faults: expected key=value, got '\(item)'") }
            let (key, value) = (parts[0], parts[1])
            func rate() throws(ParseError) -> Double {
                guard let number = Double(value), (0...1).contains(number) else {
                    throw ParseError(description: "--faults: \(key) needs a rate between 0 and 1, got '\(value)'")
                }
                return number
            }
            switch key {
            case "500": spec.error500 = try rate()
            case "503": spec.error503 = try rate()
            case "429": spec.error429 = try rate()
            case "retry-after":
                guard let seconds = Int(value), seconds >= 0 else {
                    throw ParseError(description: "--faults: retry-after needs whole seconds, got '\(value)'")
                }
                spec.retryAfterSeconds = seconds
            case "latency":
                guard let seconds = parseDuration(value) else {
                    throw ParseError(description: "--faults: latency needs a duration like 50ms or 1s, got '\(value)'")
                }
                spec.latencySeconds = seconds
            case "drop": spec.dropRate = try rate()
            case "hang": spec.hangRate = try rate()
            case "watch-cut": spec.watchCutRate = try rate()
            case "watch-410": spec.watchGoneRate = try rate()
            case "crashloop": spec.crashLooping.insert(value)
            case "unschedulable": spec.unschedulable.insert(value)
            case "image-pull": spec.imagePullFailing.insert(value)
            case "stuck-finalizer": spec.stuckFinalizers.append(value)
            default:
                throw ParseError(description: "--faults: unknown fault '\(key)' (known: 500, 503, 429, retry-after, latency, drop, hang, watch-cut, watch-410, crashloop, image-pull, unschedulable, stuck-finalizer)")
            }
        }
        return spec
    }
}

/// `250ms`, `2s`, `1.5s`, `1m`, or bare seconds.
public func parseDuration(_ text: String) -> Double? {
    if text.hasSuffix("ms"), let n = Double(text.dropLast(2)) { return n / 1000 }
    if text.hasSuffix("s"), let n = Double(text.dropLast()) { return n }
    if text.hasSuffix("m"), let n = Double(text.dropLast()) { return n * 60 }
    return Double(text)
}

/// The outcome of rolling the dice for one request.
enum InjectedFault: Equatable {
    case none
    case drop
    case hang
    case status(Int)
}
