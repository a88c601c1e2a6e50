import CPlatform

/// The process's malloc heap.
public enum Heap {
    /// Hands free heap pages back to the kernel. glibc keeps what a burst of work freed in
    /// its per-thread arenas for reuse, and only ever trims the top of the main one; a
    /// long-running controller that renders every chart on each reconcile and then idles
    /// would otherwise stay at its peak resident size (about 9 of its 16 MB of heap, measured
    /// by `malloc_stats`, were such free pages). Costs a walk over the arenas: call it after
    /// a burst, not on a hot path. Does nothing where the C library has no such call.
    /// Returns whether any pages went back.
    @discardableResult
    public static func releaseFreePages() -> Bool {
        cplatform_release_free_heap() == 1
    }
}
