import PostgresNIO

/// A PostgreSQL store fault, with a message that says what went wrong and, where it can, what to do.
///
/// Messages name the server as `user@host:port/database` and never hold the password.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// Words for a driver error. postgres-nio's own descriptions are deliberately generic (they
    /// may reach end users), so the useful parts are picked out here: the server's message and
    /// SQLSTATE, or the network fault. Bound values and the query text are left out.
    init(_ error: any Error, target: String) {
        switch error {
        case let error as PostgresStoreError:
            self = error
        case let error as PSQLError where error.code == .server:
            let message = error.serverInfo?[.message] ?? "no message"
            let state = error.serverInfo?[.sqlState] ?? "?"
            self.init("PostgreSQL at \(target) refused: \(message) (SQLSTATE \(state))")
        case let error as PSQLError:
            let cause = error.underlying.map { ": \($0)" } ?? ""
            self.init(
                "cannot talk to PostgreSQL at \(target) (\(error.code)\(cause)); "
                    + "check the URL and that the server is up")
        case let error as PostgresDecodingError:
            self.init(
                "a row from PostgreSQL at \(target) did not decode (column \(error.columnName): \(error.code), "
                    + "type \(error.postgresType)); the database may not be a Gatehouse store")
        default:
            self.init("PostgreSQL at \(target): \(error)")
        }
    }
}
