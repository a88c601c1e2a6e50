import Foundation
@testable import seldon_operator
import Testing

/// The CLI's tables, timestamps and file names, which it formats itself since it left
/// Foundation (no padding(toLength:), ISO8601DateFormatter or String(format:) in
/// FoundationEssentials), print exactly what Foundation printed.
@Suite struct OutputFormattingTests {
    @Test func tablesPadAsFoundationPadded() {
        let tables: [[[String]]] = [
            [["COMPONENT", "PHASE", "READY", "CHART", "MESSAGE"], ["core", "ready", "12/12", "1.18.2", ""],
             ["analytics", "progressing", "3/7", "-", "waiting for deployment/seldon-grafana\n(2 of 3 ready)"],
             ["knative", "blocked", "-", "-", "missing API serving.knative.dev/v1 "]],
            [["REVISION", "COMPONENT", "OUTCOME", "CHART", "OBJECTS", "TIME", "MESSAGE"],
             ["12", "core", "installed", "1.18.2", "41", "2026-11-22T05:00:00Z", "\tupgraded\u{00A0}"]],
            [["ONLY"], ["  one column  "]],
        ]
        for rows in tables {
            #expect(TextTable.lines(rows) == Self.foundationTable(rows))
        }
    }

    /// What `status` and `history` printed with Foundation.
    static func foundationTable(_ rows: [[String]]) -> [String] {
        let last = rows[0].count - 1
        let widths = (0..<last).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            ((0..<last).map { row[$0].padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined() + row[last])
                .trimmingCharacters(in: .whitespaces)
        }
    }

    @Test func timestampsAreISO8601FormatterOutput() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0, 1_795_380_831, -86_401, 951_782_400, 4_102_444_799, 253_402_300_799] {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(Date.ISO8601FormatStyle().format(date) == formatter.string(from: date))
        }
    }

    @Test func renderedFileNamesAreNumberedAsBefore() {
        for index in [0, 7, 9, 10, 42, 123] {
            #expect(RenderCommand.fileName(index, "core") == String(format: "%02d-%@.yaml", index, "core"))
        }
    }
}
