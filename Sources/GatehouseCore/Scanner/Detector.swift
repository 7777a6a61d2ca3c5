/// One kind of secret and how to recognise it: an ID, literal keywords and a hand-written validator.
///
/// Modelled on gitleaks' `config.Rule`, with a validator where gitleaks has a regex: no regex engine runs on
/// the gate's hot path, because both Swift engines backtrack without bound (SWIFT-NOTES.md, "Regex and scanning").
/// ``SecretScanner`` runs a keyword detector's validator only where one of its keywords occurs, and a
/// keywordless (sweep) detector once over the whole text.
///
/// - Warning: A validator must run in time linear in the text it reads, and must not read far past a hit
///   unless no other hit of the same detector can lie in what it read (see ``DetectorVerdict``).
///   Otherwise a hostile message turns the scan quadratic.
public struct Detector: Sendable {
    /// How a detector confirms a candidate.
    public enum Validator: Sendable {
        /// Called at each keyword hit, in text order, except hits the scanner skips (see ``DetectorVerdict``).
        case atKeyword(@Sendable (_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict)
        /// Called once per scan for detectors with no keyword, such as payment cards.
        case sweep(@Sendable (_ text: ScanText) -> [DetectorMatch])
        /// One keywordless pass that several detectors share (the national-ID formats share one pass over
        /// digit runs): run once per scan, however many of its detectors are in use.
        case sharedSweep(SharedSweep)
    }

    /// Stable kebab-case ID; it leaves the process in findings, redactions and the audit.
    public let id: String
    /// One sentence for operators: what is found and why it matters.
    public let summary: String
    public let category: FindingCategory
    /// The group of formats it belongs to, which policy can act on as a whole (`secrets.actions`).
    public let family: DetectorFamily
    public let severity: FindingSeverity
    /// Lower-case ASCII literals for the prefilter; empty exactly for sweep detectors.
    public let keywords: [String]
    /// True for detectors that key on context rather than a token format (assignments, `Bearer`).
    /// When findings overlap, a specific detector's kind wins over a generic one's.
    public let isGeneric: Bool
    public let validator: Validator

    /// - Precondition: `id` is non-empty kebab-case (`[a-z0-9-]`); keywords are non-empty lower-case ASCII;
    ///   a keyword validator has keywords and a sweep has none. Detectors are code, so a bad one is a bug.
    public init(
        id: String,
        summary: String,
        category: FindingCategory,
        family: DetectorFamily,
        severity: FindingSeverity,
        keywords: [String],
        isGeneric: Bool = false,
        validator: Validator
    ) {
        precondition(
            !id.isEmpty && id.utf8.allSatisfy { ScanBytes.isLower($0) || ScanBytes.isDigit($0) || $0 == 0x2D },
            "Detector: id '\(id)' must be non-empty kebab-case"
        )
        precondition(
            keywords.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 < 0x80 && !ScanBytes.isUpper($0) } },
            "Detector \(id): keywords must be non-empty lower-case ASCII"
        )
        switch validator {
        case .atKeyword: precondition(!keywords.isEmpty, "Detector \(id): a keyword validator needs keywords")
        case .sweep, .sharedSweep:
            precondition(keywords.isEmpty, "Detector \(id): a sweep detector takes no keywords")
        }
        self.id = id
        self.summary = summary
        self.category = category
        self.family = family
        self.severity = severity
        self.keywords = keywords
        self.isGeneric = isGeneric
        self.validator = validator
    }
}

/// A keywordless pass shared by several detectors; each match names the detector it belongs to.
///
/// Formats without a literal to key on would each need a pass over every byte; sharing one keeps the
/// catalogue's cost per byte flat as formats are added.
public struct SharedSweep: Sendable {
    /// A match and the ID of the detector it is reported under.
    public struct Match: Sendable, Equatable {
        public var detectorID: String
        public var match: DetectorMatch

        public init(detectorID: String, match: DetectorMatch) {
            self.detectorID = detectorID
            self.match = match
        }
    }

    /// Names the pass: detectors whose sweeps have the same name share one run of it.
    public let name: String
    public let run: @Sendable (_ text: ScanText) -> [Match]

    public init(name: String, run: @escaping @Sendable (_ text: ScanText) -> [Match]) {
        self.name = name
        self.run = run
    }
}

/// The families of the catalogue; their raw values name them in config (`secrets.actions`) and findings.
public enum DetectorFamily: String, Sendable, Codable, CaseIterable {
    /// Cloud and platform keys: AWS, Google, Azure, GCP, DigitalOcean, Databricks.
    case cloud
    /// Code hosting and package registries: GitHub, GitLab, npm, PyPI.
    case codeHosting = "code-hosting"
    /// AI and SaaS API keys: OpenAI, Anthropic, Stripe, Slack, Twilio and the like.
    case saas
    /// Private keys and wallets: PEM blocks, age keys, seed phrases, TOTP seeds.
    case privateKey = "private-key"
    /// Credentials in context: JWTs, Authorization headers, passwords in URLs, assignments and prose.
    case credential
    /// Payment and banking: card numbers, IBANs.
    case payment
    /// National and health identity numbers.
    case nationalID = "national-id"
}

/// Where the prefilter found one of a detector's keywords.
public struct KeywordHit: Sendable, Equatable {
    /// Byte range of the keyword in the text.
    public let range: Range<Int>
    /// Index of the keyword in the detector's `keywords`.
    public let keywordIndex: Int

    public init(range: Range<Int>, keywordIndex: Int) {
        self.range = range
        self.keywordIndex = keywordIndex
    }
}

/// How a finding is described without revealing it.
public enum MaskStyle: Sendable, Equatable {
    /// A fixed, public prefix (`"ghp_"`, `"AKIA"`, possibly empty) and the length: `ghp_…[40 chars]`.
    case prefixAndLength(String)
    /// A complete description chosen by the detector, such as `card …1234`.
    case fixed(String)

    /// The masked text for a match of `length` Unicode scalars.
    public func render(length: Int) -> String {
        switch self {
        case .prefixAndLength(let prefix): "\(prefix)…[\(length) chars]"
        case .fixed(let text): text
        }
    }
}

/// A confirmed match: the bytes to redact and how to describe them.
public struct DetectorMatch: Sendable, Equatable {
    public var range: Range<Int>
    public var mask: MaskStyle

    public init(range: Range<Int>, mask: MaskStyle) {
        self.range = range
        self.mask = mask
    }
}

/// What a validator decided at one keyword hit.
public enum DetectorVerdict: Sendable, Equatable {
    /// A secret. The scanner skips this detector's later hits inside the match.
    case match(DetectorMatch)
    case noMatch
    /// No secret, and the validator examined and rejected everything up to this offset (a placeholder value,
    /// say). The scanner skips this detector's later hits that start before it, so overlapping candidates
    /// (`pwd=<pwd=<pwd=…>`) are read once, not once per hit.
    case noMatchBefore(Int)
}
