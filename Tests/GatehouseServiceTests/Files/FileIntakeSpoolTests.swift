import Foundation
import GatehouseCore
import GatehouseService
import Testing

/// The spool directory must be private, and removal must only touch spool copies.
@Suite struct FileIntakeSpoolTests {
    @Test func aSpoolDirectoryOpenToOthersIsRefused() throws {
        let box = try FilesSandbox()
        try FileManager.default.createDirectory(atPath: box.spool, withIntermediateDirectories: true)
        #expect(chmod(box.spool, 0o755) == 0)
        let path = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        #expect {
            try box.intake().vet(path: path, policy: box.policy(), mode: .send)
        } throws: { error in
            (error as? FileIntakeError)?.code == .spoolUnavailable
        }
        // Preview needs no spool, so it still works
        #expect(try box.intake().vet(path: path, policy: box.policy(), mode: .preview).file != nil)
    }

    @Test func aSymlinkedSpoolDirectoryIsRefused() throws {
        let box = try FilesSandbox()
        try FileManager.default.createDirectory(atPath: box.base + "/state", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: box.outside + "/spool", withIntermediateDirectories: true)
        #expect(chmod(box.outside + "/spool", 0o700) == 0)
        try box.symlink(box.spool, to: box.outside + "/spool")
        let path = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        #expect(throws: FileIntakeError.self) {
            try box.intake().vet(path: path, policy: box.policy(), mode: .send)
        }
    }

    @Test func removalRefusesPathsThatAreNotSpoolCopies() throws {
        let box = try FilesSandbox()
        let victim = try box.write(box.root + "/keep.pdf", FileSamples.pdf)
        let intake = box.intake()
        for path in [victim, box.spool + "/keep.pdf", box.spool + "/x/../../../share/keep.pdf", "relative/x/y"] {
            #expect(throws: FileIntakeError.self) { try intake.removeSpoolCopy(at: path) }
        }
        #expect(FileManager.default.fileExists(atPath: victim))
    }

    @Test func removingAnAlreadyRemovedCopyIsFine() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        let intake = box.intake()
        let copy = try #require(try intake.vet(path: path, policy: box.policy(), mode: .send).file?.spoolPath)
        try intake.removeSpoolCopy(at: copy)
        try intake.removeSpoolCopy(at: copy)
    }

    @Test func everySendGetsItsOwnCopy() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        let intake = box.intake()
        let first = try #require(try intake.vet(path: path, policy: box.policy(), mode: .send).file?.spoolPath)
        let second = try #require(try intake.vet(path: path, policy: box.policy(), mode: .send).file?.spoolPath)
        #expect(first != second)
        #expect(box.spoolFiles().count == 2)
    }

    @Test func aSpoolInsideARootIsRefused() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        let intake = FileIntake(spoolDirectory: box.root + "/spool")
        #expect {
            try intake.vet(path: path, policy: box.policy(), mode: .send)
        } throws: { error in
            (error as? FileIntakeError)?.code == .spoolUnavailable
        }
    }

    @Test func rootsResolveToRealDirectories() throws {
        // Given a root named through a symlink and with a trailing slash
        let box = try FilesSandbox()
        try box.symlink(box.base + "/alias", to: box.root)
        #expect(try FileIntake.resolveRoot(box.base + "/alias/") == box.root)
        #expect(try FileIntake.resolveRoot("~/share", home: box.base) == box.root)
        // Then missing, relative and non-directory roots are errors, never "no restriction"
        let file = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        for bad in [box.base + "/missing", "share", "", file, "~/share"] {
            #expect(throws: FileIntakeError.self) { try FileIntake.resolveRoot(bad, home: nil) }
        }
    }
}
