import Testing
import Unstructured

@testable import Lifecycle

@Suite("Progress printers")
struct ProgressTests {
    let deployment = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "seldon-system", name: "seldon-deploy")

    var waiting: ProgressEvent {
        ProgressEvent(component: "deploy", elapsed: .milliseconds(2300), change: .progress(
            ready: 1, total: 2, waitingOn: NotReady(reference: deployment, status: .inProgress("LessAvailable", "Available: 0/1"))))
    }

    @Test func linePerEvent() {
        #expect(waiting.line == "[   2.3s] deploy: 1/2 ready; waiting on Deployment seldon-system/seldon-deploy: InProgress: LessAvailable: Available: 0/1")
        let done = ProgressEvent(component: nil, elapsed: .seconds(12), change: .finished(succeeded: true, message: "3 components healthy"))
        #expect(done.line == "[  12.0s] done: 3 components healthy")
    }

    @Test func jsonPerEvent() throws {
        let parsed = try JSON.parse(JSON.string(waiting.value))
        #expect(parsed["event"] == "progress")
        #expect(parsed["component"] == "deploy")
        #expect(parsed["ready"] == 1 && parsed["total"] == 2)
        #expect(parsed["waitingOn"]["name"] == "seldon-deploy")
        #expect(parsed["reason"] == "LessAvailable")
        #expect(parsed["elapsedSeconds"] == 2.3)
        let stuck = ProgressEvent(component: nil, elapsed: .seconds(1), change: .stuck(StuckObject(
            reference: ObjectReference(apiVersion: "machinelearning.seldon.io/v1", kind: "SeldonDeployment", namespace: "models", name: "iris"),
            finalizers: ["seldondeployments.machinelearning.seldon.io"])))
        #expect(try JSON.parse(JSON.string(stuck.value))["finalizers"] == ["seldondeployments.machinelearning.seldon.io"])
    }

    @Test func liveViewShowsOneLinePerComponent() {
        var view = LiveView()
        view.apply(ProgressEvent(component: nil, elapsed: .zero, change: .started(operation: "install", revision: 1, components: ["core", "deploy", "routing"])))
        view.apply(ProgressEvent(component: "core", elapsed: .zero, change: .applying(total: 7, changed: 7)))
        view.apply(ProgressEvent(component: "core", elapsed: .seconds(3), change: .ready(total: 7)))
        view.apply(ProgressEvent(component: "deploy", elapsed: .seconds(3), change: .applying(total: 2, changed: 2)))
        view.apply(waiting)
        view.apply(ProgressEvent(component: "routing", elapsed: .zero, change: .blocked(reason: "no Istio")))
        #expect(view.lines(width: 200) == [
            "core     ready     7/7         3s  ",
            "deploy   waiting   1/2         0s  Deployment seldon-system/seldon-deploy LessAvailable: Available: 0/1",
            "routing  blocked   -           0s  no Istio",
            "install…",
        ])
    }
}
