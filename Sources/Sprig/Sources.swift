import FoundationEssentials

/// Where the library's randomness comes from. Functions never call a random generator
/// themselves, so a render can be made reproducible by injecting a deterministic source.
public protocol EntropySource: Sendable {
    /// `count` random bytes.
    func randomBytes(count: Int) -> [UInt8]
    /// A random integer in `range` (non-empty).
    func randomInt(in range: Range<Int>) -> Int
    /// `length` random characters drawn from `alphabet` (`randAlphaNum` and friends).
    func randomString(length: Int, from alphabet: RandomAlphabet) -> String
    /// The secret-making operations (keys, certificates, password hashes, encryption)
    /// built on this source's randomness.
    var secrets: any SecretSource { get }
}

/// The character sets of sprig's `rand*` functions.
public enum RandomAlphabet: Sendable, CaseIterable {
    case alphanumeric, letters, numeric, ascii

    public var characters: [Character] {
        let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let lower = Array("abcdefghijklmnopqrstuvwxyz")
        let digits = Array("0123456789")
        switch self {
        case .alphanumeric: return upper + lower + digits
        case .letters: return upper + lower
        case .numeric: return digits
        case .ascii: return (32...126).map { Character(Unicode.Scalar(UInt8($0))) }
        }
    }
}

extension EntropySource {
    /// A random permutation of `elements`: Fisher–Yates, each position swapped with one at
    /// or after it, so a source that always answers the lowest value leaves the order alone.
    func shuffled<Element>(_ elements: [Element]) -> [Element] {
        var result = elements
        for index in result.indices.dropLast() {
            result.swapAt(index, randomInt(in: index..<result.count))
        }
        return result
    }

    /// An RFC 4122 version 4 UUID from 16 random bytes.
    func uuidV4() -> String {
        var bytes = randomBytes(count: 16)
        bytes[6] = (bytes[6] & 0x0f) | 0x40
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = Sprig.hex(bytes)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }
}

/// The operating system's cryptographically secure generator: what production renders use.
public struct SystemEntropy: EntropySource {
    public init() {}

    public func randomBytes(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<max(count, 0)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public func randomInt(in range: Range<Int>) -> Int {
        var generator = SystemRandomNumberGenerator()
        return Int.random(in: range, using: &generator)
    }

    public func randomString(length: Int, from alphabet: RandomAlphabet) -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = alphabet.characters
        return String((0..<max(length, 0)).map { _ in characters.randomElement(using: &generator) ?? " " })
    }

    public var secrets: any SecretSource { X509Secrets(entropy: self) }
}

/// The deterministic stand-ins the chart corpus was rendered with
/// (`../shared/charts-corpus/README.md`): zero bytes, the lowest integer, a constant
/// character per alphabet, and the `stub` secrets of `StandInSecrets`.
public struct StandInEntropy: EntropySource {
    public init() {}

    public func randomBytes(count: Int) -> [UInt8] { [UInt8](repeating: 0, count: max(count, 0)) }

    public func randomInt(in range: Range<Int>) -> Int { range.lowerBound }

    public func randomString(length: Int, from alphabet: RandomAlphabet) -> String {
        String(repeating: alphabet == .numeric ? "1" : "x", count: max(length, 0))
    }

    public var secrets: any SecretSource { StandInSecrets() }
}

/// Where the library's notion of "now" comes from.
public protocol ClockSource: Sendable {
    var now: Date { get }
    /// The zone Go calls `Local`, used by `date`, `htmlDate` and `toDate`.
    var localTimeZone: GoLocation { get }
}

/// The machine's clock and zone.
public struct SystemClock: ClockSource {
    public init() {}
    public var now: Date { Date() }
    public var localTimeZone: GoLocation { GoLocation.systemLocal }
}

/// A clock stopped at one instant, by default the corpus stand-in 2024-01-01T00:00:00Z in UTC.
public struct FixedClock: ClockSource {
    public let now: Date
    public let localTimeZone: GoLocation

    public init(now: Date = Date(timeIntervalSince1970: 1_704_067_200), localTimeZone: GoLocation = .utc) {
        self.now = now
        self.localTimeZone = localTimeZone
    }
}
