import Crypto
import Foundation
import GatehouseCore
import GatehouseService
import Testing

/// End to end through ``FileIntake/vet(path:policy:mode:)`` on real files: each denial code blocks, a good file passes.
@Suite struct FileIntakeTests {
    @Test func aGoodFileIsSpooledHashedAndNamed() throws {
        // Given a PDF inside the root
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/Invoice März.pdf", FileSamples.pdf)
        // When it is vetted for sending
        let vetting = try box.intake().vet(path: path, policy: box.policy(), mode: .send)
        // Then it is accepted with a private copy of exactly its bytes
        let file = try #require(vetting.file)
        #expect(file.kind == .pdf)
        #expect(file.byteCount == FileSamples.pdf.count)
        #expect(file.sha256 == SHA256.hash(data: FileSamples.pdf).map { String(format: "%02x", $0) }.joined())
        #expect(file.displayName == "Invoice Marz.pdf")
        #expect(file.fileExtension == ".pdf")
        #expect(file.resolvedPath == path)
        let copy = try #require(file.spoolPath)
        #expect(copy.hasPrefix(box.spool + "/"))
        #expect(copy.hasSuffix("/Invoice Marz.pdf"))
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: copy))) == FileSamples.pdf)
        #expect(try box.permissions(copy) == 0o600)
        #expect(try box.permissions((copy as NSString).deletingLastPathComponent) == 0o700)
        #expect(try box.permissions(box.spool) == 0o700)
        // And removing the copy leaves the spool empty
        try box.intake().removeSpoolCopy(at: copy)
        #expect(box.spoolFiles().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.spool).isEmpty)
    }

    @Test func previewHashesWithoutACopy() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/notes.txt", Array("abc".utf8))
        let file = try #require(try box.intake().vet(path: path, policy: box.policy(), mode: .preview).file)
        #expect(file.spoolPath == nil)
        #expect(file.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(!FileManager.default.fileExists(atPath: box.spool))
    }

    @Test func noRootsRefusesEveryFile() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        let policy = FilePolicy(roots: [], maxBytes: 4_096, allowedExtensions: [".pdf"])
        #expect(try box.intake().vet(path: path, policy: policy, mode: .send).denial?.code == .fileNoRoots)
        #expect(box.spoolFiles().isEmpty)
    }

    @Test func aFileOutsideTheRootsIsRefused() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.outside + "/secret.pdf", FileSamples.pdf)
        #expect(try box.intake().vet(path: path, policy: box.policy(), mode: .send).denial?.code == .fileOutsideRoots)
    }

    @Test func dotDotCannotEscapeTheRoot() throws {
        let box = try FilesSandbox()
        try box.write(box.outside + "/secret.pdf", FileSamples.pdf)
        let escape = box.root + "/../outside/secret.pdf"
        #expect(try box.intake().vet(path: escape, policy: box.policy(), mode: .send).denial?.code == .fileOutsideRoots)
    }

    @Test func aSiblingSharingThePrefixIsOutside() throws {
        // Given root <base>/share and a file in <base>/shared
        let box = try FilesSandbox()
        let path = try box.write(box.base + "/shared/a.pdf", FileSamples.pdf)
        #expect(try box.intake().vet(path: path, policy: box.policy(), mode: .send).denial?.code == .fileOutsideRoots)
    }

    @Test func aSymlinkNamedLikeAPictureIsRefused() throws {
        // Given holiday.png in the root, a symlink to a file outside
        let box = try FilesSandbox()
        let target = try box.write(box.outside + "/id_ed25519.png", FileSamples.png)
        try box.symlink(box.root + "/holiday.png", to: target)
        // Then it is refused as a symlink, without copying or revealing the target
        let denial = try #require(
            try box.intake().vet(path: box.root + "/holiday.png", policy: box.policy(), mode: .send).denial
        )
        #expect(denial.code == .fileSymlink)
        #expect(!denial.detail.contains("id_ed25519"))
        #expect(box.spoolFiles().isEmpty)
    }

    @Test func aSymlinkToAFileInsideTheRootIsStillRefused() throws {
        let box = try FilesSandbox()
        try box.write(box.root + "/real.png", FileSamples.png)
        try box.symlink(box.root + "/alias.png", to: box.root + "/real.png")
        #expect(
            try box.intake().vet(path: box.root + "/alias.png", policy: box.policy(), mode: .send).denial?.code
                == .fileSymlink
        )
    }

    @Test func aHardLinkToAFileOutsideTheRootIsRefused() throws {
        // Given notes.txt in the root, a hard link to a key outside it: no path check can see that
        let box = try FilesSandbox()
        let target = try box.write(box.outside + "/id_ed25519.txt", Array("not really a key\n".utf8))
        #expect(link(target, box.root + "/notes.txt") == 0)
        let denial = try #require(
            try box.intake().vet(path: box.root + "/notes.txt", policy: box.policy(), mode: .send).denial
        )
        #expect(denial.code == .fileHardLink)
        #expect(box.spoolFiles().isEmpty)
        // And once the outside name is gone, the file has one link and is the root's own
        #expect(unlink(target) == 0)
        #expect(try box.intake().vet(path: box.root + "/notes.txt", policy: box.policy(), mode: .send).file != nil)
    }

    @Test func aSymlinkedParentDirectoryIsRefused() throws {
        // Given <root>/photos → <outside>, and a real PNG in <outside>
        let box = try FilesSandbox()
        try box.write(box.outside + "/a.png", FileSamples.png)
        try box.symlink(box.root + "/photos", to: box.outside)
        // Then naming it through the link is refused, naming the link
        let denial = try #require(
            try box.intake().vet(path: box.root + "/photos/a.png", policy: box.policy(), mode: .send).denial
        )
        #expect(denial.code == .fileSymlink)
        #expect(denial.detail.contains(box.root + "/photos"))
        // Even when `..` steps back out of the link lexically
        let sneaky = box.root + "/photos/../a.png"
        try box.write(box.root + "/a.png", FileSamples.png)
        #expect(try box.intake().vet(path: sneaky, policy: box.policy(), mode: .send).denial?.code == .fileSymlink)
    }

    @Test func anExtensionNotAllowedIsRefused() throws {
        let box = try FilesSandbox()
        let exe = try box.write(box.root + "/setup.exe", FileSamples.exe)
        let bare = try box.write(box.root + "/README", FileSamples.text)
        #expect(
            try box.intake().vet(path: exe, policy: box.policy(), mode: .send).denial?.code == .fileExtensionNotAllowed
        )
        #expect(
            try box.intake().vet(path: bare, policy: box.policy(), mode: .send).denial?.code == .fileExtensionNotAllowed
        )
    }

    @Test func anExeRenamedPdfIsAContentMismatch() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/invoice.pdf", FileSamples.exe)
        let denial = try #require(try box.intake().vet(path: path, policy: box.policy(), mode: .send).denial)
        #expect(denial.code == .fileContentMismatch)
        #expect(denial.detail.contains("Windows executable"))
        #expect(!denial.detail.contains("This program"))  // no file contents in details
        #expect(box.spoolFiles().isEmpty)  // the copy made while reading is gone
    }

    @Test func textWithANulIsAContentMismatch() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/notes.txt", Array("line one\n".utf8) + [0] + Array("line two\n".utf8))
        #expect(
            try box.intake().vet(path: path, policy: box.policy(), mode: .preview).denial?.code == .fileContentMismatch
        )
    }

    @Test func aPNGNamedJpgIsAContentMismatch() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/photo.jpg", FileSamples.png)
        #expect(
            try box.intake().vet(path: path, policy: box.policy(), mode: .send).denial?.code == .fileContentMismatch
        )
    }

    @Test func aFileOverTheCapIsRefusedAndAFileAtTheCapPasses() throws {
        let box = try FilesSandbox()
        let over = try box.write(box.root + "/big.txt", [UInt8](repeating: 0x61, count: 4_097))
        let at = try box.write(box.root + "/edge.txt", [UInt8](repeating: 0x61, count: 4_096))
        #expect(try box.intake().vet(path: over, policy: box.policy(), mode: .send).denial?.code == .fileTooLarge)
        #expect(try box.intake().vet(path: at, policy: box.policy(), mode: .send).file?.byteCount == 4_096)
    }

    @Test func aMissingFileIsNotFound() throws {
        let box = try FilesSandbox()
        #expect(
            try box.intake().vet(path: box.root + "/nope.pdf", policy: box.policy(), mode: .send).denial?.code
                == .fileNotFound
        )
        #expect(
            try box.intake().vet(path: box.root + "/no/dir/nope.pdf", policy: box.policy(), mode: .send).denial?.code
                == .fileNotFound
        )
    }

    @Test func aDirectoryIsNotRegular() throws {
        let box = try FilesSandbox()
        try FileManager.default.createDirectory(atPath: box.root + "/folder.pdf", withIntermediateDirectories: true)
        #expect(
            try box.intake().vet(path: box.root + "/folder.pdf", policy: box.policy(), mode: .send).denial?.code
                == .fileNotRegular
        )
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        // Given a FIFO with no writer, which a blocking open would wait on forever
        let box = try FilesSandbox()
        let fifo = box.root + "/pipe.txt"
        #expect(mkfifo(fifo, 0o600) == 0)
        let intake = box.intake()
        let policy = box.policy()
        // When it is vetted, with a deadline
        let code = runWithFileDeadline(seconds: 5) {
            (try? intake.vet(path: fifo, policy: policy, mode: .send))?.denial?.code
        }
        if code == nil { releaseFileFIFO(fifo) }
        // Then it is refused promptly
        #expect(code == .some(.fileNotRegular))
    }

    @Test(arguments: [
        "share/a.pdf", "./a.pdf", "", "/tmp/a\u{0}.pdf", "/tmp/a\n.pdf", "/tmp/dir/",
        "/" + String(repeating: "d", count: 300) + "/a.pdf",
        String(repeating: "/abcdefghij", count: 400) + ".pdf",
        "~someone/a.pdf",
    ])
    func malformedPathsArePathInvalid(path: String) throws {
        let box = try FilesSandbox()
        let denial = try box.intake(home: box.base).vet(path: path, policy: box.policy(), mode: .send).denial
        #expect(denial?.code == .filePathInvalid)
        #expect(denial?.detail.contains("\n") == false)
    }

    @Test func tildeExpandsWithHome() throws {
        let box = try FilesSandbox()
        try box.write(box.root + "/a.pdf", FileSamples.pdf)
        let vetting = try box.intake(home: box.base).vet(path: "~/share/a.pdf", policy: box.policy(), mode: .preview)
        #expect(vetting.file?.resolvedPath == box.root + "/a.pdf")
        // Without HOME the same path cannot be used
        #expect(
            try box.intake(home: nil).vet(path: "~/share/a.pdf", policy: box.policy(), mode: .preview).denial?.code
                == .filePathInvalid
        )
    }

    @Test func theCopyIsUnaffectedByLaterChangesToTheSource() throws {
        // Given a spooled file
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/report.txt", Array("version one\n".utf8))
        let file = try #require(try box.intake().vet(path: path, policy: box.policy(), mode: .send).file)
        // When the source is rewritten afterwards
        try box.write(path, Array("version two, much longer\n".utf8))
        // Then the copy and its digest still describe what was checked
        let copy = try Array(Data(contentsOf: URL(fileURLWithPath: try #require(file.spoolPath))))
        #expect(copy == Array("version one\n".utf8))
        #expect(file.sha256 == SHA256.hash(data: copy).map { String(format: "%02x", $0) }.joined())
    }

    @Test func aMultiChunkFileHashesLikeOneBuffer() throws {
        let box = try FilesSandbox()
        let bytes = (0..<300_000).map { UInt8(0x41 + $0 % 26) }
        let path = try box.write(box.root + "/long.txt", bytes)
        let file = try #require(
            try box.intake().vet(path: path, policy: box.policy(maxBytes: 1_000_000), mode: .send).file
        )
        #expect(file.sha256 == SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        #expect(try Data(contentsOf: URL(fileURLWithPath: try #require(file.spoolPath))) == Data(bytes))
    }
}

/// Opens a FIFO's write end without blocking, releasing a reader stuck on it.
func releaseFileFIFO(_ path: String) {
    let fd = open(path, O_WRONLY | O_NONBLOCK)
    if fd >= 0 { close(fd) }
}
