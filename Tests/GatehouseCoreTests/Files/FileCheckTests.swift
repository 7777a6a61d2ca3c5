import Testing

@testable import GatehouseCore

@Suite struct FileCheckTests {
    let policy = FilePolicy(roots: ["/srv/share"], maxBytes: 1_000, allowedExtensions: [".pdf", ".png", ".txt"])

    /// A probe of a regular 10-byte file at `path`, as the I/O layer reports one that passes.
    func regular(_ path: String = "/srv/share/report.pdf") -> FileProbe {
        FileProbe(
            requestedPath: path,
            absolutePath: path,
            nodeType: .regular,
            resolvedPath: FilePathRules.lexicallyNormalized(path),
            size: 10,
            identity: FileIdentity(device: 1, inode: 2)
        )
    }

    func content(_ kind: FileKind, bytes: Int = 10, exceeded: Bool = false) -> FileContent {
        FileContent(byteCount: bytes, sha256: String(repeating: "0", count: 64), kind: kind, exceededCap: exceeded)
    }

    @Test func aGoodFilePasses() {
        #expect(FileCheck.precheck(regular(), policy: policy) == nil)
        #expect(FileCheck.contentCheck(content(.pdf), extension: ".pdf", policy: policy) == nil)
        #expect(FileCheck.precheck(regular("/srv/share/sub/dir/photo.PNG"), policy: policy) == nil)
    }

