import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why reading a file failed, in the system's words (`No such file or directory`,
/// `Permission denied`, `Is a directory`): the error messages' last part. Foundation's
/// `localizedDescription` said the same at more length, but lives in Foundation, which the
/// controller does not load.
func readFailureReason(_ error: any Error) -> String {
    let posix = (error as? CocoaError)?.underlying as? POSIXError ?? error as? POSIXError
    guard let code = posix?.code.rawValue else { return String(describing: error) }
    return String(cString: strerror(code))
}
