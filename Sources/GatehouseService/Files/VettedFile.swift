import GatehouseCore

/// A file that passed every file check, described by the one read that was checked.
///
/// Only ``FileIntake`` makes one, so holding a `VettedFile` means the checks ran. In send mode
/// ``spoolPath`` is the private copy to hand to the transport: it holds exactly the bytes that were
/// hashed and sniffed, so a source file edited mid-send changes nothing.
public struct VettedFile: Sendable, Equatable {
    /// The path as the agent gave it.
    public let requestedPath: String
    /// The real path that was read.
    public let resolvedPath: String
    /// The ASCII-safe name for the recipient (``DisplayName/sanitize(_:)``); also the spool copy's file name.
    public let displayName: String
    /// The extension that was checked, as ".pdf".
    public let fileExtension: String
    public let byteCount: Int
    /// Lower-case hex SHA-256 of the bytes read.
    public let sha256: String
    public let kind: FileKind
    /// The private copy (send mode), or nil (preview). Remove it with ``FileIntake/removeSpoolCopy(at:)``.
    public let spoolPath: String?
    /// The file's text for the content scan, from the same bytes (``FileTextExtractor``).
    public let text: FileText

    init(
        requestedPath: String,
        resolvedPath: String,
        displayName: String,
        fileExtension: String,
        content: FileContent
    ) {
        self.requestedPath = requestedPath
        self.resolvedPath = resolvedPath
        self.displayName = displayName
        self.fileExtension = fileExtension
        self.byteCount = content.byteCount
        self.sha256 = content.sha256
        self.kind = content.kind
        self.spoolPath = content.spoolPath
        self.text = content.text(extension: String(fileExtension.drop { $0 == "." }).lowercased())
    }
}

/// The answer of ``FileIntake/vet(path:policy:mode:)``: the file may go, or why not.
public enum FileVetting: Sendable, Equatable {
    case accepted(VettedFile)
    case denied(Denial)

    public var file: VettedFile? {
        if case .accepted(let file) = self { file } else { nil }
    }

    public var denial: Denial? {
        if case .denied(let denial) = self { denial } else { nil }
    }
}

/// The answer of the read step (``FileIntake/inspect(_:policy:)``, ``FileIntake/spool(_:policy:)``).
///
/// `.read` reports facts only; ``FileCheck/contentCheck(_:extension:policy:)`` still has to judge them.
public enum FileReadOutcome: Sendable, Equatable {
    case read(FileContent)
    case denied(Denial)

    public var content: FileContent? {
        if case .read(let content) = self { content } else { nil }
    }

    public var denial: Denial? {
        if case .denied(let denial) = self { denial } else { nil }
    }
}
