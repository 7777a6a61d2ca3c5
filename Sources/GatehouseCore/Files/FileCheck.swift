/// The pure decisions of the file check, in two halves around the single read the I/O layer performs.
///
/// ``precheck(_:policy:)`` runs on a ``FileProbe`` before a byte is read or copied, in this order:
/// 1. `file.no_roots`: no roots configured means every file send is refused.
/// 2. `file.path_invalid`: empty, relative, NUL or control characters, over-long, ending in `/`.
/// 3. `file.outside_roots` on the path as written (`..` folded lexically), before anything about the
///    file is revealed, so the agent cannot learn whether files outside the roots exist.
/// 4. `file.extension_not_allowed`: not in the policy, or no content check known for it.
/// 5. `file.symlink`: the file itself or any directory on the way to it.
/// 6. `file.not_found`.
/// 7. `file.outside_roots` again on the real path (`realpath`), in case the two disagree.
/// 8. `file.not_regular`: directory, FIFO, socket, device.
/// 9. `file.hard_link`: a file with more than one hard link, since a link made inside a root can
///    name a file that lives outside it (`ln ~/.ssh/id_rsa share/notes.txt`), which no path check sees.
/// 10. `file.too_large` on the `lstat` size: a cheap early refusal only.
///
/// ``contentCheck(_:extension:policy:)`` then judges what the read saw: size on the bytes read, then
/// magic bytes against the extension. Details may show paths but never file contents.
public enum FileCheck {
    public static func precheck(_ probe: FileProbe, policy: FilePolicy) -> Denial? {
        if policy.roots.isEmpty {
            return deny(
                .fileNoRoots,
                "no folder is configured for file sends (files.roots is empty), so no file may be sent"
            )
        }
        guard probe.pathProblem == nil, let absolute = probe.absolutePath else {
            let why = probe.pathProblem ?? "the path could not be made absolute"
            return deny(.filePathInvalid, "\(quoted(probe.requestedPath)) cannot be used: \(why)")
        }
        let lexical = FilePathRules.lexicallyNormalized(absolute)
        guard FilePathRules.containingRoot(of: lexical, roots: policy.roots) != nil else {
            return outsideRoots(probe.requestedPath, policy: policy)
        }
        if let denial = extensionDenial(FileTypeRules.fileExtension(ofPath: lexical), policy: policy) {
            return denial
        }
        if probe.isSymlink {
            return deny(
                .fileSymlink,
                "\(quoted(probe.requestedPath)) is a symbolic link; Gatehouse sends only real files, "
                    + "so name the file itself"
            )
        }
        if let link = probe.symlinkInPath {
            return deny(
                .fileSymlink,
                "\(quoted(probe.requestedPath)) goes through the symbolic link \(quoted(link)); "
                    + "name the file by its real path"
            )
        }
        guard probe.exists else {
            return deny(.fileNotFound, "\(quoted(probe.requestedPath)) does not exist")
        }
        guard let real = probe.resolvedPath, FilePathRules.containingRoot(of: real, roots: policy.roots) != nil
        else {
            return outsideRoots(probe.requestedPath, policy: policy)
        }
        guard probe.isRegular else {
            let what = probe.nodeType.map(describe) ?? "not a regular file"
            return deny(.fileNotRegular, "\(quoted(probe.requestedPath)) is \(what), not a regular file")
        }
        if let links = probe.linkCount, links > 1 {
            return deny(
                .fileHardLink,
                "\(quoted(probe.requestedPath)) has \(links) hard links, so it may be a file from outside the roots; "
                    + "send a copy of it instead"
            )
        }
        if let size = probe.size, size > Int64(policy.maxBytes) {
            return tooLarge(probe.requestedPath, bytes: "\(size) bytes", policy: policy)
        }
        return nil
    }

    /// Judges one read of the file: size on the bytes read, then the sniffed kind against `ext` (".pdf").
    ///
    /// `ext` is the extension the precheck approved; it is checked again so this half cannot pass alone.
    public static func contentCheck(_ content: FileContent, extension ext: String, policy: FilePolicy) -> Denial? {
        if content.exceededCap || content.byteCount > policy.maxBytes {
            return tooLarge(nil, bytes: "more than \(policy.maxBytes) bytes", policy: policy)
        }
        if let denial = extensionDenial(ext, policy: policy) { return denial }
        let key = FileTypeRules.normalizedExtension(ext) ?? ext
        let expected = FileTypeRules.expectedKinds(forExtension: key) ?? []
        if content.byteCount == 0 {
            return deny(.fileContentMismatch, "the file is empty, so it cannot be \(key) content")
        }
        if content.kind.isExecutable {
            return deny(
                .fileContentMismatch,
                "the file is named \(key) but its content is \(content.kind.phrase); executables are never sent"
            )
        }
        guard expected.contains(content.kind) else {
            let wanted = expected.sorted { $0.rawValue < $1.rawValue }.map(\.phrase).joined(separator: " or ")
            return deny(
                .fileContentMismatch,
                "the file is named \(key) but its content is \(content.kind.phrase), not \(wanted)"
            )
        }
        return nil
    }

    // MARK: - Details

    private static func extensionDenial(_ ext: String?, policy: FilePolicy) -> Denial? {
        let allowed = policy.allowedExtensions.compactMap(FileTypeRules.normalizedExtension)
        let list = allowed.isEmpty ? "none" : allowed.joined(separator: ", ")
        guard let ext, let key = FileTypeRules.normalizedExtension(ext) else {
            return deny(.fileExtensionNotAllowed, "the file has no extension; allowed extensions: \(list)")
        }
        guard allowed.contains(key) else {
            return deny(.fileExtensionNotAllowed, "\(key) files may not be sent; allowed extensions: \(list)")
        }
        guard FileTypeRules.expectedKinds(forExtension: key) != nil else {
            return deny(
                .fileExtensionNotAllowed,
                "\(key) is allowed by the policy but Gatehouse has no content check for it, so it is refused"
            )
        }
        return nil
    }

    private static func outsideRoots(_ path: String, policy: FilePolicy) -> Denial {
        let roots = policy.roots.map { FilePathRules.shown($0) }.joined(separator: ", ")
        return deny(
            .fileOutsideRoots,
            "\(quoted(path)) is not inside an allowed folder (files.roots: \(roots)); copy the file there first"
        )
    }

    private static func tooLarge(_ path: String?, bytes: String, policy: FilePolicy) -> Denial {
        let subject = path.map(quoted) ?? "the file"
        return deny(.fileTooLarge, "\(subject) is \(bytes); the limit is \(policy.maxBytes) bytes (files.max_size_mb)")
    }

    private static func describe(_ type: FileProbe.NodeType) -> String {
        switch type {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .symlink: "a symbolic link"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .other: "a special file"
        }
    }

    private static func quoted(_ path: String) -> String { "'\(FilePathRules.shown(path))'" }

    private static func deny(_ code: DenialCode, _ detail: String) -> Denial {
        Denial(code, check: .file, "file: " + detail)
    }
}
