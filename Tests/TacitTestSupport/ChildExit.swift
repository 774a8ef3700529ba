import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Whether the child has ended, asked of the kernel rather than of Foundation.
    ///
    /// Foundation sometimes never reaps a child here (seen with `scripts/postgres`, whose
    /// PostgreSQL outlives it): `isRunning` then stays true for a zombie, and a wait loop
    /// spins forever. `waitid` with `WNOWAIT` looks without reaping, so Foundation may still
    /// collect the status.
    public var hasEnded: Bool {
        guard isRunning else { return true }
        var info = siginfo_t()
        if waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOHANG | WNOWAIT) != 0 {
            return errno == ECHILD  // reaped already, by Foundation
        }
        return info._sifields._sigchld.si_pid == processIdentifier
    }

    /// The exit status, also for a child Foundation has not reaped (128 + signal if killed).
    public var endStatus: Int32 {
        if !isRunning { return terminationStatus }
        var info = siginfo_t()
        guard waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOHANG | WNOWAIT) == 0,
              info._sifields._sigchld.si_pid == processIdentifier
        else {
            // Reaped by Foundation a moment ago: its status lands in a moment too.
            for _ in 0..<400 where isRunning { usleep(5_000) }
            return isRunning ? -1 : terminationStatus
        }
        let status = info._sifields._sigchld.si_status
        return info.si_code == CLD_EXITED ? status : 128 + status
    }
}
