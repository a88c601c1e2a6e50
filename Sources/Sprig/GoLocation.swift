import FoundationEssentials

/// A Go `*time.Location`: the zones a place has used and when it switched between them,
/// read from the IANA tzdata files the way Go's time package reads them, so a template
/// prints the same offsets and abbreviations as Helm does without ICU's zone database.
public struct GoLocation: Sendable {
    /// One of the location's local time types: `EST` at -18000 s, not daylight saving.
    struct Zone: Sendable, Equatable {
        var name: String
        var offset: Int
        var isDST: Bool
    }

    /// What is in effect at an instant, and the span `start..<end` (Unix seconds) over
    /// which it stays so; Go's `Date` uses the span to settle local times near a change.
    struct Period: Equatable {
        var zone: Zone
        var start: Int
        var end: Int
    }

    /// Go's name for the location: `UTC`, `Local`, `America/New_York`, or "" for a fixed zone.
    public let name: String
    let zones: [Zone]
    /// Transition instants (Unix seconds) with the index of the zone that starts there.
    let transitions: [(start: Int, zone: Int)]
    /// The POSIX TZ rule a version 2+ file ends with, for instants after its last transition.
    let rule: PosixZoneRule?

    /// Go's `alpha` and `omega`: the ends of time for spans without a transition.
    static let beginningOfTime = Int.min, endOfTime = Int.max

    init(name: String, zones: [Zone], transitions: [(start: Int, zone: Int)], rule: PosixZoneRule?) {
        self.name = name
        self.zones = zones
        self.transitions = transitions
        self.rule = rule
    }

    /// `time.UTC`.
    public static let utc = GoLocation(name: "UTC", zones: [], transitions: [], rule: nil)

    /// `time.FixedZone(name, offset)`: one zone for all time, as a parsed offset makes.
    static func fixed(name: String, offset: Int) -> GoLocation {
        GoLocation(name: name, zones: [Zone(name: name, offset: offset, isDST: false)],
                   transitions: [(beginningOfTime, 0)], rule: nil)
    }

    /// The zone in effect at `seconds` since the Unix epoch (Go's `Location.lookup`).
    func period(at seconds: Int) -> Period {
        guard !zones.isEmpty else {
            return Period(zone: Zone(name: "UTC", offset: 0, isDST: false), start: Self.beginningOfTime, end: Self.endOfTime)
        }
        guard let first = transitions.first, seconds >= first.start else {
            return Period(zone: zones[firstZoneIndex], start: Self.beginningOfTime, end: transitions.first?.start ?? Self.endOfTime)
        }
        // The last transition at or before `seconds`.
        var low = 0, high = transitions.count
        var end = Self.endOfTime
        while high - low > 1 {
            let middle = (low + high) / 2
            if seconds < transitions[middle].start {
                end = transitions[middle].start
                high = middle
            } else {
                low = middle
            }
        }
        let start = transitions[low].start
        if low == transitions.count - 1, let rule { return rule.period(at: seconds, lastTransition: start) }
        return Period(zone: zones[transitions[low].zone], start: start, end: end)
    }

    /// The zone for instants before the first transition, chosen as tzcode (and Go's
    /// `lookupFirstZone`) chooses it: the first zone if no transition uses it, else the
    /// standard-time zone nearest before the first transition's daylight zone, else the
    /// first standard-time zone.
    private var firstZoneIndex: Int {
        guard transitions.contains(where: { $0.zone == 0 }) else { return 0 }
        if let first = transitions.first, zones[first.zone].isDST,
           let standard = zones[..<first.zone].lastIndex(where: { !$0.isDST }) {
            return standard
        }
        return zones.firstIndex { !$0.isDST } ?? 0
    }

    /// Go's `Location.lookupName`: the offset a zone abbreviation (`EST`) has here, preferring
    /// a zone of that name actually in effect around `seconds`.
    func offset(named abbreviation: String, near seconds: Int) -> Int? {
        let named = zones.filter { $0.name == abbreviation }
        if let inEffect = named.first(where: { period(at: seconds - $0.offset).zone.name == abbreviation }) {
            return period(at: seconds - inEffect.offset).zone.offset
        }
        return named.first?.offset
    }

    /// Go's `Date` in this location: the instant a wall-clock time (as seconds since the
    /// epoch as if it were UTC) names, taking the offset in effect after any change it
    /// falls into or repeats across, as Go does.
    func instant(ofLocalSeconds local: Int) -> Int {
        let guess = period(at: local)
        guard guess.zone.offset != 0 else { return local }
        let utc = local - guess.zone.offset
        if utc < guess.start || utc >= guess.end { return local - period(at: utc).zone.offset }
        return utc
    }
}

extension GoLocation {
    /// Where Go looks for zone files on Unix (`platformZoneSources`).
    static let zoneDirectories = ["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo/"]

    /// `time.LoadLocation(name)`: "" and `UTC` are UTC, `Local` is `local`, anything else a
    /// zone file; nil for a name that climbs out of the zone directories (contains `..` or
    /// starts with a slash, which Go refuses) or that no directory holds.
    static func load(_ name: String, local: GoLocation) -> GoLocation? {
        switch name {
        case "", "UTC": return .utc
        case "Local": return local
        default:
            guard !name.contains(".."), !name.hasPrefix("/"), !name.hasPrefix("\\") else { return nil }
            return load(name, from: zoneDirectories)
        }
    }

