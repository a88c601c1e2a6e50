// swift-tools-version: 6.0
// The seldon-operator package: one executable over a stack of single-purpose modules.
// Arrows point down the module table of docs/architecture.md; a module never imports one above it.
import PackageDescription

let package = Package(
    name: "seldon-operator",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "seldon-operator", targets: ["seldon-operator"]),
        .executable(name: "seldon-bench", targets: ["Benchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // POSIX threads, child processes and standard streams, so no module needs Foundation's.
        .target(name: "CPlatform"),
        .target(name: "Platform", dependencies: ["CPlatform"]),
        .target(name: "Unstructured", dependencies: [
            "CYAML",
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        .target(name: "GoTemplate", dependencies: ["Unstructured"]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .target(name: "KubeClient", dependencies: [
            "Unstructured", "CCurlShim", "Platform",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Sprig", dependencies: [
            "Unstructured", "GoTemplate",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
        ]),
        .target(name: "Helm", dependencies: [
            "Unstructured", "GoTemplate", "Sprig", "CArchive", "Platform",
            .product(name: "OrderedCollections", package: "swift-collections"),
        ]),
        .target(name: "Lifecycle", dependencies: [
            "Unstructured",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Sandbox", dependencies: [
            "Unstructured", "CArchive", "Platform",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        .target(name: "Stack", dependencies: [
            "Unstructured", "Helm", "CArchive",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Controller", dependencies: [
            "Unstructured", "Lifecycle", "Stack", "Platform",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "seldon-operator", dependencies: [
            "Unstructured", "GoTemplate", "Sprig", "Helm", "Sandbox", "Stack", "KubeClient", "Lifecycle", "Controller", "Platform",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "Benchmarks", dependencies: [
            "Unstructured", "GoTemplate", "Sprig", "Helm", "KubeClient", "Sandbox", "Stack",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "PlatformTests", dependencies: ["Platform"]),
        .testTarget(name: "UnstructuredTests", dependencies: ["Unstructured"], exclude: ["Fixtures"]),
        .testTarget(name: "SprigTests", dependencies: ["Sprig", "GoTemplate", "Unstructured"]),
        // The in-memory Cluster that the engine's and the controller's tests share.
        .target(name: "LifecycleTesting", dependencies: ["Lifecycle", "Unstructured"], path: "Tests/LifecycleTesting"),
        // Awaiting child processes without blocking the cooperative pool the tests share.
        .target(name: "ProcessTesting", path: "Tests/ProcessTesting"),
        .testTarget(name: "LifecycleTests", dependencies: ["Lifecycle", "LifecycleTesting", "Unstructured"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Unstructured", "ProcessTesting"]),
        .testTarget(name: "GoTemplateTests", dependencies: ["GoTemplate", "Unstructured"], exclude: ["Reference"]),
        .testTarget(name: "HelmTests", dependencies: ["Helm", "Sprig", "GoTemplate", "Unstructured", "CArchive"]),
        .testTarget(name: "StackTests", dependencies: ["Stack", "Helm", "Sprig", "GoTemplate", "Unstructured", "CArchive", "Sandbox", "ProcessTesting"]),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "Lifecycle", "LifecycleTesting", "Stack", "Unstructured"]),
        .testTarget(name: "EndToEndTests", dependencies: ["seldon-operator", "ProcessTesting"]),
        .testTarget(name: "KubeClientTests", dependencies: [
            "KubeClient", "Sandbox", "Unstructured", "ProcessTesting",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Fixtures"]),
    ]
)
