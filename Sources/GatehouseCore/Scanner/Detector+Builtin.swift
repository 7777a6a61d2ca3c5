extension Detector {
    /// The detectors Gatehouse ships, sorted by ID (gitleaks ranges over a map; we want a stable order).
    ///
    /// Each detector's doc comment says which formats it accepts and where the rule comes from;
    /// `gatehouse scan --list` prints the catalogue and docs/scanner.md describes it by family.
    /// Specific detectors win overlaps with generic ones.
    public static let builtin: [Detector] = (cloud + codeHosting + saas + privateKeys + credentials + payment + nationalIDs)
        .sorted { $0.id < $1.id }

    static let cloud: [Detector] = [
        awsAccessKeyID, awsSecretAccessKey, azureSASToken, azureStorageKey, databricksToken, digitalOceanToken,
        gcpServiceAccount, googleAPIKey,
    ]
    static let codeHosting: [Detector] = [githubToken, githubFineGrainedToken, gitlabToken, npmToken, pypiToken]
    static let saas: [Detector] = [
        anthropicAPIKey, discordBotToken, huggingFaceToken, mailchimpAPIKey, openAIAPIKey, sendGridAPIKey, shopifyToken,
        slackToken, slackWebhookURL, squareToken, stripeSecretKey, stripeTestKey, telegramBotToken, twilioCredential,
    ]
    static let privateKeys: [Detector] = [ageSecretKey, bip39SeedPhrase, pemPrivateKey, totpSeed]
    static let credentials: [Detector] = [
        basicAuth, bearerToken, connectionString, databaseURL, genericSecret, jwt, passwordInProse, urlCredentials,
    ]
    static let payment: [Detector] = [iban, paymentCard]
}
