import Platform
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct StandardStreamTests {
    static let marker = "standard-stream-test "

    /// Lines written from several threads at once, more of them than a pipe holds, each
    /// reach standard output whole: one `write(2)` per line, so no line is cut by another
    /// and none is lost. (Swift Testing reports on standard error, so capturing standard
    /// output takes nothing from its report.)
    @Test func linesFromConcurrentThreadsReachStandardOutputWhole() async throws {
        let threads = 8, linesPerThread = 200
        let expected = (0..<threads).map { thread in
            (0..<linesPerThread).map { "\(Self.marker)\(thread)/\($0) ✓ " + String(repeating: "·", count: 40) }
        }
        let captured = try await StandardOutputCapture.run {
            await withTaskGroup(of: Void.self) { group in
                for lines in expected {
                    group.addTask {
                        await withCheckedContinuation { continuation in
                            DetachedThread.start {
                                for line in lines { StandardStream.output.write(line + "\n") }
                                continuation.resume()
                            }
                        }
                    }
                }
            }
        }
        let lines = captured.split(separator: "\n").map(String.init)
        let ours = lines.filter { $0.hasPrefix(Self.marker) }
        // Whatever else reached standard output meanwhile goes on to where it was headed.
        for other in lines where !other.hasPrefix(Self.marker) { StandardStream.output.write(other + "\n") }
        #expect(ours.count == threads * linesPerThread)
        #expect(Set(ours) == Set(expected.joined()))
    }
}

/// Standard output redirected into a pipe for the length of one closure.
enum StandardOutputCapture {
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    /// Runs `body` with descriptor 1 writing into a pipe that a thread drains (so writers
    /// never block on a full pipe), then puts descriptor 1 back and returns what arrived.
    static func run(_ body: () async -> Void) async throws -> String {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw Failure(call: "pipe", code: errno) }
        let (reading, writing) = (ends[0], ends[1])
        defer { close(reading) }
        let saved = dup(STDOUT_FILENO)
        guard saved >= 0 else {
            close(writing)
            throw Failure(call: "dup", code: errno)
        }
        guard dup2(writing, STDOUT_FILENO) >= 0 else {
            close(writing)
            close(saved)
            throw Failure(call: "dup2", code: errno)
        }
        close(writing)
        async let bytes = drain(reading)
        await body()
        // Putting descriptor 1 back closes the pipe's last writing end: the drain ends.
        dup2(saved, STDOUT_FILENO)
        close(saved)
        return String(decoding: await bytes, as: UTF8.self)
    }

    /// Everything read from `descriptor` until its end, on a thread of its own.
    private static func drain(_ descriptor: Int32) async -> [UInt8] {
        await withCheckedContinuation { continuation in
            DetachedThread.start(name: "capture-drain") {
                var bytes: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count > 0 {
                        bytes += buffer[..<count]
                    } else if count < 0 && errno == EINTR {
                        continue
                    } else {
                        break
                    }
                }
                continuation.resume(returning: bytes)
            }
        }
    }
}
