/// The formats ``IdentityNumberSweep`` reports, each under its detector's ID.
enum IdentityNumberKind: String, CaseIterable, Sendable {
    case iban
    case usSSN = "us-ssn"
    case usITIN = "us-itin"
    case ukNINO = "uk-nino"
    case ukNHSNumber = "uk-nhs-number"
    case caSIN = "ca-sin"
    case inAadhaar = "in-aadhaar"
    case brCPF = "br-cpf"
    case esDNI = "es-dni"
    case esNIE = "es-nie"
    case nlBSN = "nl-bsn"
    case plPESEL = "pl-pesel"
    case sePersonnummer = "se-personnummer"
    case frNIR = "fr-nir"
    case sgNRIC = "sg-nric"
    case cnResidentID = "cn-resident-id"
    case auTFN = "au-tfn"
    case fiHETU = "fi-hetu"

    /// The mask of a national ID names its kind and nothing of the number.
    var maskLabel: String {
        switch self {
        case .iban: "IBAN"
        case .usSSN: "US SSN"
        case .usITIN: "US ITIN"
        case .ukNINO: "UK National Insurance number"
        case .ukNHSNumber: "NHS number"
        case .caSIN: "Canadian SIN"
        case .inAadhaar: "Aadhaar number"
        case .brCPF: "Brazilian CPF"
        case .esDNI: "Spanish DNI"
        case .esNIE: "Spanish NIE"
        case .nlBSN: "Dutch BSN"
        case .plPESEL: "Polish PESEL"
        case .sePersonnummer: "Swedish personnummer"
        case .frNIR: "French NIR"
        case .sgNRIC: "Singapore NRIC/FIN"
        case .cnResidentID: "Chinese resident ID"
        case .auTFN: "Australian TFN"
        case .fiHETU: "Finnish HETU"
        }
    }

    /// Words that must precede a bare number of this kind, whose check passes one random number in ten or
    /// eleven (or that has none). Empty for formats strong enough to stand alone.
    var contextWords: [ContextWord] { Self.contextWordsByKind[self] ?? [] }

    /// Built once: the sweep consults them for every number that passes a weak check.
    private static let contextWordsByKind: [IdentityNumberKind: [ContextWord]] = [
        .usSSN: ["ssn", "social security", "soc sec", "seguro social"],
        .usITIN: ["itin", "taxpayer identification", "taxpayer id", "tax id"],
        .ukNHSNumber: ["nhs", "national health"],
        .caSIN: ["SIN", "sin number", "sin no", "social insurance", "NAS", "assurance sociale"],
        .inAadhaar: ["aadhaar", "aadhar", "adhaar", "uidai", "UID", "आधार"],
        .brCPF: ["cpf", "cadastro de pessoas"],
        .nlBSN: ["bsn", "burgerservicenummer", "burgerservice nummer", "sofinummer", "citizen service number"],
        .plPESEL: ["pesel"],
        .sePersonnummer: ["personnummer", "personnr", "person nr", "samordningsnummer", "personal identity number"],
        .auTFN: ["tfn", "tax file number", "tax file no"],
    ]

    /// Whether `d` (digits only) is a well-formed number of this kind; for the digits-only formats.
    func isValid(_ d: [Int]) -> Bool {
        isWellFormed(d) && !NationalIDChecksum.isPlaceholder(d)
    }

    private func isWellFormed(_ d: [Int]) -> Bool {
        let n = NationalIDChecksum.number
        let parts = d.count == 9 ? (n(d, 0..<3), n(d, 3..<5), n(d, 5..<9)) : (0, 0, 0)
        switch self {
        case .usSSN: return d.count == 9 && NationalIDChecksum.isSSN(area: parts.0, group: parts.1, serial: parts.2)
        case .usITIN: return d.count == 9 && NationalIDChecksum.isITIN(area: parts.0, group: parts.1, serial: parts.2)
        // SINs starting 0 or 8 are not issued.
        case .caSIN: return d.count == 9 && d[0] != 0 && d[0] != 8 && NationalIDChecksum.luhn(d)
        case .auTFN: return NationalIDChecksum.tfn(d)
        case .nlBSN: return NationalIDChecksum.elevenProof(d)
        case .ukNHSNumber: return NationalIDChecksum.nhsNumber(d)
        case .sePersonnummer: return NationalIDChecksum.swedishPersonnummer(d)
        case .plPESEL: return NationalIDChecksum.pesel(d)
        case .brCPF: return NationalIDChecksum.cpf(d)
        // Aadhaar numbers never start with 0 or 1 (UIDAI).
        case .inAadhaar: return d.count == 12 && d[0] >= 2 && NationalIDChecksum.verhoeff(d)
        default: return false
        }
    }
}
