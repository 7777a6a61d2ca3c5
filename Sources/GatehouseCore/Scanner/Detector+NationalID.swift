extension Detector {
    // National and health ID numbers. All are found by the one shared number sweep (``IdentityNumberSweep``),
    // category personal, severity high, and masked by their kind alone (`US SSN`), never a digit.

    /// US Social Security numbers: area 001–899 except 666, group 01–99, serial 0001–9999 (SSA rules; no
    /// check digit). The dashed `123-45-6789` stands alone; `123 45 6789` and `123456789` need a context word
    /// before them ("SSN", "social security"). Counting runs, repeated digits and voided sample-card
    /// numbers are refused.
    public static let usSSN = nationalID(
        .usSSN,
        summary: "A US Social Security number; identity data used for credit and tax fraud."
    )

    /// US ITINs (IRS): area 900–999, group 50–65, 70–88, 90–92 or 94–99, then four digits. The dashed form
    /// stands alone; spaced or solid ones need "ITIN", "taxpayer identification" or "tax id" before them.
    public static let usITIN = nationalID(
        .usITIN,
        summary: "A US Individual Taxpayer Identification Number; identity data used for tax fraud."
    )

    /// UK National Insurance numbers (HMRC NIM39110): two prefix letters (not D, F, I, Q, U, V; second not
    /// O; not BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A–D; `AB123456C` or `AB 12 34 56 C`. No check
    /// digit, but letters in fixed places make it distinctive enough to stand alone.
    public static let ukNINO = nationalID(
        .ukNINO,
        summary: "A UK National Insurance number; identity data used for benefit and tax fraud."
    )

    /// NHS numbers: ten digits, mod-11 check digit (NHS Data Dictionary), solid or `943 476 5919` / dashed.
    /// One random number in eleven passes, so "NHS" or "national health" must come before it.
    public static let ukNHSNumber = nationalID(
        .ukNHSNumber,
        summary: "An NHS number (England, Wales, Isle of Man); health identity data."
    )

    /// Canadian SINs: nine digits with a Luhn check, not starting 0 or 8 (ESDC); solid or `046 454 286` /
    /// dashed. Luhn passes one number in ten: "SIN", "social insurance", "NAS" or "assurance sociale" must
    /// come before it (upper-case "SIN"/"NAS" only, since Spanish "sin" is a common word).
    public static let caSIN = nationalID(
        .caSIN,
        summary: "A Canadian Social Insurance Number; identity data used for benefit and tax fraud."
    )

    /// Indian Aadhaar numbers (UIDAI): twelve digits, first 2–9, Verhoeff check digit; solid or
    /// `2345 6789 0123` / dashed. Verhoeff passes one number in ten: "Aadhaar" (or "aadhar", "UID",
    /// "UIDAI", "आधार") must come before it.
    public static let inAadhaar = nationalID(
        .inAadhaar,
        summary: "An Indian Aadhaar number; biometric-linked identity data."
    )

    /// Brazilian CPFs (Receita Federal): eleven digits with two mod-11 check digits. The printed
    /// `000.000.000-00` stands alone (1 in 100 pass both checks, and the punctuation is distinctive); the
    /// solid form needs "CPF" before it. All-equal numbers pass the arithmetic and are refused.
    public static let brCPF = nationalID(
        .brCPF,
        summary: "A Brazilian CPF (taxpayer) number; identity data used for fraud."
    )

    /// Spanish DNIs: eight digits and the control letter (number mod 23 into `TRWAGMYFPDXBNJZSQVHLCKE`),
    /// `12345678Z` or `12345678-Z`, letter in either case. The letter in a fixed place stands alone.
    public static let esDNI = nationalID(.esDNI, summary: "A Spanish DNI number; identity data used for fraud.")

    /// Spanish NIEs: X, Y or Z (0, 1, 2), seven digits and the DNI control letter; `X1234567L` or
    /// `X-1234567-L`. Letters in fixed places stand alone.
    public static let esNIE = nationalID(
        .esNIE,
        summary: "A Spanish NIE (foreigner identity) number; identity data used for fraud."
    )

    /// Dutch BSNs: nine digits (eight with a leading zero dropped) passing the 11-proof with weights
    /// 9…2, −1; solid or `1234.56.789`. One number in eleven passes, so "BSN", "burgerservicenummer" or
    /// "sofinummer" must come before it.
    public static let nlBSN = nationalID(
        .nlBSN,
        summary: "A Dutch citizen service number (BSN); identity data used for fraud."
    )

    /// Polish PESELs: eleven digits, YYMMDD birth date (century folded into the month), a serial, and a
    /// check digit over weights 1,3,7,9. A date and a 1-in-10 check still pass ~2% of random 11-digit
    /// numbers (phone numbers among them), so "PESEL" must come before it.
    public static let plPESEL = nationalID(
        .plPESEL,
        summary: "A Polish PESEL number; identity data that includes the birth date and sex."
    )

    /// Swedish personnummer and samordningsnummer (Skatteverket): YYMMDD-NNNN (`+` once 100 years old) or
    /// YYYYMMDD-NNNN, a valid date (coordination numbers add 60 to the day) and Luhn over the last ten
    /// digits. The dashed forms stand alone; solid 10- or 12-digit ones (timestamps look alike) need
    /// "personnummer" or "samordningsnummer" before them.
    public static let sePersonnummer = nationalID(
        .sePersonnummer,
        summary: "A Swedish personal identity number; identity data that includes the birth date."
    )

    /// French NIRs (INSEE): sex (1, 2; 7, 8 provisional), YY, MM (01–12 or 20–42), department (2 digits or
    /// 2A/2B), commune, order, and the key 97 − (first 13 digits mod 97), Corsica counting 2A as 19 and 2B as
    /// 18. Solid or `1 85 05 78 006 084 36`. The 1-in-97 key and the fixed fields stand alone.
    public static let frNIR = nationalID(
        .frNIR,
        summary: "A French social security number (NIR); identity data that includes sex, birth date and place."
    )

    /// Singapore NRIC/FIN: S, T (citizens and PRs), F, G, M (foreigners), seven digits and a check letter
    /// from weights 2,7,6,5,4,3,2 (ICA), e.g. `S1234567D`. Letters in fixed places stand alone.
    public static let sgNRIC = nationalID(.sgNRIC, summary: "A Singapore NRIC or FIN; identity data used for fraud.")

    /// Chinese resident identity numbers (GB 11643-1999): a province-level region code, the birth date
    /// YYYYMMDD, a sequence and an ISO 7064 MOD 11-2 check character (0–9 or X); 18 characters, solid or
    /// spaced 6-8-4. A date and an 1-in-11 check over 18 digits stand alone.
    public static let cnResidentID = nationalID(
        .cnResidentID,
        summary: "A Chinese resident identity card number; identity data that includes the birth date."
    )

    /// Australian TFNs (ATO): nine digits (or eight, older) with a weighted mod-11 check; solid or
    /// `123 456 782`. One number in eleven passes, so "TFN" or "tax file number" must come before it.
    public static let auTFN = nationalID(
        .auTFN,
        summary: "An Australian Tax File Number; identity data used for tax fraud."
    )

    /// Finnish HETUs (DVV): DDMMYY, a century sign (`+` 1800s; `-`, `Y`, `X`, `W`, `V`, `U` 1900s; `A`–`F`
    /// 2000s, the letters besides `-` and `A` added in 2023), an individual number 002–999 and the mod-31
    /// check character, e.g. `131052-308T`. A date, the sign and the check stand alone.
    public static let fiHETU = nationalID(
        .fiHETU,
        summary: "A Finnish personal identity code (henkilötunnus); identity data that includes the birth date."
    )

    private static func nationalID(_ kind: IdentityNumberKind, summary: String) -> Detector {
        Detector(
            id: kind.rawValue,
            summary: summary,
            category: .personal,
            family: .nationalID,
            severity: .high,
            keywords: [],
            validator: .sharedSweep(IdentityNumberSweep.shared)
        )
    }

    /// The national-ID detectors, one per ``IdentityNumberKind`` but IBAN.
    static let nationalIDs: [Detector] = [
        usSSN, usITIN, ukNINO, ukNHSNumber, caSIN, inAadhaar, brCPF, esDNI, esNIE, nlBSN, plPESEL, sePersonnummer,
        frNIR, sgNRIC, cnResidentID, auTFN, fiHETU,
    ]
}
