import Testing
import Unstructured
@testable import Helm

/// A small deterministic generator, so a failing input can be reproduced from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state ^ (state >> 33)
    }
}

@Suite struct RandomInputTests {
    /// `--set` strings assembled from the syntax's own characters: every one is either
    /// parsed or refused with an error, never a crash.
    @Test(arguments: 0..<4)
    func strvalsNeverCrashes(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let alphabet = Array("ab0=.,[]{}\\1-\"x: ")
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<24, using: &generator)
            let text = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            for typing in [Strvals.Typing.inferred, .string, .json] {
                _ = try? Strvals.parse(text, typing: typing)
            }
        }
    }

    /// Random bytes, and real archives with random corruption, are refused cleanly.
    @Test func archiveLoaderNeverCrashes() {
        var generator = SeededGenerator(state: 42)
        let valid = ArchiveBuilder.tgz([.file("demo/Chart.yaml", ArchiveLoaderTests.chartYAML), .file("demo/templates/a.yaml", "a: 1")])
        for round in 0..<300 {
            var bytes = valid
            if round % 3 == 0 {
                bytes = (0..<Int.random(in: 0..<512, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                for _ in 0..<Int.random(in: 1..<8, using: &generator) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            _ = try? ArchiveLoader(bytes: bytes, source: "random.tgz").load()
        }
    }
}
