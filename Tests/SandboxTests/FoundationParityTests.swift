import Foundation
import Testing
@testable import Sandbox
import Unstructured

/// What the Sandbox computes itself since it left Foundation (FoundationEssentials has no
/// String(format:) and no CharacterSet) gives exactly what Foundation gave.
@Suite struct FoundationParityTests {
    static let spacedTexts = [
        "", " ", "\t", "plain", "  both ends \t", "\u{00A0}no-break\u{3000}", "\u{2003}em\u{202F}",
        "line\n", "\nline", " \r\n kept \n ", "in\tside stays", "\u{00A0}\t \u{205F}",
    ]

    @Test func trimmingSpacesIsFoundationsWhitespacesTrim() {
        for text in Self.spacedTexts {
            #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
            #expect(text[...].trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func labelSelectorsTrimSpacesAndTabsButNotLineBreaks() throws {
        let labels = ["app": "web", "tier": "front"]
        #expect(try LabelSelector.parse("\tapp =\u{00A0}web , tier in ( front ,back )").matches(labels))
        #expect(try LabelSelector.parse("app\n=web").matches(labels) == false)
    }

    @Test func fixedPointDecimalsArePrintfs() {
        var generator = SystemRandomNumberGenerator()
        let special = [0, -0.0, 0.05, 0.15, 0.25, 0.35, 2.5, 1.005, 2.675, 999.95, 1e-7, 123456789.987654321, 1e21, -3.14159,
                       .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        let random = (0..<2000).map { _ in Double.random(in: -1e6...1e6, using: &generator) }
        for value in special + random {
            for digits in 0...3 {
                #expect(SandboxBenchmark.Report.fixedPoint(value, digits: digits) == String(format: "%.\(digits)f", value))
            }
        }
    }

    @Test func etagsAreTheDigestInUppercaseHex() {
        // SHA-512("abc") from FIPS 180-2, appendix C.1, as String(format: "%02X") printed each byte.
        #expect(Discovery.etag(Array("abc".utf8)) == "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A"
                + "2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F")
    }

    @Test func requestLogAppendsToWhatTheFileHeld() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-log-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("earlier\n".utf8).write(to: URL(fileURLWithPath: path))
        let log = try RequestLog.appending(to: path)
        log.append(RequestRecord(method: "GET", path: "/api", query: "", status: 200, time: "2026-11-22T05:00:00Z"))
        log.append(RequestRecord(method: "PUT", path: "/api/v1/x", query: "a=b", status: 409, fieldManager: "m",
                                 time: "2026-11-22T05:00:01Z", connection: 3))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[0] == "earlier" && lines[3] == "")
        #expect(try BodyCodec.decode(Array(lines[2].utf8)) == log.all[1].value)
        #expect(throws: (any Error).self) { try RequestLog.appending(to: "/nonexistent-folder/log.jsonl") }
    }
}
