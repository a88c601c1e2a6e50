// swift-tools-version: 6.0
// The seldon-operator package: one executable over a stack of single-purpose modules.
// Arrows point down the module table of docs/architecture.md; a module never imports one above it.
import PackageDescription

let package = Package(
    name: "seldon-operator",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "seldon-operator", targets: ["seldon-operator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .target(name: "Unstructured", dependencies: [
            "CYAML",
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        .target(name: "GoTemplate", dependencies: ["Unstructured"]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .target(name: "KubeClient", dependencies: [
            "Unstructured", "CCurlShim",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "seldon-operator", dependencies: [
            "Unstructured", "GoTemplate",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "UnstructuredTests", dependencies: ["Unstructured"]),
        .testTarget(name: "EndToEndTests", dependencies: ["seldon-operator"]),
        .testTarget(name: "KubeClientTests", dependencies: [
            "KubeClient",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Fixtures"]),
    ]
)
