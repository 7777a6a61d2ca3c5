import Foundation
import GatehouseConfig
import GatehouseCore

/// The config as it is now: a valid policy, or the error that refuses every send.
public enum PolicyState: Sendable {
    case valid(Policy)
    case invalid(ConfigError)

    /// The policy, when the config is valid.
    public var policy: Policy? {
        if case .valid(let policy) = self { return policy }
        return nil
    }

    public var error: ConfigError? {
        if case .invalid(let error) = self { return error }
        return nil
    }
}

/// Reads the config file and re-reads it when it changes (hot reload).
///
/// A change is noticed by inode, size and modification time (nanoseconds), checked on each use:
/// one `stat` per call. An edit that breaks the file fails closed at once: the previous policy
/// is not kept, so a bad edit can never leave stale, looser rules in force unnoticed.
public final class ConfigSource: @unchecked Sendable {
    // @unchecked: all mutable state is behind `lock`.
    public let path: String
    let environment: [String: String]
    private let lock = NSLock()
    private var stamp: FileStamp?
    private var state: PolicyState

    /// `--config`, else `GATEHOUSE_CONFIG`, else `WA_GUARD_CONFIG` (guarded-whatsapp-mcp's), else `./gatehouse.yaml`.
    public static func resolve(flag: String?, environment: [String: String]) -> String {
        for candidate in [flag, environment["GATEHOUSE_CONFIG"], environment["WA_GUARD_CONFIG"]] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        return "gatehouse.yaml"
    }

    public init(path: String, environment: [String: String]) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
        self.environment = environment
        state = .invalid(ConfigError(source: path, issues: [ConfigIssue(key: "", line: nil, "not read yet")]))
        _ = current()
    }

    public func current() -> PolicyState {
        lock.lock()
        defer { lock.unlock() }
        let now = FileStamp(path: path)
        if let now, now == stamp { return state }
        stamp = now
        state = load()
        return state
    }

    private func load() -> PolicyState {
        guard let data = FileManager.default.contents(atPath: path) else {
            let issue = ConfigIssue(key: "", line: nil, "the config file does not exist or cannot be read; run `gatehouse init` to write one")
            return .invalid(ConfigError(source: path, issues: [issue]))
        }
        guard data.count <= ConfigLoader.maximumBytes, let text = String(data: data, encoding: .utf8) else {
            let issue = ConfigIssue(key: "", line: nil, "the config file is not UTF-8 text of at most 1 MiB")
            return .invalid(ConfigError(source: path, issues: [issue]))
        }
        let loader = ConfigLoader(
            configDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path, homeDirectory: environment["HOME"],
            resolvePath: { candidate in
                guard let real = realpath(candidate, nil) else { return nil }
                defer { free(real) }
                return String(cString: real)
            })
        switch loader.parse(text, source: path) {
        case .success(let policy): return .valid(policy)
        case .failure(let error): return .invalid(error)
        }
    }
}

/// What identifies one version of a file on disk.
struct FileStamp: Equatable {
    let inode: UInt64
    let size: Int64
    let seconds: Int
    let nanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
