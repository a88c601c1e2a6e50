import Foundation
import Testing
import Unstructured

@Suite struct ColumnsTests {
    @Test(arguments: [
        ("core", 8, "core    "),
        ("applying", 8, "applying"),
        ("1000/1000", 7, "1000/10"),
        ("", 3, "   "),
        ("x", 0, ""),
    ])
    func cutsOrPadsToExactlyTheWidth(text: String, width: Int, expected: String) {
        #expect(text.fitted(toWidth: width) == expected)
    }

    /// The tables it lays out held Foundation's padding before; for their ASCII text the
    /// two agree at every width.
    @Test func agreesWithFoundationsPaddingOnASCII() {
        for text in ["", "a", "deploy", "waiting", "12/345", "seldon-core-analytics"] {
            for width in 0...24 {
                #expect(text.fitted(toWidth: width) == text.padding(toLength: width, withPad: " ", startingAt: 0),
                        "\(text) at \(width)")
            }
        }
    }
}
