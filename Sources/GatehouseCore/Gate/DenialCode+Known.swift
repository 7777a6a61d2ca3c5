extension DenialCode {
    public static let configInvalid = DenialCode("config.invalid")
    public static let requestInvalid = DenialCode("request.invalid")
    public static let recipientInvalid = DenialCode("recipient.invalid")
    public static let recipientNotAllowlisted = DenialCode("recipient.not_allowlisted")
    public static let recipientAmbiguous = DenialCode("recipient.ambiguous")
    public static let contentSecret = DenialCode("content.secret")
    public static let contentEmpty = DenialCode("content.empty")
    public static let rateGlobalMinute = DenialCode("rate_limit.global_minute")
    public static let rateGlobalHour = DenialCode("rate_limit.global_hour")
    public static let rateRecipientMinute = DenialCode("rate_limit.recipient_minute")
    public static let rateRecipientHour = DenialCode("rate_limit.recipient_hour")
    public static let confirmationRequired = DenialCode("confirmation.required")
    public static let confirmationInvalid = DenialCode("confirmation.invalid")
    public static let storeUnavailable = DenialCode("store.unavailable")
    /// An idempotency key (or confirm token) already used for a different send.
    public static let idempotencyConflict = DenialCode("request.idempotency_conflict")
    public static let transportFailed = DenialCode("transport.failed")
}
