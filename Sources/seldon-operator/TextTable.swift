import Unstructured

/// The tables `status` and `history` print: every column but the last padded to its widest
/// cell plus two spaces, the last as it is, and no spaces or tabs at either end of a line.
enum TextTable {
    static func lines(_ rows: [[String]]) -> [String] {
        guard let columns = rows.first?.count, columns > 0 else { return [] }
        let widths = (0..<columns - 1).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            let padded = widths.indices.map { row[$0].fitted(toWidth: widths[$0] + 2) }
            return (padded.joined() + row[columns - 1]).trimmingSpaces()
        }
    }
}
