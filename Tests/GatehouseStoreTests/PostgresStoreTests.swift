import Foundation
import GatehouseCore
import GatehouseTesting
import PostgresNIO
import Testing

@testable import GatehousePostgres

/// What only the PostgreSQL store has: its URL, its errors, its schema version and its durability
/// setting. Its behaviour as a `StateStore` is in `StoreConformanceTests`.
@Suite struct PostgresStoreTests {
    static let key = TestDatabase.key
    static let password = "s3cret-Pa55"

    // MARK: URL

    @Test func urlsOfBothSchemesAreRead() throws {
        let full = try PostgresURL("postgres://gate:\(Self.password)@db.example:6543/gatehouse")
        #expect(full.host == "db.example")
        #expect(full.port == 6543)
        #expect(full.username == "gate")
        #expect(full.password == Self.password)
        #expect(full.database == "gatehouse")
        #expect(!full.requireTLS)
        #expect(!full.redacted.contains(Self.password))
        let short = try PostgresURL("postgresql://gate@localhost/gatehouse?sslmode=require")
        #expect(short.port == 5432)
        #expect(short.password == nil)
        #expect(short.requireTLS)
        #expect(try PostgresURL("postgres://gate@[::1]/g?sslmode=disable").host == "::1")
        #expect(try PostgresURL("postgres://gate:p%40ss@h/g").password == "p@ss")
    }

    @Test(arguments: [
        "mysql://gate:PASSWORD@h/g", "postgres://gate:PASSWORD@h", "postgres://gate:PASSWORD@h/", "postgres://:PASSWORD@h/g",
        "postgres://gate:PASSWORD@h/g?sslmode=prefer", "postgres://gate:PASSWORD@h/g?sslrootcert=x", "not a url PASSWORD",
    ])
    func badURLsAreRefusedWithoutThePassword(_ url: String) throws {
        let error = try #require(throws: PostgresStoreError.self) { try PostgresURL(url.replacingOccurrences(of: "PASSWORD", with: Self.password)) }
        #expect(!error.description.contains(Self.password))
    }

    // MARK: Connecting

    @Test func anUnreachableServerFailsWithoutThePassword() async throws {
        let error = await #expect(throws: PostgresStoreError.self) {
            _ = try await PostgresStore.connect(url: "postgres://gate:\(Self.password)@127.0.0.1:1/gatehouse", key: Self.key)
        }
        #expect(error?.description.contains("127.0.0.1:1") == true)
        #expect(error?.description.contains(Self.password) == false)
    }

    @Test func aMissingDatabaseIsNamedWithoutThePassword() async throws {
        try await withDatabase(.postgres) { database in
            var url = try #require(URLComponents(string: database.location))
            url.password = Self.password
            url.path = "/no_such_database"
            let error = await #expect(throws: PostgresStoreError.self) {
                _ = try await PostgresStore.connect(url: try #require(url.string), key: Self.key)
            }
        #expect(error?.description.contains("no_such_database") == true)
            #expect(error?.description.contains(Self.password) == false)
        }
    }

    @Test func storesConnectingTogetherCreateTheSchemaOnce() async throws {
        try await withDatabase(.postgres) { database in
            let url = database.location
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let store = try await PostgresStore.connect(url: url, key: Self.key)
                        let version = try await store.client.query("SELECT version FROM gatehouse_schema").collect()
                            .map { try $0.decode(Int.self) }
                        await store.close()
                        return version.count == 1 ? version[0] : -1
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(versions == Array(repeating: PostgresStore.migrations.count, count: 4))
            let store = try #require(try await database.open() as? PostgresStore)
            #expect(try await store.auditHead()?.seq == 0)
        }
    }

    @Test func aStoreFromANewerGatehouseIsRefused() async throws {
        try await withDatabase(.postgres) { database in
            let store = try await PostgresStore.connect(url: database.location, key: Self.key)
            try await store.client.query("UPDATE gatehouse_schema SET version = 99")
            await store.close()
            let error = await #expect(throws: PostgresStoreError.self) {
                _ = try await PostgresStore.connect(url: database.location, key: Self.key)
            }
            #expect(error?.description.contains("newer") == true)
        }
    }

    @Test func writersTakeTurnsEvenWhenTheHeadRowIsGone() async throws {
        try await withDatabase(.postgres) { database in
            let first = try #require(try await database.open() as? PostgresStore)
            let second = try #require(try await database.open() as? PostgresStore)
            _ = try await first.append(AuditEntry(event: .attempt, tool: "t", decisionID: "a", status: "attempted"), now: .now)
            // Given a wiped head (there is then no row for writers to lock)
            try await first.client.query("DELETE FROM audit_head")
            #expect(try await first.auditHead() == nil)
            // When writers race from two instances
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<30 {
                    let store = index.isMultiple(of: 2) ? first : second
                    group.addTask {
                        _ = try await store.append(AuditEntry(event: .attempt, tool: "t", decisionID: "r\(index)", status: "attempted"), now: .now)
                    }
                }
                try await group.waitForAll()
            }
            // Then they still formed one chain, and the head is written again, as SQLite's store does
            let records = try await second.auditRecords(after: 0, limit: 100)
            #expect(records.map(\.seq) == Array(1...31))
            #expect(AuditChain.verify(records, head: try await second.auditHead(), key: Self.key) == .intact(count: 31))
        }
    }

    @Test func commitsAreDurableWhateverTheDatabaseDefault() async throws {
        try await withDatabase(.postgres) { database in
            let name = try #require(URLComponents(string: database.location)?.path.dropFirst())
            let setup = try await PostgresStore.connect(url: database.location, key: Self.key)
            try await setup.client.query("ALTER DATABASE \(unescaped: String(name)) SET synchronous_commit = off")
            await setup.close()
            // The store asks for synchronous_commit at startup, which outranks the database's default.
            let store = try #require(try await database.open() as? PostgresStore)
            let setting = try await store.client.query("SHOW synchronous_commit").collect().map { try $0.decode(String.self) }
            #expect(setting == ["on"])
        }
    }
}
