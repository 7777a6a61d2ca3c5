/// Samples for the IBAN and national-ID detectors. Numbers are generated with valid checks at run time
/// (``ScannerFixtures``); negatives are near misses that must stay quiet.
extension DetectorSamples {
    static func ids(_ f: inout ScannerFixtures) -> [String: DetectorSamples] {
        typealias F = ScannerFixtures
        var samples: [String: DetectorSamples] = [:]

        // MARK: iban
        let de = f.iban(country: "DE", bbanLength: 18)
        let deGrouped = f.iban(country: "DE", bbanLength: 18, grouped: true)
        let gb = f.iban(country: "GB", bbanLength: 18, letters: 4)
        let nl = f.iban(country: "NL", bbanLength: 14, letters: 4, grouped: true)
        let fr = f.iban(country: "FR", bbanLength: 23, grouped: true)
        let no = f.iban(country: "NO", bbanLength: 11)
        let lc = f.iban(country: "LC", bbanLength: 28, letters: 4, grouped: true)
        let lower = f.iban(country: "BE", bbanLength: 12).lowercased()
        samples["iban"] = DetectorSamples(
            positives: [
                Positive(message: "Please transfer to \(de), thanks!", secret: de),
                Positive(message: "IBAN: \(deGrouped)\nBIC: COBADEFFXXX", secret: deGrouped),
                Positive(message: "pay to \(gb) (Monzo)", secret: gb),
                Positive(message: "Rekening \(nl) t.n.v. J. Jansen", secret: nl),
                Positive(message: "RIB / IBAN \(fr)", secret: fr),
                Positive(message: "konto: \(no).", secret: no),
                Positive(message: "\(lc)", secret: lc),
                Positive(message: "my iban is \(lower)", secret: lower),
            ],
            negatives: [
                // Check digits wrong (last digit changed).
                "IBAN: " + F.breakLuhn(de),
                // Wrong length for the country: one character too many, one too few.
                de + "7",
                "IBAN " + String(de.dropLast()),
                // No such country code.
                "QZ" + String(de.dropFirst(2)),
                // Placeholders.
                "IBAN: DE00 0000 0000 0000 0000 00",
                "IBAN: DE89 XXXX XXXX XXXX XXXX XX",
                // The examples of Wikipedia and the SWIFT registry, quoted in docs and tests.
                "e.g. DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432",
                // Inside a longer token.
                "ref" + de,
                // Talk about the format.
                "IBANs start with the country code, like DE or FR, then two check digits and up to 30 more.",
            ]
        )

        // MARK: us-ssn
        let ssn = f.ssnDigits()
        let ssn2 = f.ssnDigits()
        let ssn3 = f.ssnDigits()
        let ssnDashed = F.dashed(ssn, [3, 2, 4])
        samples["us-ssn"] = DetectorSamples(
            positives: [
                Positive(message: "My SSN is \(ssnDashed)", secret: ssnDashed),
                Positive(message: "ssn: \(F.text(ssn2))", secret: F.text(ssn2)),
                Positive(
                    message: "Social Security Number: \(F.dashed(ssn3, [3, 2, 4], " "))",
                    secret: F.dashed(ssn3, [3, 2, 4], " ")
                ),
                Positive(
                    message: "employee file: \(F.dashed(ssn2, [3, 2, 4])), hired 2019",
                    secret: F.dashed(ssn2, [3, 2, 4])),
            ],
            negatives: [
                // Area 000 and 666, group 00, serial 0000 are never issued.
                "SSN: 000-\(F.dashed(Array(ssn[3...]), [2, 4]))",
                "SSN 666-\(F.dashed(Array(ssn[3...]), [2, 4]))",
                "SSN: \(F.text(Array(ssn[0..<3])))-00-\(F.text(Array(ssn[5...])))",
                "SSN: \(F.text(Array(ssn[0..<3])))-\(F.text(Array(ssn[3..<5])))-0000",
                // Placeholders and the format described.
                "SSN: XXX-XX-XXXX",
                "The SSN format is 123-45-6789 (area, group, serial).",
                // Undashed without context: an order number.
                "order #\(F.text(ssn)) shipped",
                // A phone number and a date.
                "call (555) 123-4567 on 2023-11-28",
            ]
        )

        // MARK: us-itin
        let itin = f.itinDigits()
        let itin2 = f.itinDigits()
        let itin3 = f.itinDigits()
        samples["us-itin"] = DetectorSamples(
            positives: [
                Positive(message: "ITIN \(F.dashed(itin, [3, 2, 4]))", secret: F.dashed(itin, [3, 2, 4])),
                Positive(message: "my itin: \(F.text(itin2))", secret: F.text(itin2)),
                Positive(
                    message: "W-7 approved, number \(F.dashed(itin3, [3, 2, 4]))", secret: F.dashed(itin3, [3, 2, 4])),
            ],
            negatives: [
                // Groups 66–69, 89 and 93 are not ITIN groups (and 9xx is no SSN area).
                "ITIN 912-66-\(F.text(Array(itin[5...])))",
                "ITIN 912-93-\(F.text(Array(itin[5...])))",
                "ITIN: 987-40-1234",
                // Solid without context.
                "invoice \(F.text(itin))",
                // The format described.
                "ITINs look like 9XX-7X-XXXX.",
            ]
        )

        // MARK: uk-nino
        let nino = f.nino()
        let ninoSpaced = f.nino(spaced: true)
        let ninoLower = f.nino().lowercased()
        samples["uk-nino"] = DetectorSamples(
            positives: [
                Positive(message: "NI number: \(nino)", secret: nino),
                Positive(message: "National Insurance \(ninoSpaced) (on my payslip)", secret: ninoSpaced),
                Positive(message: "ni no is \(ninoLower)", secret: ninoLower),
            ],
            negatives: [
                // Prefix letters never issued: D, F, I, Q, U, V first; O second; the pair GB.
                "NI: DA" + nino.dropFirst(2),
                "NI: AO" + nino.dropFirst(2),
                "NI: GB" + nino.dropFirst(2),
                // HMRC's example prefix QQ, and a counting run.
                "e.g. QQ123456C",
                "AB123456C",
                // Suffix outside A–D, or none.
                String(nino.dropLast()) + "E",
                String(ninoSpaced.dropLast(2)),
                // Inside a word.
                "X" + nino,
            ]
        )

        // MARK: uk-nhs-number
        let nhs = f.nhsNumber()
        let nhs2 = f.nhsNumber()
        let nhs3 = f.nhsNumber()
        samples["uk-nhs-number"] = DetectorSamples(
            positives: [
                Positive(
                    message: "NHS number: \(F.dashed(nhs, [3, 3, 4], " "))", secret: F.dashed(nhs, [3, 3, 4], " ")),
                Positive(message: "nhs no \(F.text(nhs2))", secret: F.text(nhs2)),
                Positive(message: "My NHS No. is \(F.dashed(nhs3, [3, 3, 4]))", secret: F.dashed(nhs3, [3, 3, 4])),
            ],
            negatives: [
                // No context: a phone number.
                "call me on \(F.dashed(nhs, [3, 3, 4], " "))",
                // Check digit wrong.
                "NHS number: " + F.breakLuhn(F.text(nhs)),
                // Placeholders.
                "NHS number: 000 000 0000",
                "NHS number: 123 456 7890",
                // Prose.
                "Call NHS 111 for advice.",
            ]
        )

        // MARK: ca-sin
        let sin = f.sin()
        let sin2 = f.sin()
        let sin3 = f.sin()
        var sinEight = [8] + f.digitValues(7)
        sinEight.append(F.luhnCheckDigit(F.text(sinEight)))
        samples["ca-sin"] = DetectorSamples(
            positives: [
                Positive(message: "SIN: \(F.dashed(sin, [3, 3, 3], " "))", secret: F.dashed(sin, [3, 3, 3], " ")),
                Positive(message: "my social insurance number is \(F.text(sin2))", secret: F.text(sin2)),
                Positive(message: "NAS \(F.dashed(sin3, [3, 3, 3]))", secret: F.dashed(sin3, [3, 3, 3])),
            ],
            negatives: [
                // No context.
                "ticket \(F.dashed(sin, [3, 3, 3], " "))",
                // Spanish "sin" (without) is not the acronym.
                "pagado sin \(F.text(sin2))",
                // Luhn fails.
                "SIN: " + F.breakLuhn(F.text(sin)),
                // SINs starting with 8 are not issued.
                "SIN: \(F.text(sinEight))",
                // Placeholder.
                "SIN: 000 000 000",
            ]
        )

        // MARK: in-aadhaar
        let aadhaar = f.aadhaar()
        let aadhaar2 = f.aadhaar()
        let aadhaar3 = f.aadhaar()
        var aadhaarOne = [1] + f.digitValues(10)
        aadhaarOne.append(F.verhoeffCheckDigit(aadhaarOne))
        samples["in-aadhaar"] = DetectorSamples(
            positives: [
                Positive(
                    message: "Aadhaar: \(F.dashed(aadhaar, [4, 4, 4], " "))", secret: F.dashed(aadhaar, [4, 4, 4], " ")),
                Positive(message: "आधार संख्या \(F.text(aadhaar2))", secret: F.text(aadhaar2)),
                Positive(
                    message: "my aadhar no is \(F.dashed(aadhaar3, [4, 4, 4]))", secret: F.dashed(aadhaar3, [4, 4, 4])),
            ],
            negatives: [
                // No context.
                "booking ref \(F.dashed(aadhaar, [4, 4, 4], " "))",
                // Verhoeff fails.
                "Aadhaar " + F.breakLuhn(F.text(aadhaar)),
                // Aadhaar numbers never start with 0 or 1.
                "Aadhaar \(F.text(aadhaarOne))",
                // Placeholder.
                "Aadhaar: XXXX XXXX 1234",
            ]
        )

        // MARK: br-cpf
        let cpf = f.cpf()
        let cpf2 = f.cpf()
        let cpf3 = f.cpf()
        samples["br-cpf"] = DetectorSamples(
            positives: [
                Positive(message: "CPF: \(F.cpfFormatted(cpf))", secret: F.cpfFormatted(cpf)),
                Positive(message: "meu cpf é \(F.text(cpf2))", secret: F.text(cpf2)),
                Positive(message: "\(F.cpfFormatted(cpf3)) (titular)", secret: F.cpfFormatted(cpf3)),
            ],
            negatives: [
                // All-equal digits pass the arithmetic but are not issued.
                "CPF 111.111.111-11",
                // Check digits wrong.
                "CPF: " + F.cpfFormatted(Array(cpf.dropLast()) + [(cpf[10] + 1) % 10]),
                // Solid without context.
                "pedido \(F.text(cpf2))",
                // Wrong grouping.
                "CPF " + F.grouped(F.text(cpf), [3, 3, 2, 3], separator: "."),
            ]
        )

        // MARK: es-dni
        let dni = f.dni()
        let dni2 = f.dni()
        let dni3 = f.dni()
        let dniDashed = String(dni2.dropLast()) + "-" + String(dni2.last!)
        samples["es-dni"] = DetectorSamples(
            positives: [
                Positive(message: "DNI: \(dni)", secret: dni),
                Positive(message: "mi dni es \(dniDashed)", secret: dniDashed),
                Positive(message: "titular \(dni3.lowercased()) gracias", secret: dni3.lowercased()),
            ],
            negatives: [
                // Wrong control letter.
                "DNI " + String(dni.dropLast()) + (dni.last == "T" ? "R" : "T"),
                // Seven digits.
                "DNI " + String(dni.dropFirst()),
                // Placeholders: a counting run, repeated digits.
                "DNI: 12345678Z",
                "DNI: 00000000T",
                // An ISO timestamp.
                "20231128T153000Z",
                // Talk about the format.
                "El DNI tiene 8 dígitos y una letra.",
            ]
        )

        // MARK: es-nie
        let nie = f.nie()
        let nie2 = f.nie()
        let nie3 = f.nie()
        let nieDashed = F.grouped(nie2, [1, 7, 1], separator: "-")
        samples["es-nie"] = DetectorSamples(
            positives: [
                Positive(message: "NIE \(nie)", secret: nie),
                Positive(message: "mi NIE: \(nieDashed)", secret: nieDashed),
                Positive(message: "\(nie3.lowercased())", secret: nie3.lowercased()),
            ],
            negatives: [
                // Wrong control letter.
                "NIE " + String(nie.dropLast()) + (nie.last == "T" ? "R" : "T"),
                // Eight digits.
                "NIE " + String(nie.dropLast()) + "1" + String(nie.last!),
                // Placeholder.
                "NIE: X0000000T",
                // Inside a word.
                "QX" + nie.dropFirst(),
            ]
        )

        // MARK: nl-bsn
        let bsn = f.bsn()
        let bsn2 = f.bsn()
        let bsn3 = f.bsn()
        samples["nl-bsn"] = DetectorSamples(
            positives: [
                Positive(message: "BSN: \(F.text(bsn))", secret: F.text(bsn)),
                Positive(
                    message: "burgerservicenummer \(F.dashed(bsn2, [4, 2, 3], "."))",
                    secret: F.dashed(bsn2, [4, 2, 3], ".")),
                Positive(message: "Mijn sofinummer is \(F.text(bsn3))", secret: F.text(bsn3)),
            ],
            negatives: [
                // No context.
                "factuur \(F.text(bsn))",
                // 11-proof fails.
                "BSN " + F.breakLuhn(F.text(bsn)),
                // Placeholder.
                "BSN: 000000000",
                // Ten digits.
                "BSN: \(F.text(bsn))1",
            ]
        )

        // MARK: pl-pesel
        let pesel = f.pesel()
        let pesel2 = f.pesel()
        let pesel3 = f.pesel()
        // Month 13 with a matching check digit: the date is impossible.
        let badDateBody = [8, 5, 1, 3, 0, 1, 1, 2, 3, 4]
        let badDateSum = zip(badDateBody, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]).map(*).reduce(0, +)
        let badDate = badDateBody + [(10 - badDateSum % 10) % 10]
        samples["pl-pesel"] = DetectorSamples(
            positives: [
                Positive(message: "PESEL: \(F.text(pesel))", secret: F.text(pesel)),
                Positive(message: "numer PESEL \(F.text(pesel2))", secret: F.text(pesel2)),
                Positive(message: "pesel=\(F.text(pesel3))", secret: F.text(pesel3)),
            ],
            negatives: [
                // No context.
                "tel. \(F.text(pesel))",
                // Check digit wrong.
                "PESEL " + F.breakLuhn(F.text(pesel)),
                // Impossible date.
                "PESEL \(F.text(badDate))",
                // Placeholder.
                "PESEL: 00000000000",
            ]
        )

