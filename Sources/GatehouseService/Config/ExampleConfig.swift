/// The commented example config that `gatehouse init` writes and `gatehouse demo` runs on.
public enum ExampleConfig {
    /// `files_root` is filled in for the demo; `init` leaves the commented placeholder.
    public static func text(filesRoot: String? = nil) -> String {
        let roots = filesRoot.map { "  roots:\n    - \($0)" } ?? "  roots: []            # e.g. [~/Documents/share]; no root = no file can be sent"
        return """
            # Gatehouse config. Reloaded on every change; an invalid edit refuses every send until fixed.
            # Keys of guarded-whatsapp-mcp's allowlist.yaml work unchanged; types are strict.

            # Where allowed sends go: outbox (JSON files in a folder) or bridge (whatsmeow REST API).
            transport: outbox
            # outbox_dir: ./outbox        # default: <state dir>/outbox
            # bridge_url: http://127.0.0.1:8080/api
            # bridge_allow_non_loopback: false   # the bridge has no auth: keep it on loopback

            # Only listed recipients may be messaged. Keep this false.
            allow_unlisted: false

            # Which sends must be previewed first (wa_preview) and carry its confirm_token:
            # any of unlisted, files, messages, all.
            require_confirm_for: [unlisted, files]
            confirm_token_ttl_seconds: 600

            # Sliding windows, counted in the state store across all processes and restarts.
            rate_limit:
              per_minute: 10
              per_hour: 60
              per_recipient_per_minute: 5
              per_recipient_per_hour: 30

            files:
            \(roots)
              max_size_mb: 16
              allowed_ext: [.pdf, .png, .jpg, .jpeg, .txt, .csv, .docx, .xlsx]
              unscannable: warn       # files whose text cannot be scanned (images, PDFs): block | warn

            secrets:
              on_detect: block        # high-severity findings: block | warn
              actions:                # per detector kind, family or category; `gatehouse scan --list`
                iban: warn            # people share their own IBAN to get paid
                national-id: block
              allow:                  # known-safe values, e.g. Stripe's public test card
                - "4242 4242 4242 4242"
              split_window_seconds: 120   # catch a secret split over consecutive messages; 0 = off

            recipients:
              - name: Alice
                jid: "+44 7700 900123"
                note: colleague, example entry
              - name: Project team
                jid: "120363041234567890@g.us"
                note: example group
                rate_limit: {per_minute: 2, per_hour: 20}

            """
    }
}
