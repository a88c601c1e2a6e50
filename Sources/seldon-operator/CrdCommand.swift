import ArgumentParser
import Stack
import Unstructured

/// `seldon-operator crd`: the SeldonOperator CustomResourceDefinition, for `kubectl apply -f -`.
struct CrdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crd",
        abstract: "Print the SeldonOperator CustomResourceDefinition (the same bytes the operator chart ships)."
    )

    func run() throws {
        print(SeldonOperatorCRD.yaml, terminator: "")
    }
}