        // MARK: se-personnummer
        let (pn, pnYear) = f.personnummer()
        let (pn2, pn2Year) = f.personnummer()
        let (pn3, _) = f.personnummer()
        let pnDashed = F.dashed(pn, [6, 4])
        let pnLong = F.text(F.split(pn2Year / 100, 2) + pn2)
        let pnLongDashed = F.dashed(F.split(pnYear / 100, 2) + pn, [8, 4])
        let pnPlus = F.dashed(pn3, [6, 4], "+")
        samples["se-personnummer"] = DetectorSamples(
            positives: [
                Positive(message: "personnr \(pnDashed)", secret: pnDashed),
                Positive(message: "Personnummer: \(pnLong)", secret: pnLong),
                Positive(message: "\(pnLongDashed) (Anna)", secret: pnLongDashed),
                Positive(message: "farfar: \(pnPlus)", secret: pnPlus),
            ],
            negatives: [
                // Luhn fails.
                F.dashed(Array(F.breakLuhn(F.text(pn)).map { $0.wholeNumberValue! }), [6, 4]),
                // Month 13 (the Luhn digit recomputed).
                F.grouped("851301123" + String(F.luhnCheckDigit("851301123")), [6, 4], separator: "-"),
                // Solid without context: a timestamp-like number.
                "id \(F.text(pn))",
                // Placeholder.
                "ÅÅMMDD-XXXX",
            ]
        )

