/// True- and false-positive samples for the AI and SaaS API key detectors.
extension DetectorSamples {
    static func saas(_ f: inout ScannerFixtures) -> [String: DetectorSamples] {
        typealias F = ScannerFixtures
        var samples: [String: DetectorSamples] = [:]

        // MARK: anthropic-api-key
        let anthropic = f.anthropicKey()
        let anthropicAdmin = f.anthropicKey(kind: "admin01")
        let anthropicQuoted = f.anthropicKey()
        samples["anthropic-api-key"] = DetectorSamples(
            positives: [
                Positive(message: "export ANTHROPIC_API_KEY=\(anthropic)", secret: anthropic),
                Positive(message: "admin key for the org: \(anthropicAdmin) (rotate friday)", secret: anthropicAdmin),
                Positive(message: "client = Anthropic(api_key=\"\(anthropicQuoted)\")", secret: anthropicQuoted),
            ],
            negatives: [
                // Does not end in AA.
                String(anthropic.dropLast(2)) + "AB",
                // One character short and one too long.
                String(anthropic.dropLast(3)) + "AA",
                String(anthropic.dropLast(2)) + "xAA",
                // Wrong alphabet: a dot inside the body.
                "sk-ant-api03-" + f.mixed(F.base64URL, 50) + "." + f.mixed(F.base64URL, 42) + "AA",
                // Placeholders and talk about the format.
                "Anthropic keys look like sk-ant-api03-... and are 108 characters long.",
                "sk-ant-api03-" + String(repeating: "x", count: 93) + "AA",
                "Anthropic keys start with sk-ant-api03- and end in AA.",
                // Unknown key kind.
                "sk-ant-foo03-" + f.mixed(F.base64URL, 93) + "AA",
            ]
        )

        // MARK: huggingface-token
        let hf = f.huggingFaceToken()
        let hfOrg = f.huggingFaceToken(prefix: "api_org_")
        let hfQuoted = f.huggingFaceToken()
        samples["huggingface-token"] = DetectorSamples(
            positives: [
                Positive(message: "HF_TOKEN=\(hf)", secret: hf),
                Positive(message: "login(token='\(hfQuoted)')", secret: hfQuoted),
                Positive(message: "the org token is \(hfOrg), don't push it", secret: hfOrg),
            ],
            negatives: [
                // Library identifiers, one of them exactly 34 letters.
                "from huggingface_hub import hf_hub_download; 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",
                // Wrong length (33, 35).
                "hf_" + f.string(F.letters, 33),
                "hf_" + f.string(F.letters, 35),
                // Wrong alphabet: digits are not issued.
                "hf_" + f.mixed(F.base62, 34),
                // One case only.
                "hf_" + f.string(F.lower, 34),
                // Placeholder and prose.
                "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "Hugging Face tokens start with hf_ and are 37 characters.",
            ]
        )

        // MARK: stripe-secret-key
        let stripeLive = f.stripeKey()
        let stripeOld = f.stripeKey(length: 24)
        let stripeRestricted = f.stripeKey(kind: "rk")
        samples["stripe-secret-key"] = DetectorSamples(
            positives: [
                Positive(message: "STRIPE_SECRET_KEY=\(stripeLive)", secret: stripeLive),
                Positive(message: "Stripe.api_key = '\(stripeOld)'", secret: stripeOld),
                Positive(message: "restricted key for the report job: \(stripeRestricted)", secret: stripeRestricted),
            ],
            negatives: [
                // Publishable keys are public by design.
                "pk_" + "live_" + f.mixed(F.base62, 99),
                // Too short (23).
                "sk_live_" + f.mixed(F.base62, 23),
                // Wrong alphabet: an underscore continues the token.
                "sk_live_" + f.mixed(F.base62, 30) + "_" + f.mixed(F.base62, 10),
                // Placeholders.
                "STRIPE_SECRET_KEY=sk_live_...",
                "sk_live_" + String(repeating: "x", count: 24),
                "sk_live_1234567890abcdefghijklmn",
                // Upper-case prefix: an environment variable's name.
                "SK_LIVE_" + f.mixed(F.base62, 30),
                // Inside a longer identifier.
                "mask_live_" + f.mixed(F.base62, 30),
            ]
        )

        // MARK: stripe-test-key
        let stripeTest = f.stripeKey(mode: "test")
        let stripeTestOld = f.stripeKey(mode: "test", length: 24)
        let stripeTestRestricted = f.stripeKey(kind: "rk", mode: "test")
        samples["stripe-test-key"] = DetectorSamples(
            positives: [
                Positive(message: "for staging use \(stripeTest)", secret: stripeTest),
                Positive(message: "\"secret_key\": \"\(stripeTestOld)\"", secret: stripeTestOld),
                Positive(message: "rk: \(stripeTestRestricted)", secret: stripeTestRestricted),
            ],
            negatives: [
                // Publishable test key.
                "pk_" + "test_" + f.mixed(F.base62, 24),
                // Placeholder.
                "sk_test_<your test key>",
                "sk_test_XXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                // Too short.
                "sk_test_" + f.mixed(F.base62, 12),
                // Talk about the format.
                "Test keys begin with sk_test_ and live keys with sk_live_.",
            ]
        )

        // MARK: slack-webhook-url
        let webhook = f.slackWebhookURL()
        let workflow = f.slackWorkflowURL()
        let bareWebhook = String(f.slackWebhookURL().dropFirst("https://".count))
        samples["slack-webhook-url"] = DetectorSamples(
            positives: [
                Positive(message: "SLACK_WEBHOOK_URL=\(webhook)", secret: webhook),
                Positive(message: "curl -X POST -d @msg.json '\(workflow)'", secret: workflow),
                Positive(message: "post alerts to \(bareWebhook).", secret: bareWebhook),
            ],
            negatives: [
                // Slack's documentation placeholder.
                "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                // Secret one character short.
                String(webhook.dropLast()),
                // IDs in lower case are not Slack IDs.
                "https://hooks.slack.com/services/t" + f.string(F.lower, 10) + "/b" + f.string(F.lower, 10) + "/"
                    + f.mixed(F.base62, 24),
                // The host only, and another path.
                "Incoming webhooks live under https://hooks.slack.com/services/ in the app settings.",
                "https://hooks.slack.com/apps/" + f.slackID("T") + "/" + f.mixed(F.base62, 24),
                // Another host that ends the same way.
                "https://myhooks.slack.com/services/" + f.slackID("T") + "/" + f.slackID("B") + "/"
                    + f.mixed(F.base62, 24),
            ]
        )

        // MARK: twilio-credential
        let accountSID = f.twilioSID()
        let authToken = f.twilioAuthToken()
        let apiKeySID = f.twilioSID("SK")
        let envToken = f.twilioAuthToken()
        let pair = f.twilioSID() + ":" + f.twilioAuthToken()
        let assigned = f.twilioAuthToken()
        samples["twilio-credential"] = DetectorSamples(
            positives: [
                Positive(message: "TWILIO_AUTH_TOKEN=\(envToken)", secret: envToken),
                Positive(message: "our twilio account is \(accountSID)", secret: accountSID),
                Positive(message: "twilio api key \(apiKeySID) for the sms worker", secret: apiKeySID),
                Positive(message: "curl -u \(pair) -d Body=hi", secret: pair),
                Positive(message: "client.authToken = \"\(assigned)\"", secret: assigned),
                Positive(message: "the token \(authToken) is the twilio one", secret: authToken),
            ],
            negatives: [
                // An Account SID or a 32-hex hash with no Twilio context.
                "account \(f.twilioSID()) was migrated",
                "md5 of the file: \(f.twilioAuthToken())",
                // Twilio context, but a message SID (SM…) and a git SHA (40 hex).
                "twilio delivered SM\(f.twilioAuthToken()) fine",
                "twilio sdk bumped in \(f.string(F.hex, 40))",
                // Upper-case hex is not issued; 31 digits is too short.
                "twilio token \(f.twilioAuthToken().uppercased())",
                "twilio token \(String(f.twilioAuthToken().dropLast()))",
                // Placeholders and talk.
                "TWILIO_ACCOUNT_SID=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "twilio auth_token = 0123456789abcdef0123456789abcdef",
                "Set your Twilio auth token in the console.",
                // A curl login that is not a Twilio pair.
                "git push -u origin main && curl -u alice:secret https://example.org",
            ]
        )

        // MARK: sendgrid-api-key
        let sendGrid = f.sendGridKey()
        let sendGridQuoted = f.sendGridKey()
        let sendGridProse = f.sendGridKey()
        samples["sendgrid-api-key"] = DetectorSamples(
            positives: [
                Positive(message: "SENDGRID_API_KEY=\(sendGrid)", secret: sendGrid),
                Positive(message: "sg.setApiKey('\(sendGridQuoted)');", secret: sendGridQuoted),
                Positive(message: "new sendgrid key: \(sendGridProse)", secret: sendGridProse),
            ],
            negatives: [
                // Wrong part lengths (21 + 43, 22 + 42).
                "SG." + f.mixed(F.base64URL, 21) + "." + f.mixed(F.base64URL, 43),
                "SG." + f.mixed(F.base64URL, 22) + "." + f.mixed(F.base64URL, 42),
                // Lower-case prefix and a longer word.
                "sg." + f.mixed(F.base64URL, 22) + "." + f.mixed(F.base64URL, 43),
                "MSG." + f.mixed(F.base64URL, 22) + "." + f.mixed(F.base64URL, 43),
                // Placeholder and prose.
                "SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "The SG. prefix marks SendGrid keys; see SG.com for the company.",
            ]
        )

        // MARK: mailchimp-api-key
        let mailchimp = f.mailchimpKey()
        let mailchimpOneDigit = f.mailchimpKey(dataCentre: 6)
        let mailchimpQuoted = f.mailchimpKey(dataCentre: 14)
        samples["mailchimp-api-key"] = DetectorSamples(
            positives: [
                Positive(message: "MAILCHIMP_API_KEY=\(mailchimp)", secret: mailchimp),
                Positive(message: "mailchimp key \(mailchimpOneDigit), server us6", secret: mailchimpOneDigit),
                Positive(message: "{\"apiKey\": \"\(mailchimpQuoted)\"}", secret: mailchimpQuoted),
            ],
            negatives: [
                // 31 hex digits, and upper-case hex.
                String(f.mailchimpKey().dropFirst()),
                f.mailchimpKey().uppercased(),
                // A three-digit data centre, and a locale.
                f.mixed(F.hex, 32) + "-us123",
                "Accept-Language: en-us, de-de",
                // Part of a longer hex run (a SHA-256 with a suffix).
                f.mixed(F.hex, 64) + "-us2",
                // Placeholder.
                "MAILCHIMP_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-us21",
            ]
        )

        // MARK: shopify-token
        let shopifyAdmin = f.shopifyToken()
        let shopifyCustom = f.shopifyToken(kind: "ca")
        let shopifyPrivate = f.shopifyToken(kind: "pa")
        let shopifySecret = f.shopifyToken(kind: "ss")
        samples["shopify-token"] = DetectorSamples(
            positives: [
                Positive(message: "X-Shopify-Access-Token: \(shopifyAdmin)", secret: shopifyAdmin),
                Positive(message: "custom app token \(shopifyCustom)", secret: shopifyCustom),
                Positive(message: "private app: \(shopifyPrivate)", secret: shopifyPrivate),
                Positive(message: "SHOPIFY_API_SECRET_KEY='\(shopifySecret)'", secret: shopifySecret),
            ],
            negatives: [
                // 31 hex and 33 hex.
                "shpat_" + f.mixed(F.hex, 31),
                "shpat_" + f.mixed(F.hex, 33),
                // Not hex.
                "shpat_" + f.mixed(F.base62, 32),
                // Unknown prefix and placeholder.
                "shpxx_" + f.mixed(F.hex, 32),
                "shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                // Prose.
                "Shopify admin tokens start with shpat_ followed by 32 hex digits.",
            ]
        )

        // MARK: square-token
        let square = f.squareAccessToken()
        let squareLegacy = f.squareLegacyToken()
        let squareSecret = f.squareLegacyToken(kind: "csp")
        samples["square-token"] = DetectorSamples(
            positives: [
                Positive(message: "SQUARE_ACCESS_TOKEN=\(square)", secret: square),
                Positive(message: "old sandbox token \(squareLegacy)", secret: squareLegacy),
                Positive(message: "application secret: \(squareSecret)", secret: squareSecret),
            ],
            negatives: [
                // Facebook-style EAA tokens are longer; 59 is too short.
                "EAAA" + f.mixed(F.base64URL, 180),
                "EAAA" + f.mixed(F.base64URL, 59),
                // Lower-case and shouted words.
                "yEAAAh " + "eaaa" + f.mixed(F.base64URL, 60),
                // Wrong alphabet and placeholder.
                "sq0atp-" + f.mixed(F.base64URL, 10) + "." + f.mixed(F.base64URL, 11),
                "sq0csp-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
                // Prose.
                "Square production tokens start with EAAA.",
            ]
        )

        // MARK: telegram-bot-token
        let telegram = f.telegramBotToken()
        let telegramShort = f.telegramBotToken(idLength: 8)
        let telegramURL = f.telegramBotToken(idLength: 9)
        samples["telegram-bot-token"] = DetectorSamples(
            positives: [
                Positive(message: "TELEGRAM_BOT_TOKEN=\(telegram)", secret: telegram),
                Positive(message: "botfather gave me \(telegramShort) for the alerts bot", secret: telegramShort),
                Positive(message: "curl https://api.telegram.org/bot\(telegramURL)/getMe", secret: telegramURL),
            ],
            negatives: [
                // Secret one short, and a 7-digit ID.
                String(f.telegramBotToken().dropLast()),
                "1234567:AA" + f.mixed(F.base64URL, 33),
                // Does not start with AA (case matters).
                "7" + f.string(F.digits, 9) + ":aa" + f.mixed(F.base64URL, 33),
                // Times and ratios.
                "meeting 10:AA room, ratio 12345678:AAA",
                // Placeholder.
                "TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                // Inside a longer word.
                "id_" + f.telegramBotToken(),
            ]
        )

        // MARK: discord-bot-token
        let discord = f.discordBotToken()
        let discordOld = f.discordBotToken(hmacLength: 27)
        let discordHeader = f.discordBotToken()
        let discordAfter = f.discordBotToken()
        samples["discord-bot-token"] = DetectorSamples(
            positives: [
                Positive(message: "DISCORD_TOKEN=\(discord)", secret: discord),
                Positive(message: "discord bot token: \(discordOld)", secret: discordOld),
                Positive(message: "Authorization: Bot \(discordHeader)", secret: discordHeader),
                Positive(message: "\(discordAfter) <- that's the discord bot, please reset", secret: discordAfter),
            ],
            negatives: [
                // The right shape with no Discord context.
                "token " + f.discordBotToken(),
                // First segment is random base64, not a snowflake's digits.
                "discord token " + f.mixed(F.base62, 24) + "." + f.mixed(F.base64URL, 6) + "."
                    + f.mixed(F.base64URL, 38),
                // A snowflake of 16 digits, and one far in the future.
                "discord " + f.discordBotToken(id: "1" + f.string(F.digits, 15)),
                "discord " + f.discordBotToken(id: "9" + f.string(F.digits, 19)),
                // Wrong middle segment length.
                "discord " + F.base64URL(f.snowflake()) + "." + f.mixed(F.base64URL, 7) + "."
                    + f.mixed(F.base64URL, 38),
                // Prose, a domain name, and a bot in conversation.
                "Join our Discord at discord.gg/gatehouse for the release notes.",
                "The bot MTIzNDU2Nzg5 is offline again.",
            ]
        )
        return samples
    }
}
