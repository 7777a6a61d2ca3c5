import GatehouseCore

/// A file that passed every file check: its display name, digest, size and (for a send) its private copy.
struct InspectedFile: Sendable {
    let displayName: String
    let sha256: String
    let size: Int
    let spoolPath: String?
}

// TEMPORARY until the file intake lands.
struct FileStage: Sendable {
    let spoolDirectory: String
    let home: String?
    init(spoolDirectory: String, home: String?) {
        self.spoolDirectory = spoolDirectory
        self.home = home
    }
    func inspect(_ path: String, policy: FilePolicy, keepCopy: Bool) -> Result<InspectedFile, Denial> {
        .failure(Denial(DenialCode("file.no_roots"), check: .file, "not yet"))
    }
    func discard(_ path: String) {}
}
