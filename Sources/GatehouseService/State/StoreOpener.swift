import Foundation
import GatehouseConfig
import GatehouseCore
import GatehousePostgres
import GatehouseStore
import Logging

/// Finds and opens the state store the deployment names.
public enum StoreOpener {
    /// `GATEHOUSE_STORE_URL`, else the config's `store`, else the embedded SQLite file. A config that
    /// does not parse names no store, so the embedded one (where its refusals are audited) is used.
    public static func choice(config: ConfigSource, environment: [String: String]) -> Result<StoreChoice, StoreError> {
        if let url = environment["GATEHOUSE_STORE_URL"], !url.isEmpty {
            return StoreAddress.parse(url).mapError { StoreError("GATEHOUSE_STORE_URL: \($0.description)") }
        }
        if case .valid(let policy) = config.current() { return .success(policy.store) }
        return .success(.sqlite)
    }

    /// Opens the store and checks that its audit head is sealed with `key`: instances sharing a
    /// database must share the state directory's keys, and a key made afresh by mistake would
    /// otherwise extend the chain with records nobody can verify.
    public static func open(_ choice: StoreChoice, state: StateDirectory, key: AuditChainKey) async throws -> any StateStore {
        let store: any StateStore
        switch choice {
        case .sqlite:
            store = try SQLiteStore(path: state.databasePath, key: key)
        case .postgres(let url):
            store = try await PostgresStore.connect(url: url, key: key)
        }
        if let head = try await store.auditHead(),
            !SafeCompare.equal(Array(AuditChain.headSeal(seq: head.seq, hash: head.hash, key: key).utf8), Array(head.seal.utf8))
        {
            throw StoreError(
                "the store's audit head is not sealed with \(state.keysPath)/audit.key; instances sharing a store must "
                    + "share the keys folder of the instance that created it")
        }
        return store
    }

    /// Where the store is, for messages: never the password.
    public static func describe(_ choice: StoreChoice, state: StateDirectory) -> String {
        switch choice {
        case .sqlite: return state.databasePath
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "a PostgreSQL database" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "a PostgreSQL database"
        }
    }
}

extension GatehouseService {
    /// The service on the configured store. A store that cannot be opened still gives a service,
    /// which refuses every send and says why (fail closed, but the agent learns the reason).
    public static func start(config: ConfigSource, state: StateDirectory, logger: Logger) async throws -> GatehouseService {
        let environment = config.environment
        switch StoreOpener.choice(config: config, environment: environment) {
        case .failure(let problem):
            return try GatehouseService(config: config, state: state, logger: logger, storeProblem: problem.description)
        case .success(let choice):
            // A key that cannot be read is reported by the service itself.
            guard let key = try? state.auditKey() else { return try GatehouseService(config: config, state: state, logger: logger) }
            do {
                let store = try await StoreOpener.open(choice, state: state, key: key)
                return try GatehouseService(config: config, state: state, logger: logger, store: store)
            } catch {
                logger.error("store.open_failed", metadata: ["store": "\(StoreOpener.describe(choice, state: state))"])
                return try GatehouseService(
                    config: config, state: state, logger: logger,
                    storeProblem: "the state store \(StoreOpener.describe(choice, state: state)) cannot be opened: \(error)")
            }
        }
    }
}
