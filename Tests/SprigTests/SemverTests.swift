import GoTemplate
import Testing
import Unstructured
@testable import Sprig

@Suite struct SemverTests {
    @Test(arguments: SemverGrid.cases) func semverCompareAgreesWithMasterminds(_ example: SemverCase) {
        let outcome: Result<Value, Error> = Result { try call("semverCompare", .string(example.constraint), .string(example.version)) }
        switch (outcome, example.expected, example.message) {
        case let (.success(value), expected?, _):
            #expect(value == .bool(expected))
        case let (.failure(error as FunctionError), _, message?):
            #expect(error.message == message)
        default:
            Issue.record("unexpected outcome \(outcome) for \(example.testDescription)")
        }
    }

    @Test func semverExposesItsParts() throws {
        let version = try call("semver", "v1.30.2-eks-1+build.5")
        guard case let .object(object) = version else {
            Issue.record("semver returned \(version)")
            return
        }
        #expect(object.typeName == "*semver.Version")
        #expect(object.field("Major") == 1)
        #expect(object.field("Minor") == 30)
        #expect(object.field("Patch") == 2)
        #expect(object.field("Prerelease") == "eks-1")
        #expect(object.field("Metadata") == "build.5")
        #expect(object.field("Original") == "v1.30.2-eks-1+build.5")
        #expect(object.representation == "1.30.2-eks-1+build.5")
        let other = try call("semver", "1.31")
        #expect(try object.method("LessThan")?([other]) == true)
        #expect(try object.method("Compare")?([other]) == -1)
    }

    @Test func semverRejectsMalformedVersions() {
        #expect(failure("semver", "x.y") == "Invalid Semantic Version")
        #expect(failure("semver", "1.2.3.4") == "Invalid Semantic Version")
        #expect(failure("semver", "1.2.3-01") == "Invalid Semantic Version")
    }
}
