import Foundation
import Testing
import Unstructured
@testable import Stack

@Suite("SeldonOperator CRD")
struct CRDTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func operatorChartShipsExactlyWhatTheCommandPrints() throws {
        let shipped = try String(contentsOf: Self.packageRoot.appendingPathComponent("charts/seldon-operator/crds/seldonoperators.operator.seldon.io.yaml"), encoding: .utf8)
        #expect(shipped == SeldonOperatorCRD.yaml, "regenerate with: seldon-operator crd > charts/seldon-operator/crds/seldonoperators.operator.seldon.io.yaml")
    }

    @Test func manifestParsesBackAndPublishesTheSchema() throws {
        let parsed = try YAML.parse(SeldonOperatorCRD.yaml)
        #expect(parsed == SeldonOperatorCRD.manifest)
        let version = parsed[path: ["spec", "versions"]][0]
        #expect(version["subresources"] == ["status": [:]])
        #expect(version["additionalPrinterColumns"].listValue?.map { $0["name"] } == ["Ready", "Components", "Age"])
        let spec = version[path: ["schema", "openAPIV3Schema", "properties", "spec"]]
        #expect(spec[path: ["properties", "enable", "properties", "routing", "type"]] == "boolean")
        #expect(spec[path: ["properties", "enable", "properties", "routing", "default"]] == false)
        #expect(spec[path: ["properties", "routing", "properties", "create_gateway", "default"]] == true)
        #expect(spec[path: ["properties", "core", "properties", "values", "x-kubernetes-preserve-unknown-fields"]] == true)
        #expect(spec[path: ["properties", "enable", "x-kubernetes-preserve-unknown-fields"]] == .null, "closed objects prune and reject unknown fields")
    }
}
