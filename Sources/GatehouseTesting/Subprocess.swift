import Foundation

/// Runs a program to completion without blocking the caller's thread, for test harnesses.
///
/// Not Foundation's `Process`: on Linux it learns that a child ended when every holder of a socket
/// the child inherited has closed it, so `pg_ctl start`, whose server daemon inherits that socket,
/// never "ends". Here the child is spawned with every descriptor above stderr closed, and reaped
/// with `waitpid` on a thread of its own.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `executable` with stdin from /dev/null and returns its combined output; throws when it
    /// exits non-zero. Output goes to a file, not a pipe, so no amount of it can block the child.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) async throws -> String {
        let outputPath = NSTemporaryDirectory() + "gatehouse-subprocess-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let command = ([executable] + arguments).joined(separator: " ")

        let pid = try spawn(executable, arguments, environment: environment, outputPath: outputPath)
        let status = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // The wait status packs the exit code in bits 8-15 when the low 7 bits (the signal) are 0.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            let how =
                status & 0x7F == 0
                ? "exited with status \((status >> 8) & 0xFF)" : "was killed by signal \(status & 0x7F)"
            throw Failure(description: "`\(command)` \(how):\n\(text)")
        }
        return text
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]?, outputPath: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing of this process (database sockets, Foundation's descriptors) leaks into a daemon.
        // (glibc's closefrom action is not visible to Swift; a descriptor gone by the time of the
        // spawn is skipped, as glibc ignores a failed close.)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        let environment = environment ?? ProcessInfo.processInfo.environment
        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let result = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envpBuffer in
                guard let argv = argvBuffer.baseAddress, let envp = envpBuffer.baseAddress else { return EINVAL }
                return posix_spawn(&pid, executable, &actions, nil, argv, envp)
            }
        }
        guard result == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }
}
