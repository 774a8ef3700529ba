#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Pins this process to one CPU, so a generator and a server on a two-core machine do not
/// compete for the same core (`taskset -c 1 tacit bench ...` does the same from outside).
public enum CPUAffinity {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Pins every thread of this process to `cpu`; threads created later inherit it.
    public static func pin(to cpu: Int) throws(Failure) {
        #if os(Linux)
        let bitsPerWord = MemoryLayout<UInt>.size * 8
        guard cpu >= 0, cpu < MemoryLayout<cpu_set_t>.size * 8 else {
            throw Failure(description: "CPU \(cpu) is outside the range this system call accepts")
        }
        var set = cpu_set_t()
        withUnsafeMutableBytes(of: &set) { raw in
            let words = raw.bindMemory(to: UInt.self)
            for i in words.indices { words[i] = 0 }
            words[cpu / bitsPerWord] |= 1 << UInt(cpu % bitsPerWord)
        }
        // sched_setaffinity(0) pins only the calling thread: pin each existing thread.
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let threadIDs = tasks.compactMap { pid_t($0) }
        // Glibc declares sched_setaffinity only under _GNU_SOURCE, which Swift's module does
        // not set; the symbol itself is always there.
        typealias SetAffinity = @convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32
        guard let symbol = dlsym(nil, "sched_setaffinity") else {
            throw Failure(description: "sched_setaffinity is not available")
        }
        let setAffinity = unsafeBitCast(symbol, to: SetAffinity.self)
        for tid in threadIDs.isEmpty ? [0] : threadIDs {
            let status = withUnsafeBytes(of: &set) { bytes in
                bytes.baseAddress.map { setAffinity(tid, MemoryLayout<cpu_set_t>.size, $0) } ?? -1
            }
            if status != 0, tid == 0 || threadIDs.count == 1 {
                throw Failure(description: "sched_setaffinity to CPU \(cpu) failed: \(String(cString: strerror(errno)))")
            }
        }
        #else
        throw Failure(description: "pinning to a CPU needs Linux (sched_setaffinity)")
        #endif
    }
}
