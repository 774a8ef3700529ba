/// Heap settings for the commands that encrypt and upload large files.
///
/// Every 64 KiB chunk passes through a few short-lived buffers of about that size. With
/// glibc's default sliding thresholds, freeing them trims the heap and the next chunk
/// faults its pages in again: measured on a 1 GiB upload, 0.73–1.45 s of system time
/// against 0.48–0.86 s with fixed thresholds (BENCHMARKS.md, media). The CLI process is
/// short-lived, so keeping up to 64 MiB of freed heap costs nothing that lasts. The server
/// does not do this: its memory per connection is measured from RSS.
enum MediaHeapTuning {
    static func apply() {
        #if os(Linux)
        _ = glibcMallopt(trimThreshold, 64 << 20)
        _ = glibcMallopt(mmapThreshold, 32 << 20)
        #endif
    }

    // <malloc.h> is not part of the Glibc module; its values are glibc's stable ABI.
    private static let trimThreshold: Int32 = -1
    private static let mmapThreshold: Int32 = -3
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
