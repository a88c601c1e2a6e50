import GoTemplate
import Testing

/// Every case Go's text/template was asked about (Reference/cases.txt) prints exactly what Go
/// printed, or fails with exactly Go's error text.
@Suite struct GoReferenceTests {
    @Test(arguments: ReferenceCase.all)
    func matchesGo(_ reference: ReferenceCase) {
        let actual: ReferenceCase.Expected
        do {
            actual = .output(try render(reference.template))
        } catch {
            actual = .error(error.description)
        }
        #expect(actual == reference.expected)
    }

    @Test func coversEnoughOfTheLanguage() {
        #expect(ReferenceCase.all.count > 350)
    }
}
