import GatehouseCore
import Testing

/// Runs every detector's true- and false-positive samples, as gitleaks' `utils.Validate` does at generation.
@Suite("Detector samples")
struct DetectorSampleTests {
    let scanner = SecretScanner()

    @Test func everyBuiltinDetectorHasSamples() {
        #expect(Set(DetectorSamples.all.keys) == Set(Detector.builtin.map(\.id)))
        for detector in Detector.builtin {
            let samples = DetectorSamples.all[detector.id]
            #expect((samples?.positives.count ?? 0) >= 2, "\(detector.id) needs true positives")
            #expect((samples?.negatives.count ?? 0) >= 2, "\(detector.id) needs false positives")
        }
    }

    @Test(arguments: Detector.builtin.map(\.id))
    func truePositivesAreFoundExactly(id: String) throws {
        let samples = try #require(DetectorSamples.all[id])
        for sample in samples.positives {
            // When: the message is scanned
            let findings = scanner.scan(sample.message)
            // Then: one finding of this kind covers exactly the secret
            let expected = try #require(ScannerFixtures.byteRange(of: sample.secret, in: sample.message))
            #expect(findings.count == 1, "\(id): \(findings) in \(sample.message.debugDescription)")
            #expect(findings.first?.kind == id, "\(sample.message.debugDescription)")
            #expect(findings.first?.range == expected, "\(sample.message.debugDescription)")
        }
    }

    @Test(arguments: Detector.builtin.map(\.id))
    func falsePositivesAreNotFound(id: String) throws {
        let samples = try #require(DetectorSamples.all[id])
        for negative in samples.negatives {
            #expect(scanner.scan(negative) == [], "\(id) false positive: \(negative.debugDescription)")
        }
    }

    @Test(arguments: Detector.builtin.map(\.id))
    func maskedValuesShowOnlyThePublicPrefixAndLength(id: String) throws {
        let samples = try #require(DetectorSamples.all[id])
        for sample in samples.positives {
            let finding = try #require(scanner.scan(sample.message).first)
            let masked = finding.masked
            if id == "payment-card" {
                let digits = sample.secret.filter(\.isNumber)
                #expect(masked == "card …\(digits.suffix(4))")
                continue
            }
            if let expected = DetectorSamples.idMask(id: id, secret: sample.secret) {
                #expect(masked == expected, "\(sample.message.debugDescription)")
                continue
            }
            // "<prefix>…[<n> chars]", where the prefix starts the secret and n is its length.
            let parts = masked.split(separator: "…", maxSplits: 1, omittingEmptySubsequences: false)
            try #require(parts.count == 2, "\(masked)")
            let prefix = String(parts[0])
            #expect(sample.secret.hasPrefix(prefix), "\(masked)")
            #expect(parts[1] == "[\(sample.secret.unicodeScalars.count) chars]", "\(masked)")
            // Nothing of the secret beyond its public prefix appears in the mask. (A PEM block's END line
            // repeats its public header, hence the second condition.)
            let body = Array(sample.secret.dropFirst(prefix.count))
            for start in stride(from: 0, through: max(0, body.count - 5), by: 1) where body.count >= 5 {
                let window = String(body[start..<(start + 5)])
                #expect(!masked.contains(window) || prefix.contains(window), "\(masked) reveals \(window)")
            }
        }
    }
}
