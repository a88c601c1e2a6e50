import Testing
@testable import Sandbox
import Unstructured

@Suite struct SmokeTests {
    @Test func versionAnswers() {
        let cluster = Cluster(options: SandboxOptions(), credentials: nil)
        guard case let .full(status, _, body) = cluster.respondNow(to: APIRequest(method: "GET", path: "/version")) else {
            Issue.record("expected a full response")
            return
        }
        #expect(status == 200)
        #expect((try? BodyCodec.decode(body))?["major"] == "1")
    }
}
