import Foundation
import GatehouseCore
import GatehouseService
import Testing

/// The read step on its own, fed probes that no longer match the file, as a race would leave them.
@Suite struct FileIntakeReadTests {
    @Test func aProbeOfAnotherFileIsRefused() throws {
        // Given probes of two different files in the root
        let box = try FilesSandbox()
        let a = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        let b = try box.write(box.root + "/b.pdf", FileSamples.pdf)
        let intake = box.intake()
        var probe = try intake.probe(path: a)
        probe.identity = try intake.probe(path: b).identity
        // When a's path is read with b's device and inode
        let outcome = try intake.spool(probe, policy: box.policy())
        // Then the read refuses, as it would if a had been swapped after the check, and copies nothing
        #expect(outcome.denial?.code == .fileNotFound)
        #expect(outcome.denial?.detail.contains("replaced") == true)
        #expect(box.spoolFiles().isEmpty)
    }

    @Test func aFileReplacedAfterTheProbeIsRefused() throws {
        // Given a probe of a.pdf, after which another file is renamed over it
        let box = try FilesSandbox()
        let a = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        let intake = box.intake()
        let probe = try intake.probe(path: a)
        let other = try box.write(box.root + "/other.pdf", FileSamples.pdf)
        #expect(rename(other, a) == 0)
        // Then the read notices the different inode
        #expect(try intake.inspect(probe, policy: box.policy()).denial?.code == .fileNotFound)
    }

    @Test func aSymlinkSwappedInAfterTheProbeIsNotFollowed() throws {
        let box = try FilesSandbox()
        let a = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        let intake = box.intake()
        let probe = try intake.probe(path: a)
        try FileManager.default.removeItem(atPath: a)
        try box.symlink(a, to: try box.write(box.outside + "/x.pdf", FileSamples.pdf))
        #expect(try intake.spool(probe, policy: box.policy()).denial?.code == .fileSymlink)
        #expect(box.spoolFiles().isEmpty)
    }

    @Test func theCapIsOnTheBytesReadNotTheStatSize() throws {
        // Given a file larger than the cap, and a probe that (as if taken before it grew) says it is small
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/grew.txt", [UInt8](repeating: 0x61, count: 10_000))
        let intake = box.intake()
        var probe = try intake.probe(path: path)
        probe.size = 10
        let policy = box.policy(maxBytes: 4_096)
        #expect(FileCheck.precheck(probe, policy: policy) == nil)
        // When it is read
        let content = try #require(try intake.spool(probe, policy: policy).content)
        // Then reading stopped one byte past the cap, no copy is kept, and the content check refuses it
        #expect(content.exceededCap)
        #expect(content.byteCount == 4_097)
        #expect(content.spoolPath == nil)
        #expect(box.spoolFiles().isEmpty)
        #expect(FileCheck.contentCheck(content, extension: ".txt", policy: policy)?.code == .fileTooLarge)
    }

    @Test func openingAFIFOBehindARegularProbeDoesNotBlock() throws {
        // Given a FIFO and a forged probe claiming it is a small regular file
        let box = try FilesSandbox()
        let fifo = box.root + "/pipe.txt"
        #expect(mkfifo(fifo, 0o600) == 0)
        let intake = box.intake()
        var probe = try intake.probe(path: fifo)
        #expect(probe.nodeType == .fifo)
        probe.nodeType = .regular
        let (forged, policy) = (probe, box.policy())
        // When the read step opens it, with a deadline
        let code = runWithFileDeadline(seconds: 5) { (try? intake.spool(forged, policy: policy))?.denial?.code }
        if code == nil { releaseFileFIFO(fifo) }
        // Then the open returned at once and fstat refused it
        #expect(code == .some(.fileNotRegular))
        #expect(box.spoolFiles().isEmpty)
    }

    @Test func theReadStepRunsThePrecheckItself() throws {
        // Given a probe of a file outside the roots handed straight to the read step
        let box = try FilesSandbox()
        let path = try box.write(box.outside + "/secret.pdf", FileSamples.pdf)
        let intake = box.intake()
        let probe = try intake.probe(path: path)
        // Then nothing is read or copied
        #expect(try intake.spool(probe, policy: box.policy()).denial?.code == .fileOutsideRoots)
        #expect(!FileManager.default.fileExists(atPath: box.spool))
    }

    @Test func probeReportsWhatItSaw() throws {
        let box = try FilesSandbox()
        let path = try box.write(box.root + "/a.pdf", FileSamples.pdf)
        try box.symlink(box.root + "/link.pdf", to: path)
        let intake = box.intake()
        let real = try intake.probe(path: path)
        #expect(real.isRegular && !real.isSymlink && real.symlinkInPath == nil)
        #expect(real.size == Int64(FileSamples.pdf.count))
        #expect(real.resolvedPath == path)
        let link = try intake.probe(path: box.root + "/link.pdf")
        #expect(link.isSymlink && link.nodeType == .symlink)
        #expect(link.identity != real.identity)
        let missing = try intake.probe(path: box.root + "/missing.pdf")
        #expect(!missing.exists && missing.resolvedPath == nil)
    }
}
