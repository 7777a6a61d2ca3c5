import Crypto
import GatehouseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FileIntake {
    /// Preview: reads the probed file once, hashing and sniffing it, and keeps no copy.
    ///
    /// Runs ``FileCheck/precheck(_:policy:)`` first, so nothing is read for a probe that fails it.
    public func inspect(_ probe: FileProbe, policy: FilePolicy) throws -> FileReadOutcome {
        try read(probe, policy: policy, keepCopy: false)
    }

    /// Send: reads the probed file once into a private spool copy, hashing and sniffing as it copies.
    ///
    /// The copy is `<spoolDirectory>/<random>/<display name>`, directory 0700, file 0600. It is removed
    /// again if the file turns out larger than the cap or the read fails; otherwise the caller owns it.
    public func spool(_ probe: FileProbe, policy: FilePolicy) throws -> FileReadOutcome {
        try read(probe, policy: policy, keepCopy: true)
    }

    private func read(_ probe: FileProbe, policy: FilePolicy, keepCopy: Bool) throws -> FileReadOutcome {
        if let denial = FileCheck.precheck(probe, policy: policy) { return .denied(denial) }
        let shown = "'\(FilePathRules.shown(probe.requestedPath))'"
        guard let path = probe.resolvedPath, let identity = probe.identity else {
            return .denied(Denial(.fileNotFound, check: .file, "file: \(shown) could not be resolved"))
        }

        // O_NONBLOCK: opening a FIFO swapped in after the probe must not wait for a writer.
        // O_NOFOLLOW: a symlink swapped in for the last component fails with ELOOP instead of being followed.
        // O_NOCTTY: a terminal device swapped in must not become the controlling terminal.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if fd < 0 {
            let code = errno
            switch code {
            case ELOOP:
                return .denied(
                    Denial(.fileSymlink, check: .file, "file: \(shown) became a symbolic link before it was read")
                )
            case ENOENT, ENOTDIR:
                return .denied(Denial(.fileNotFound, check: .file, "file: \(shown) disappeared before it was read"))
            case ENXIO, EWOULDBLOCK:
                return .denied(Denial(.fileNotRegular, check: .file, "file: \(shown) is not a regular file"))
            default:
                throw FileIntakeError(
                    .openFailed,
                    "cannot open \(shown) for reading; the gatehouse process needs read permission on it",
                    errno: code
                )
            }
        }
        defer { _ = close(fd) }

        let opened: POSIX.Status
        switch POSIX.fstat(fd) {
        case .success(let status): opened = status
        case .failure(let failure):
            throw FileIntakeError(.readFailed, "cannot fstat \(shown) after opening it", errno: failure.errno)
        }
        guard opened.type == .regular else {
            return .denied(
                Denial(
                    .fileNotRegular,
                    check: .file,
                    "file: \(shown) was replaced by a non-regular file before it was read"
                )
            )
        }
        guard opened.identity == identity else {
            return .denied(
                Denial(
                    .fileNotFound,
                    check: .file,
                    "file: \(shown) was replaced by another file between the check and the read; send it again"
                )
            )
        }

        var copy: SpoolCopy? = nil
        if keepCopy {
            if let root = policy.roots.first(where: { FilePathRules.isInside(spoolDirectory, root: $0) }) {
                throw FileIntakeError(
                    .spoolUnavailable,
                    "the spool directory '\(spoolDirectory)' lies inside files.roots ('\(root)'), so spool copies "
                        + "could themselves be sent; move it out (the default is <state-dir>/spool)"
                )
            }
            copy = try makeSpoolCopy(named: Self.displayName(forResolvedPath: path))
        }
        do {
            let content = try copyOnce(from: fd, shown: shown, to: copy, maxBytes: policy.maxBytes)
            if let copy { try copy.close() }
            if content.exceededCap, let copy {
                try removeSpoolCopy(at: copy.path)
                return .read(content)
            }
            var result = content
            result.spoolPath = copy?.path
            return .read(result)
        } catch {
            if let copy {
                try? copy.close()
                try? removeSpoolCopy(at: copy.path)
            }
            throw error
        }
    }

    /// The single pass: reads at most `maxBytes + 1` bytes, feeding each chunk to the hash, the sniff
    /// prefix and the copy in turn, so all three see identical bytes.
    private func copyOnce(from fd: Int32, shown: String, to copy: SpoolCopy?, maxBytes: Int) throws -> FileContent {
        let limit = maxBytes < Int.max ? max(maxBytes, 0) + 1 : Int.max
        var hasher = SHA256()
        var prefix: [UInt8] = []
        prefix.reserveCapacity(ContentSniffer.prefixLength)
        // The same bytes, kept for the content scan while the file is small enough to hold.
        var kept: [UInt8]? = []
        var total = 0
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)

        while total < limit {
            let want = min(buffer.count, limit - total)
            let got = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, want) }
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                throw FileIntakeError(.readFailed, "reading \(shown) failed", errno: code)
            }
            if got == 0 { break }
            let chunk = buffer[0..<got]
            chunk.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            if prefix.count < ContentSniffer.prefixLength {
                prefix.append(contentsOf: chunk.prefix(ContentSniffer.prefixLength - prefix.count))
            }
            try copy?.write(chunk)
            total += got
            if total > FileContent.scanLimit { kept = nil } else { kept?.append(contentsOf: chunk) }
        }

        let exceeded = total > maxBytes
        let whole = !exceeded && total <= ContentSniffer.prefixLength
        return FileContent(
            byteCount: total,
            sha256: hasher.finalize().map { Self.hexDigits[Int($0 >> 4)] + Self.hexDigits[Int($0 & 0x0F)] }.joined(),
            kind: ContentSniffer.sniff(prefix, isWholeFile: whole),
            exceededCap: exceeded,
            bytes: exceeded ? nil : kept
        )
    }

    private static let hexDigits = (0..<16).map { String($0, radix: 16) }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Musl)
private let systemRead = Musl.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
