import Testing
@testable import Stack

@Suite("Dependency graph")
struct DependencyGraphTests {
    @Test func levelsAreKahnLayers() throws {
        let graph = DependencyGraph(nodes: [1, 2, 3, 4, 5], dependencies: [2: [1], 3: [1], 4: [2, 3], 5: [4]])
        #expect(try graph.levels() == [[1], [2, 3], [4], [5]])
        #expect(try graph.criticalPath() == [1, 2, 4, 5])
    }

    @Test func aCycleIsNamed() {
        let graph = DependencyGraph(nodes: ["a", "b", "c", "d"], dependencies: ["a": ["d"], "b": ["a"], "c": ["b"], "d": ["c"]])
        #expect(throws: DependencyGraph<String>.Cycle.self) { try graph.levels() }
        do {
            _ = try graph.levels()
        } catch {
            #expect(error.path.first == error.path.last)
            #expect(Set(error.path) == ["a", "b", "c", "d"])
            #expect(error.description.hasPrefix("dependency cycle: "))
        }
    }

    @Test func dependenciesOutsideTheGraphAreIgnored() throws {
        let graph = DependencyGraph(nodes: ["deploy", "core"], dependencies: ["deploy": ["core", "catalogue"]])
        #expect(try graph.levels() == [["core"], ["deploy"]])
    }

    @Test func selfLoopIsACycle() {
        #expect(throws: DependencyGraph<Int>.Cycle.self) { try DependencyGraph(nodes: [1], dependencies: [1: [1]]).levels() }
    }
}
