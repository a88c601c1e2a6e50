/// A directed graph of "must come after" edges, small enough that clarity beats cleverness.
/// Levels are Kahn's algorithm run a layer at a time: level 0 needs nothing, level n needs
/// only nodes of earlier levels, so everything in one level can be installed in parallel.
public struct DependencyGraph<Node: Hashable & Comparable & Sendable>: Sendable {
    public let nodes: [Node]
    /// node → the nodes it depends on.
    public let dependencies: [Node: [Node]]

    public init(nodes: [Node], dependencies: [Node: [Node]]) {
        self.nodes = nodes.sorted()
        self.dependencies = dependencies.mapValues { $0.sorted() }
    }

    /// Every edge as (dependent, dependency), sorted.
    public var edges: [(from: Node, to: Node)] {
        nodes.flatMap { node in (dependencies[node] ?? []).map { (from: node, to: $0) } }
    }

    public struct Cycle: Error, Sendable, CustomStringConvertible {
        /// The nodes of one cycle, the first repeated at the end.
        public let path: [Node]
        public var description: String { "dependency cycle: " + path.map { "\($0)" }.joined(separator: " → ") }
    }

    /// The install levels, each sorted; throws the first cycle found.
    public func levels() throws(Cycle) -> [[Node]] {
        var remaining = Dictionary(uniqueKeysWithValues: nodes.map { ($0, Set(dependencies[$0] ?? []).intersection(nodes)) })
        var levels: [[Node]] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.value.isEmpty }.keys.sorted()
            guard !ready.isEmpty else { throw cycle(among: Set(remaining.keys)) }
            levels.append(ready)
            for node in ready { remaining[node] = nil }
            for key in remaining.keys { remaining[key]?.subtract(ready) }
        }
        return levels
    }

    /// The longest chain of dependencies, from a node that needs nothing to the last node
    /// installed: the part of an install no parallelism can shorten.
    public func criticalPath() throws(Cycle) -> [Node] {
        var longest: [Node: [Node]] = [:]
        for level in try levels() {
            for node in level {
                let before = (dependencies[node] ?? []).compactMap { longest[$0] }.max { $0.count < $1.count } ?? []
                longest[node] = before + [node]
            }
        }
        return nodes.compactMap { longest[$0] }.max { $0.count < $1.count } ?? []
    }

    /// A cycle among `stuck` (nodes Kahn could not place; each has a dependency in the set).
    private func cycle(among stuck: Set<Node>) -> Cycle {
        guard var current = stuck.min() else { return Cycle(path: []) }
        var seen: [Node] = []
        while !seen.contains(current) {
            seen.append(current)
            guard let next = (dependencies[current] ?? []).first(where: stuck.contains) else { break }
            current = next
        }
        let start = seen.firstIndex(of: current) ?? 0
        return Cycle(path: Array(seen[start...]) + [current])
    }
}
