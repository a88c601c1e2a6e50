import Testing
import Unstructured
@testable import Stack

/// One row of the table: the five flags, the two switches, and whether the user named the
/// Gateway and the external URL the switches may require.
struct Combination: CustomStringConvertible, Sendable {
    let enabled: Set<Feature>
    let createGateway: Bool
    let useInternal: Bool
    let namesGiven: Bool

    static let all: [Combination] = (0..<32).flatMap { mask in
        let enabled = Set(Feature.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
        return [true, false].flatMap { gateway in [true, false].flatMap { useInternal in [false, true].map { names in
            Combination(enabled: enabled, createGateway: gateway, useInternal: useInternal, namesGiven: names)
        } } }
    }

    var spec: SeldonOperatorSpec {
        SeldonOperatorSpec(enabled: enabled, createGateway: createGateway, useInternalElastic: useInternal,
                           coreValues: namesGiven ? ["istio": ["gateway": "istio-system/seldon-gateway"]] : [:],
                           enterpriseValues: namesGiven ? ["elasticsearch": ["url": "https://es.logs.svc.cluster.local:9200"]] : [:])
    }

    /// The issue's rules, restated independently of the implementation.
    var isValid: Bool {
        if enabled.contains(.detectors), !enabled.contains(.routing) || !enabled.contains(.payloadstore) { return false }
        if enabled.contains(.routing), !createGateway, !namesGiven { return false }
        if enabled.contains(.payloadstore), !useInternal, !namesGiven { return false }
        return true
    }

    /// The issue's dependency table, restated.
    var expectedEdges: Set<String> {
        var edges: Set<String> = ["deploy->core"]
        for feature in [Feature.catalogue, .payloadstore, .analytics] where enabled.contains(feature) {
            edges.insert("deploy->\(feature.rawValue)")
        }
        if enabled.contains(.routing) { edges.insert("routing->core") }
        if enabled.contains(.detectors) { edges.formUnion(["detectors->routing", "detectors->payloadstore"]) }
        return edges
    }

    var expectedLevels: [[ComponentID]] {
        let stores: [(Feature, ComponentID)] = [(.analytics, .analytics), (.catalogue, .catalogue), (.payloadstore, .payloadstore)]
        var levels: [[ComponentID]] = [[.core] + stores.filter { enabled.contains($0.0) }.map(\.1)]
        levels.append([.deploy] + (enabled.contains(.routing) ? [.routing] : []))
        if enabled.contains(.detectors) { levels.append([.detectors]) }
        return levels
    }

    var description: String {
        "\(enabled.sorted().map(\.rawValue)) gateway=\(createGateway) internal=\(useInternal) names=\(namesGiven)"
    }
}

@Suite("All flag combinations")
struct CombinationTests {
    @Test(arguments: Combination.all)
    func validationMatchesTheRules(_ combination: Combination) {
        let issues = SpecValidation.issues(in: combination.spec)
        #expect(issues.isEmpty == combination.isValid, "\(issues)")
        for issue in issues { #expect(issue.fix != nil, "every rule says how to fix it") }
    }

    @Test(arguments: Combination.all.filter(\.isValid))
    func graphEdgesLevelsAndAcyclicity(_ combination: Combination) async throws {
        let plan = try await StackPlanner.plan(SeldonOperatorResource(name: "s", spec: combination.spec))
        #expect(Set(plan.graph.edges.map { "\($0.from)->\($0.to)" }) == combination.expectedEdges)
        #expect(plan.levels == combination.expectedLevels)
        let levelOf = Dictionary(uniqueKeysWithValues: plan.levels.enumerated().flatMap { index, level in level.map { ($0, index) } })
        for edge in plan.graph.edges {
            #expect((levelOf[edge.from] ?? -1) > (levelOf[edge.to] ?? Int.max), "\(edge) goes down the levels")
        }
        #expect(plan.criticalPath.count == combination.expectedLevels.count)
        #expect(Set(plan.installing) == Set(Catalog.components.filter { $0.isEnabled(in: combination.spec) }.map(\.id)))
        #expect(Set(plan.values.keys) == Set(plan.installing))
        for entry in plan.entries where entry.state == .disabled {
            #expect(entry.reason == "spec.enable.\(entry.id.rawValue) is false")
        }
    }
}