    @Test func noRootsRefusesEverything() {
        let none = FilePolicy(roots: [], maxBytes: 1_000, allowedExtensions: [".pdf"])
        let denial = FileCheck.precheck(regular(), policy: none)
        #expect(denial?.code == .fileNoRoots)
        #expect(denial?.check == .file)
        // Even a malformed path gets the no-roots answer first.
        #expect(
            FileCheck.precheck(FileProbe(requestedPath: "x", pathProblem: "relative"), policy: none)?.code
                == .fileNoRoots
        )
    }

    @Test func pathProblemIsPathInvalid() {
        let probe = FileProbe(requestedPath: "docs/a.pdf", pathProblem: "the path is relative")
        let denial = FileCheck.precheck(probe, policy: policy)
        #expect(denial?.code == .filePathInvalid)
        #expect(denial?.detail.contains("relative") == true)
    }

    @Test func dotDotEscapeIsOutsideRoots() {
        var probe = regular("/srv/share/../../etc/passwd.txt")
        probe.resolvedPath = "/etc/passwd.txt"
        #expect(FileCheck.precheck(probe, policy: policy)?.code == .fileOutsideRoots)
    }

    @Test func siblingWithCommonPrefixIsOutsideRoots() {
        #expect(FileCheck.precheck(regular("/srv/shared/report.pdf"), policy: policy)?.code == .fileOutsideRoots)
    }

    @Test func outsideRootsIsDecidedBeforeExistence() {
        // Given a path outside every root that does not exist
        let probe = FileProbe(requestedPath: "/etc/nothing.pdf", absolutePath: "/etc/nothing.pdf")
        // Then the answer does not reveal whether it exists
        #expect(FileCheck.precheck(probe, policy: policy)?.code == .fileOutsideRoots)
    }

    @Test func realPathOutsideRootsIsRefused() {
        // Given a path that looks inside but resolves elsewhere (e.g. a bind mount reported by realpath)
        var probe = regular()
        probe.resolvedPath = "/home/other/report.pdf"
        #expect(FileCheck.precheck(probe, policy: policy)?.code == .fileOutsideRoots)
    }

    @Test func symlinkItselfIsRefused() {
        var probe = regular("/srv/share/holiday.png")
        probe.isSymlink = true
        probe.nodeType = .symlink
        probe.resolvedPath = "/home/me/.ssh/id_ed25519"
        let denial = FileCheck.precheck(probe, policy: policy)
        #expect(denial?.code == .fileSymlink)
        #expect(denial?.detail.contains("id_ed25519") == false)  // the target is not revealed
    }

    @Test func symlinkInPathIsRefused() {
        var probe = FileProbe(requestedPath: "/srv/share/link/a.png", absolutePath: "/srv/share/link/a.png")
        probe.symlinkInPath = "/srv/share/link"
        let denial = FileCheck.precheck(probe, policy: policy)
        #expect(denial?.code == .fileSymlink)
        #expect(denial?.detail.contains("/srv/share/link") == true)
    }

    @Test func missingIsNotFound() {
        let probe = FileProbe(requestedPath: "/srv/share/gone.pdf", absolutePath: "/srv/share/gone.pdf")
        #expect(FileCheck.precheck(probe, policy: policy)?.code == .fileNotFound)
    }

    @Test(arguments: [FileProbe.NodeType.directory, .fifo, .socket, .characterDevice, .blockDevice])
    func nonRegularIsRefused(type: FileProbe.NodeType) {
        var probe = regular("/srv/share/thing.txt")
        probe.nodeType = type
        #expect(FileCheck.precheck(probe, policy: policy)?.code == .fileNotRegular)
    }

    @Test func extensionMustBeAllowed() {
        #expect(FileCheck.precheck(regular("/srv/share/tool.exe"), policy: policy)?.code == .fileExtensionNotAllowed)
        #expect(FileCheck.precheck(regular("/srv/share/README"), policy: policy)?.code == .fileExtensionNotAllowed)
        #expect(FileCheck.precheck(regular("/srv/share/.pdf"), policy: policy)?.code == .fileExtensionNotAllowed)
    }

    @Test func anAllowedExtensionWithoutAContentCheckIsRefused() {
        let loose = FilePolicy(roots: ["/srv/share"], maxBytes: 1_000, allowedExtensions: [".exe", ".html"])
        let denial = FileCheck.precheck(regular("/srv/share/page.html"), policy: loose)
        #expect(denial?.code == .fileExtensionNotAllowed)
        #expect(denial?.detail.contains("no content check") == true)
        #expect(
            FileCheck.contentCheck(content(.windowsExecutable), extension: ".exe", policy: loose)?.code
                == .fileExtensionNotAllowed
        )
    }

    @Test func statSizeOverCapIsAnEarlyRefusal() {
        var probe = regular()
        probe.size = 1_001
        #expect(FileCheck.precheck(probe, policy: policy)?.code == .fileTooLarge)
        probe.size = 1_000
        #expect(FileCheck.precheck(probe, policy: policy) == nil)
    }

    @Test func capIsOnBytesRead() {
        #expect(
            FileCheck.contentCheck(content(.pdf, bytes: 1_001, exceeded: true), extension: ".pdf", policy: policy)?.code
                == .fileTooLarge
        )
        #expect(
            FileCheck.contentCheck(content(.pdf, bytes: 5_000), extension: ".pdf", policy: policy)?.code
                == .fileTooLarge
        )
        #expect(FileCheck.contentCheck(content(.pdf, bytes: 1_000), extension: ".pdf", policy: policy) == nil)
    }

    @Test func exeRenamedPdfIsAMismatch() {
        let denial = FileCheck.contentCheck(content(.windowsExecutable), extension: ".pdf", policy: policy)
        #expect(denial?.code == .fileContentMismatch)
        #expect(denial?.detail.contains("Windows executable") == true)
    }

    @Test func kindsMustMatchTheExtension() {
        #expect(FileCheck.contentCheck(content(.png), extension: ".pdf", policy: policy)?.code == .fileContentMismatch)
        #expect(
            FileCheck.contentCheck(content(.unknown), extension: ".txt", policy: policy)?.code == .fileContentMismatch
        )
        #expect(
            FileCheck.contentCheck(content(.script), extension: ".txt", policy: policy)?.code == .fileContentMismatch
        )
        #expect(FileCheck.contentCheck(content(.text), extension: ".TXT", policy: policy) == nil)
    }

    @Test func anEmptyFileIsAMismatch() {
        let denial = FileCheck.contentCheck(content(.unknown, bytes: 0), extension: ".txt", policy: policy)
        #expect(denial?.code == .fileContentMismatch)
        #expect(denial?.detail.contains("empty") == true)
    }

    @Test func contentCheckAlsoEnforcesThePolicyExtensions() {
        #expect(
            FileCheck.contentCheck(content(.jpeg), extension: ".jpg", policy: policy)?.code == .fileExtensionNotAllowed
        )
    }

    @Test func detailsArePrefixedAndControlCharactersAreNotEchoed() {
        let probe = FileProbe(
            requestedPath: "/srv/share/a\nb.pdf",
            pathProblem: "the path contains a control character"
        )
        let denial = FileCheck.precheck(probe, policy: policy)
        #expect(denial?.detail.hasPrefix("file: ") == true)
        #expect(denial?.detail.contains("\n") == false)
    }
}