        // MARK: fr-nir
        let nir = f.nir()
        let nir2 = f.nir()
        let corsica = f.nir(corsica: true)
        let corsica2 = f.nir(corsica: true)
        samples["fr-nir"] = DetectorSamples(
            positives: [
                Positive(message: "numéro de sécu \(nir)", secret: nir),
                Positive(message: "carte Vitale : \(F.nirSpaced(nir2))", secret: F.nirSpaced(nir2)),
                Positive(message: "NIR \(corsica)", secret: corsica),
                Positive(message: "\(F.nirSpaced(corsica2))", secret: F.nirSpaced(corsica2)),
            ],
            negatives: [
                // Key wrong.
                "NIR " + F.breakLuhn(nir),
                // Sex digit 3, month 13 (keys recomputed).
                "NIR " + Self.nirWithKey("3" + nir.dropFirst().prefix(12)),
                "NIR " + Self.nirWithKey(nir.prefix(3) + "13" + nir.dropFirst(5).prefix(8)),
                // Placeholder.
                "0 00 00 00 000 000 00",
            ]
        )

        // MARK: sg-nric
        let nricS = f.nric(prefix: "S")
        let nricT = f.nric(prefix: "T")
        let finG = f.nric(prefix: "G")
        let finM = f.nric(prefix: "M")
        samples["sg-nric"] = DetectorSamples(
            positives: [
                Positive(message: "NRIC: \(nricS)", secret: nricS),
                Positive(message: "my ic \(nricT) pls", secret: nricT),
                Positive(message: "FIN \(finG)", secret: finG),
                Positive(message: "\(finM)", secret: finM),
            ],
            negatives: [
                // Wrong check letter.
                String(nricS.dropLast()) + (nricS.last == "A" ? "B" : "A"),
                // Prefix letter not issued.
                "A" + nricS.dropFirst(),
                // Six and eight digits.
                "S" + nricS.dropFirst(2),
                "S1" + nricS.dropFirst(),
                // Inside a word.
                "BS" + nricS.dropFirst(),
            ]
        )

