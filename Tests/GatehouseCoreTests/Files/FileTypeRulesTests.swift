import Testing

@testable import GatehouseCore

@Suite struct FileTypeRulesTests {
    @Test func extensionsMapToKinds() {
        #expect(FileTypeRules.expectedKinds(forExtension: ".pdf") == [.pdf])
        #expect(FileTypeRules.expectedKinds(forExtension: "PDF") == [.pdf])
        #expect(FileTypeRules.expectedKinds(forExtension: ".JPG") == [.jpeg])
        #expect(FileTypeRules.expectedKinds(forExtension: ".docx") == [.zip])
        #expect(FileTypeRules.expectedKinds(forExtension: ".xls") == [.ole])
        #expect(FileTypeRules.expectedKinds(forExtension: ".csv") == [.text])
        #expect(FileTypeRules.expectedKinds(forExtension: ".mov") == [.isoMedia])
    }

    @Test(arguments: [".exe", ".html", ".svg", ".js", ".sh", "", ".", ".tar.gz", ".unknown"])
    func noCheckMeansNil(ext: String) {
        #expect(FileTypeRules.expectedKinds(forExtension: ext) == nil)
    }

    @Test func noExtensionEverExpectsAnExecutable() {
        for ext in FileTypeRules.knownExtensions {
            let kinds = FileTypeRules.expectedKinds(forExtension: ext) ?? []
            #expect(!kinds.contains { $0.isExecutable }, "\(ext)")
            #expect(!kinds.contains(.unknown), "\(ext)")
        }
    }

    @Test(arguments: [
        ("/a/report.PDF", ".pdf"),
        ("/a/archive.tar.gz", ".gz"),
        ("/a/invoice.pdf.exe", ".exe"),
        ("holiday.png", ".png"),
    ])
    func fileExtension(path: String, ext: String) {
        #expect(FileTypeRules.fileExtension(ofPath: path) == ext)
    }

    @Test(arguments: ["/a/README", "/a/.bashrc", "/a/.pdf", "/a/trailing.", "/"])
    func noFileExtension(path: String) {
        #expect(FileTypeRules.fileExtension(ofPath: path) == nil)
    }
}
