import Foundation
import Testing

@Suite struct VersionTests {
    @Test func versionFlagPrintsTheVersion() async throws {
        let result = try await CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }
}