        // MARK: cn-resident-id
        let cn = f.chineseID()
        let cn2 = f.chineseID()
        var cnX = f.chineseID()
        while cnX.last != "X" { cnX = f.chineseID() }
        let cnGrouped = F.grouped(cn2, [6, 8, 4], separator: " ")
        samples["cn-resident-id"] = DetectorSamples(
            positives: [
                Positive(message: "身份证号：\(cn)", secret: cn),
                Positive(message: "ID \(cnGrouped)", secret: cnGrouped),
                Positive(message: "证件号码 \(cnX)。", secret: cnX),
            ],
            negatives: [
                // Check character wrong.
                "身份证 " + String(cn.dropLast()) + (cn.last == "0" ? "1" : "0"),
                // Impossible date: month 13 (and the check no longer matches either).
                String(cn.prefix(10)) + "13" + String(cn.dropFirst(12)),
                // No such region.
                "99" + cn.dropFirst(2),
                // Seventeen digits.
                String(cn.dropLast()),
            ]
        )

        // MARK: au-tfn
        let tfn = f.tfn()
        let tfn2 = f.tfn()
        let tfn3 = f.tfn()
        samples["au-tfn"] = DetectorSamples(
            positives: [
                Positive(message: "TFN: \(F.dashed(tfn, [3, 3, 3], " "))", secret: F.dashed(tfn, [3, 3, 3], " ")),
                Positive(message: "tax file number \(F.text(tfn2))", secret: F.text(tfn2)),
                Positive(message: "My TFN is \(F.text(tfn3)).", secret: F.text(tfn3)),
            ],
            negatives: [
                // No context.
                "parcel \(F.dashed(tfn, [3, 3, 3], " "))",
                // Check fails.
                "TFN " + F.breakLuhn(F.text(tfn)),
                // Placeholder.
                "TFN: 000 000 000",
                // Prose.
                "Quote your TFN on the form.",
            ]
        )

