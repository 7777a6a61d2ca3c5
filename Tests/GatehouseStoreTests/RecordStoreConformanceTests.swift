import Foundation
import GatehouseCore
import Testing

/// `RecordStore`'s contract (the registry: senders, codes, service chats, budgets), on every engine.
@Suite struct RecordStoreConformanceTests {
    static let t0 = StoreConformanceTests.t0
    static let key = TestDatabase.key

    struct Refused: Error {}

    @Test(arguments: [Engine.sqlite, .postgres])
    func aChangeReadsWritesDeletesAndAuditsInOneTransaction(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            let a = RecordKey("sender", "a"), b = RecordKey("sender", "b"), c = RecordKey("counter", "x")
            let first = try await store.transact(reading: [a], kinds: [], now: Self.t0) { snapshot in
                #expect(snapshot[a] == nil)
                return RecordChange(value: 1, writes: [a: "{\"v\":1}", b: "two", c: "3"], audit: [StoreConformanceTests.entry("one", event: .registry)])
            }
            #expect(first.value == 1 && first.records.map(\.seq) == [1])
            let second = try await store.transact(reading: [a, RecordKey("sender", "missing")], kinds: ["counter"], now: Self.t0) { snapshot in
                // The named records that exist, and the whole kind asked for; nothing else.
                #expect(snapshot.values == [a: "{\"v\":1}", c: "3"])
                let writes: [RecordKey: String?] = [a: nil, c: "4"]
                return RecordChange(value: "ok", writes: writes, audit: [])
            }
            #expect(second.value == "ok" && second.records.isEmpty)
            #expect(try await store.records(kind: "sender") == ["b": "two"])
            #expect(try await store.records(kind: "counter") == ["x": "4"])
            #expect(try await store.records(kind: "nothing").isEmpty)
            #expect(try await StoreConformanceTests().verdict(store) == .intact(count: 1))
        }
    }

    @Test(arguments: [Engine.sqlite, .postgres])
    func aChangeThatThrowsWritesNothing(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            let key = RecordKey("approval", "ap_1")
            await #expect(throws: (any Error).self) {
                _ = try await store.transact(reading: [key], kinds: [], now: Self.t0) { _ -> RecordChange<Int> in throw Refused() }
            }
            _ = try await store.transact(reading: [], kinds: [], now: Self.t0) { _ in
                RecordChange(value: 0, writes: [key: "pending"], audit: [StoreConformanceTests.entry("held", event: .held)])
            }
            #expect(try await store.records(kind: "approval") == ["ap_1": "pending"])
            #expect(try await store.auditHead()?.seq == 1)
        }
    }

    @Test(arguments: [Engine.sqlite, .postgres])
    func aDailyBudgetRacedFromTwoInstancesIsNeverExceeded(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let first = try await database.open()
            let second = try await database.open()
            let budget = RecordKey("service_budget", "2026-11-29")
            // 30 processes' worth of first contacts race for 5 new chats a day.
            let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<30 {
                    let store = index.isMultiple(of: 2) ? first : second
                    group.addTask {
                        try await store.transact(reading: [budget], kinds: [], now: Self.t0) { snapshot in
                            let used = Int(snapshot[budget] ?? "0") ?? 0
                            guard used < 5 else { return RecordChange(value: false) }
                            return RecordChange(
                                value: true, writes: [budget: String(used + 1)], audit: [StoreConformanceTests.entry("c\(index)", event: .chat)])
                        }.value
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(granted == 5)
            #expect(try await second.records(kind: "service_budget") == ["2026-11-29": "5"])
            #expect(try await StoreConformanceTests().verdict(first) == .intact(count: 5))
        }
    }
}