    /// The first readable, well-formed `directory + name` among `directories`.
    private static func load(_ name: String, from directories: [String], as locationName: String? = nil) -> GoLocation? {
        for directory in directories {
            if let data = FileManager.default.contents(atPath: directory + name),
               let location = GoLocation(tzif: [UInt8](data), name: locationName ?? name) {
                return location
            }
        }
        return nil
    }

    /// Go's `Local`, as its `initLocal` decides it from the TZ environment variable
    /// (`tz`): unset means /etc/localtime, empty means UTC, `:` is ignored, an absolute path
    /// is a zone file, anything else a zone name; whatever fails to load is UTC.
    static func local(tz: String?) -> GoLocation {
        guard var tz else { return load("localtime", from: ["/etc/"], as: "Local") ?? .utc }
        if tz.hasPrefix(":") { tz.removeFirst() }
        if tz.hasPrefix("/") {
            return load(tz, from: [""], as: tz == "/etc/localtime" ? "Local" : tz) ?? .utc
        }
        guard !tz.isEmpty, tz != "UTC" else { return .utc }
        return load(tz, from: zoneDirectories) ?? .utc
    }

    /// The machine's `Local`, read once as Go reads it once.
    public static let systemLocal = local(tz: ProcessInfo.processInfo.environment["TZ"])
}

extension GoLocation {
    /// Reads a TZif file (RFC 8536) as Go's `LoadLocationFromTZData` does: the 64-bit data
    /// of a version 2 or 3 file (the 32-bit block only for version 1), and the footer's TZ
    /// rule; nil for anything malformed.
    init?(tzif bytes: [UInt8], name: String) {
        var reader = ByteReader(bytes: bytes)
        guard reader.read(4).map(Array.init) == Array("TZif".utf8), let header = reader.read(16),
              let version = [0: 1, UInt8(ascii: "2"): 2, UInt8(ascii: "3"): 3][header[header.startIndex]],
              var counts = reader.counts()
        else { return nil }
        if version > 1 {
            reader.skip(counts.dataSize(timeSize: 4) + 20)
            guard let longCounts = reader.counts() else { return nil }
            counts = longCounts
        }
        let timeSize = version > 1 ? 8 : 4
        guard let times = reader.read(counts.transitions * timeSize), let indices = reader.read(counts.transitions),
              let zoneData = reader.read(counts.zones * 6), let abbreviations = reader.read(counts.abbreviationBytes),
              reader.read(counts.leapSeconds * (timeSize + 4) + counts.standardIndicators + counts.utcIndicators) != nil,
              counts.zones > 0
        else { return nil }
        let footer = reader.rest
        let rule = footer.count > 2 && footer.first == 10 && footer.last == 10
            ? PosixZoneRule(String(decoding: footer.dropFirst().dropLast(), as: UTF8.self)) : nil

        var zones: [Zone] = []
        for index in 0..<counts.zones {
            let entry = zoneData.dropFirst(6 * index)
            let nameStart = Int(entry[entry.startIndex + 5])
            guard nameStart < abbreviations.count else { return nil }
            let nameBytes = abbreviations.dropFirst(nameStart).prefix { $0 != 0 }
            zones.append(Zone(name: String(decoding: nameBytes, as: UTF8.self),
                              offset: Int(Int32(bitPattern: UInt32(ByteReader.bigEndian(entry.prefix(4))))),
                              isDST: entry[entry.startIndex + 4] != 0))
        }
        var transitions: [(start: Int, zone: Int)] = []
        for index in 0..<counts.transitions {
            let raw = ByteReader.bigEndian(times.dropFirst(index * timeSize).prefix(timeSize))
            let start = timeSize == 8 ? Int(Int64(bitPattern: raw)) : Int(Int32(truncatingIfNeeded: raw))
            let zone = Int(indices[indices.startIndex + index])
            guard zone < zones.count else { return nil }
            transitions.append((start, zone))
        }
        // A file without transitions (Etc/GMT+5) has its first zone for all time.
        if transitions.isEmpty { transitions = [(Self.beginningOfTime, 0)] }
        self.init(name: name, zones: zones, transitions: transitions, rule: rule)
    }
}

/// Reads a TZif file front to back; running out of bytes is a malformed file.
private struct ByteReader {
    /// The six counts of a TZif header.
    struct Counts {
        var utcIndicators, standardIndicators, leapSeconds, transitions, zones, abbreviationBytes: Int

        func dataSize(timeSize: Int) -> Int {
            transitions * (timeSize + 1) + zones * 6 + abbreviationBytes + leapSeconds * (timeSize + 4)
                + standardIndicators + utcIndicators
        }
    }

    let bytes: [UInt8]
    var position = 0

    mutating func read(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, count <= bytes.count - position else { return nil }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func skip(_ count: Int) { position = min(position + count, bytes.count) }

    var rest: ArraySlice<UInt8> { bytes[position...] }

    mutating func counts() -> Counts? {
        var values: [Int] = []
        for _ in 0..<6 {
            guard let field = read(4) else { return nil }
            values.append(Int(Self.bigEndian(field)))
        }
        return Counts(utcIndicators: values[0], standardIndicators: values[1], leapSeconds: values[2],
                      transitions: values[3], zones: values[4], abbreviationBytes: values[5])
    }

    static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