        // MARK: fi-hetu
        let hetu = f.hetu()
        let hetu2 = f.hetu()
        let hetu3 = f.hetu()
        samples["fi-hetu"] = DetectorSamples(
            positives: [
                Positive(message: "henkilötunnus \(hetu)", secret: hetu),
                Positive(message: "HETU: \(hetu2)", secret: hetu2),
                Positive(message: "\(hetu3), Helsinki", secret: hetu3),
            ],
            negatives: [
                // Check character wrong.
                String(hetu.dropLast()) + (hetu.last == "Y" ? "X" : "Y"),
                // No such date (31 February); the check is recomputed.
                Self.hetuWithCheck("310290-123"),
                // Not a century sign.
                String(hetu.prefix(6)) + "G" + String(hetu.dropFirst(7)),
                // Placeholder.
                "DDMMYY-NNNC",
            ]
        )
        return samples
    }

    /// 13 NIR digits with their key appended.
    private static func nirWithKey(_ first13: some StringProtocol) -> String {
        let key = 97 - Int(first13)! % 97
        return first13 + ScannerFixtures.twoDigits(key)
    }

    /// A HETU body `DDMMYYCNNN` with its check character appended.
    private static func hetuWithCheck(_ body: String) -> String {
        let digits = body.filter(\.isNumber)
        return body + String(Array("0123456789ABCDEFHJKLMNPRSTUVWXY")[Int(digits)! % 31])
    }

    /// How each of these detectors masks a finding: the kind alone; an IBAN adds its country and last four.
    static func idMask(id: String, secret: String) -> String? {
        if id == "iban" {
            let compact = secret.filter { $0 != " " }.uppercased()
            return "IBAN \(compact.prefix(2)) …\(compact.suffix(4))"
        }
        return idMaskLabels[id]
    }

    static let idMaskLabels: [String: String] = [
        "us-ssn": "US SSN", "us-itin": "US ITIN", "uk-nino": "UK National Insurance number",
        "uk-nhs-number": "NHS number", "ca-sin": "Canadian SIN", "in-aadhaar": "Aadhaar number",
        "br-cpf": "Brazilian CPF", "es-dni": "Spanish DNI", "es-nie": "Spanish NIE", "nl-bsn": "Dutch BSN",
        "pl-pesel": "Polish PESEL", "se-personnummer": "Swedish personnummer", "fr-nir": "French NIR",
        "sg-nric": "Singapore NRIC/FIN", "cn-resident-id": "Chinese resident ID", "au-tfn": "Australian TFN",
        "fi-hetu": "Finnish HETU",
    ]
}
