import Foundation
import Testing
import Unstructured
@testable import KubeClient

/// The string code that replaced NSString's path methods and CharacterSet's
/// percent-encoding: the expected values are what Foundation gave, and the
/// comparisons at the end ask Foundation itself.
@Suite("Kubeconfig paths and URL path segments")
struct PathTextTests {
    private func resolve(_ path: String, in file: String) -> String {
        FieldReader(.null, file: file).resolve(path)
    }

    @Test(arguments: [
        ("/home/u/.kube/config", "pki/ca.crt", "/home/u/.kube/pki/ca.crt"),
        ("/home/u/.kube/config", "/etc/ca.crt", "/etc/ca.crt"),
        ("/home/u/.kube/config", "../ca.crt", "/home/u/.kube/../ca.crt"),
        ("/home/u/.kube/config", "", "/home/u/.kube"),
        ("config", "ca.crt", "./ca.crt"),
        ("", "ca.crt", "./ca.crt"),
        ("./config", "ca.crt", "./ca.crt"),
        ("/config", "ca.crt", "/ca.crt"),
        ("///config", "ca.crt", "/ca.crt"),
        ("a//b///config", "x//y/", "a/b/x//y/"),
        ("a/b/", "ca.crt", "a/ca.crt"),
        ("a/./b", "ca.crt", "a/./ca.crt"),
        ("~/kube/config", "ca.crt", "~/kube/ca.crt"),
    ])
    func relativePathsJoinTheKubeconfigFolder(file: String, path: String, expected: String) {
        #expect(resolve(path, in: file) == expected)
    }

    @Test func resolvingAgreesWithNSString() {
        let files = ["/home/u/.kube/config", "config", "/config", "a/b/c", "a/b/", "a//b", "/a//b//c", "./config",
                     "../x/config", "a/./b", "~/x", "///a", "a/..", "/a/b/.", "/a/", "//a/b", "..", "é/ü/config"]
        let paths = ["x", "x/", "x//y", "./x", "../x", "", "a/../b", "~/x", "x/.", "/abs/x"]
        for file in files {
            for path in paths {
                let folder = (file as NSString).deletingLastPathComponent
                let foundation = path.hasPrefix("/") ? path : ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(path)
                #expect(resolve(path, in: file) == foundation, "file \(file), path \(path)")
            }
        }
    }

    @Test(arguments: [
        ("default", "default"),
        ("my-app.v1_2~x", "my-app.v1_2~x"),
        ("a b", "a%20b"),
        ("a/b", "a%2Fb"),
        ("a;b", "a%3Bb"),
        ("a?b#c%d", "a%3Fb%23c%25d"),
        ("!$&'()*+,=:@", "!$&'()*+,=:@"),
        ("\"<>[\\]^`{|}", "%22%3C%3E%5B%5C%5D%5E%60%7B%7C%7D"),
        ("é", "%C3%A9"),
        ("\u{1F600}", "%F0%9F%98%80"),
        ("\r\n\0", "%0D%0A%00"),
    ])
    func pathSegmentsArePercentEncoded(segment: String, expected: String) {
        #expect(PathSegment.escape(segment) == expected)
    }

    @Test func percentEncodingAgreesWithFoundation() {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
        let segments = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
            + ["e\u{301}", "ß", "λ", "日本", "\u{7F}\u{80}\u{FF}", "\u{10FFFF}", "a b/c;d?e"]
        for segment in segments {
            #expect(PathSegment.escape(segment) == segment.addingPercentEncoding(withAllowedCharacters: allowed),
                    "segment \(segment.debugDescription)")
        }
    }

    @Test func objectPathsEscapeNamespaceAndName() {
        let mapping = RESTMapping(gvk: GroupVersionKind(apiVersion: "v1", kind: "ConfigMap"), resource: "configmaps",
                                  namespaced: true, subresources: [])
        #expect(mapping.path(namespace: "a b", name: "x/y", subresource: "status")
                == "/api/v1/namespaces/a%20b/configmaps/x%2Fy/status")
    }
}
