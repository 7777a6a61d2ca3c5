import Testing

@testable import GatehouseCore

@Suite struct FilePathRulesTests {
    @Test func wellFormedPathsHaveNoProblem() {
        #expect(FilePathRules.problem(with: "/srv/share/a.pdf") == nil)
        #expect(FilePathRules.problem(with: "~/share/a.pdf") == nil)
        #expect(FilePathRules.problem(with: "/srv/share/../x.pdf") == nil)  // judged by the roots check
    }

    @Test(arguments: [
        "", "share/a.pdf", "./a.pdf", "../a.pdf", "/srv/a\u{0}.pdf", "/srv/a\n.pdf", "/srv/a\u{7F}.pdf", "/srv/share/",
        "/" + String(repeating: "a", count: 256) + ".pdf",
        String(repeating: "/abcdefgh", count: 512),
    ])
    func malformedPathsHaveAProblem(path: String) {
        #expect(FilePathRules.problem(with: path) != nil)
    }

    @Test func tildeExpansion() {
        #expect(FilePathRules.expandingTilde("~/a.pdf", home: "/home/me") == "/home/me/a.pdf")
        #expect(FilePathRules.expandingTilde("~/a.pdf", home: "/home/me/") == "/home/me/a.pdf")
        #expect(FilePathRules.expandingTilde("~", home: "/home/me") == "/home/me")
        #expect(FilePathRules.expandingTilde("~/a.pdf", home: "/") == "/a.pdf")
        #expect(FilePathRules.expandingTilde("/abs/a.pdf", home: nil) == "/abs/a.pdf")
        #expect(FilePathRules.expandingTilde("~/a.pdf", home: nil) == nil)
        #expect(FilePathRules.expandingTilde("~/a.pdf", home: "relative") == nil)
        #expect(FilePathRules.expandingTilde("~root/a.pdf", home: "/home/me") == nil)
    }

    @Test func lexicalNormalisation() {
        #expect(FilePathRules.lexicallyNormalized("/a/./b//c/../d") == "/a/b/d")
        #expect(FilePathRules.lexicallyNormalized("/a/../../../etc/passwd") == "/etc/passwd")
        #expect(FilePathRules.lexicallyNormalized("/") == "/")
    }

    @Test func containmentIsOnComponentBoundaries() {
        #expect(FilePathRules.isInside("/a/b/c.pdf", root: "/a/b"))
        #expect(FilePathRules.isInside("/a/b/c.pdf", root: "/a/b/"))
        #expect(FilePathRules.isInside("/a/b/x/y/c.pdf", root: "/a/b"))
        #expect(!FilePathRules.isInside("/a/bc", root: "/a/b"))
        #expect(!FilePathRules.isInside("/a/bc/c.pdf", root: "/a/b"))
        #expect(!FilePathRules.isInside("/a/b", root: "/a/b"))  // the root itself is not a file in it
        #expect(!FilePathRules.isInside("/a/b/../c.pdf", root: "/a/b"))
        #expect(FilePathRules.isInside("/etc/passwd", root: "/"))
    }

    @Test func relativeRootsContainNothing() {
        #expect(!FilePathRules.isInside("/a/b/c.pdf", root: "a/b"))
        #expect(!FilePathRules.isInside("/a/b/c.pdf", root: ""))
    }

    @Test func comparisonIsByBytesNotCanonicalEquivalence() {
        // Given "café" as NFC and as NFD, which Swift's == treats as equal but Linux treats as two names
        let nfc = "/srv/caf\u{E9}"
        let nfd = "/srv/cafe\u{301}"
        #expect(nfc == nfd)
        // Then one is not a root for the other's files
        #expect(!FilePathRules.isInside(nfd + "/a.pdf", root: nfc))
    }

    @Test func shownPathsAreSafeAndBounded() {
        #expect(FilePathRules.shown("/a\nb") == "/a?b")
        let long = "/" + String(repeating: "x", count: 1000)
        #expect(FilePathRules.shown(long).count <= 160)
    }
}
