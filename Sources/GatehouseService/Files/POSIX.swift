import GatehouseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few system calls the intake needs, with `errno` captured at the call and `stat` fields normalised
/// across Linux and Darwin (whose `st_mode`, `st_dev` widths differ).
enum POSIX {
    struct Failure: Error {
        let errno: Int32
    }

    struct Status {
        let type: FileProbe.NodeType
        let size: Int64
        let identity: FileIdentity
        let permissions: UInt32
        let owner: UInt32
        let linkCount: UInt64
    }

    static func lstat(_ path: String) -> Result<Status, Failure> {
        var st = stat()
        guard systemLstat(path, &st) == 0 else { return .failure(Failure(errno: errno)) }
        return .success(status(st))
    }

    static func fstat(_ fd: Int32) -> Result<Status, Failure> {
        var st = stat()
        guard systemFstat(fd, &st) == 0 else { return .failure(Failure(errno: errno)) }
        return .success(status(st))
    }

    static func realpath(_ path: String) -> String? {
        guard let resolved = systemRealpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func describe(_ code: Int32) -> String {
        "\(String(cString: strerror(code))), errno \(code)"
    }

    private static func status(_ st: stat) -> Status {
        let mode = UInt32(truncatingIfNeeded: st.st_mode)
        let type: FileProbe.NodeType =
            switch mode & 0o170000 {
            case 0o100000: .regular
            case 0o040000: .directory
            case 0o120000: .symlink
            case 0o010000: .fifo
            case 0o140000: .socket
            case 0o020000: .characterDevice
            case 0o060000: .blockDevice
            default: .other
            }
        return Status(
            type: type,
            size: Int64(st.st_size),
            identity: FileIdentity(
                device: UInt64(truncatingIfNeeded: st.st_dev),
                inode: UInt64(truncatingIfNeeded: st.st_ino)
            ),
            permissions: mode & 0o7777,
            owner: UInt32(truncatingIfNeeded: st.st_uid),
            linkCount: UInt64(truncatingIfNeeded: st.st_nlink)
        )
    }
}

// The C functions share names with the wrappers above; bind them once here.
#if canImport(Glibc)
private let systemLstat = Glibc.lstat
private let systemFstat = Glibc.fstat
private let systemRealpath = Glibc.realpath
#elseif canImport(Musl)
private let systemLstat = Musl.lstat
private let systemFstat = Musl.fstat
private let systemRealpath = Musl.realpath
#elseif canImport(Darwin)
private let systemLstat = Darwin.lstat
private let systemFstat = Darwin.fstat
private let systemRealpath = Darwin.realpath
#endif
