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
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .target(name: "Unstructured", dependencies: [
            "CYAML",
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        .target(name: "GoTemplate", dependencies: ["Unstructured"]),
        .target(name: "Sandbox", dependencies: [
            "Unstructured",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        .target(name: "Stack", dependencies: [
            "Unstructured", "CArchive",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "seldon-operator", dependencies: [
            "Unstructured", "GoTemplate", "Sandbox", "Stack",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "UnstructuredTests", dependencies: ["Unstructured"], exclude: ["Fixtures"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Unstructured"]),
        .testTarget(name: "StackTests", dependencies: ["Stack", "Unstructured", "CArchive", "Sandbox"]),
        .testTarget(name: "EndToEndTests", dependencies: ["seldon-operator"]),
    ]
)
