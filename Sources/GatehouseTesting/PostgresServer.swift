import Foundation

/// A PostgreSQL server for tests, and a fresh database on it for each test.
///
/// With `GATEHOUSE_TEST_POSTGRES_URL` set, that server is used (its user must be allowed to create
/// databases). Otherwise one private cluster is started per test process on first use: `initdb`
/// into a new temporary directory (as user `postgres` when running as root), `pg_ctl start` on a
/// free port on 127.0.0.1, trust authentication, stopped and deleted when the process exits. A
/// cluster left behind by a killed run is stopped and deleted by the next start, and never in the
/// way: every start takes a new directory and a new port.
///
/// Missing PostgreSQL binaries are an error, not a skip: install them with `apt-get install postgresql`.
public enum PostgresServer {
    /// A new, empty database, as a `postgres://` URL for `PostgresStore.connect`.
    public static func makeDatabase() async throws -> String {
        let server = try await shared.value
        let name = "gatehouse_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await server.psql("CREATE DATABASE \(name)")
        return server.url(database: name)
    }

    /// Drops a database `makeDatabase` made, closing any connection still open to it.
    public static func dropDatabase(_ url: String) async throws {
        let server = try await shared.value
        guard let name = URLComponents(string: url)?.path.drop(while: { $0 == "/" }), name.hasPrefix("gatehouse_test_")
        else {
            throw Subprocess.Failure(description: "not a database PostgresServer.makeDatabase made")
        }
        try await server.psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Started (or found) once per process, on first use; a failure is kept and reported to every test.
    private static let shared = Task<Server, any Error> {
        if let url = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"], !url.isEmpty {
            return try Server(external: url)
        }
        return try await Cluster.start()
    }
}

/// A server reachable with psql as a user that may create databases.
private struct Server: Sendable {
    let psqlPath: String
    /// The admin URL without its password, which travels in PGPASSWORD instead of the command line.
    let admin: URLComponents
    let password: String?

    init(psqlPath: String, admin: URLComponents, password: String?) {
        self.psqlPath = psqlPath
        self.admin = admin
        self.password = password
    }

    init(external url: String) throws {
        guard var components = URLComponents(string: url), components.host != nil else {
            throw Subprocess.Failure(description: "GATEHOUSE_TEST_POSTGRES_URL is not a postgres:// URL")
        }
        guard let psql = PostgresBinaries.psql() else {
            throw Subprocess.Failure(
                description: "psql is needed to create test databases on GATEHOUSE_TEST_POSTGRES_URL; "
                    + "install it with `apt-get install postgresql-client`")
        }
        password = components.password
        components.password = nil
        if components.path.isEmpty || components.path == "/" { components.path = "/postgres" }
        admin = components
        psqlPath = psql
    }

    func url(database: String) -> String {
        var components = admin
        components.password = password
        components.path = "/" + database
        return components.string ?? ""
    }

    func psql(_ sql: String) async throws {
        var environment = ProcessInfo.processInfo.environment
        if let password { environment["PGPASSWORD"] = password }
        let adminURL = admin.string ?? ""
        try await Subprocess.run(
            psqlPath, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", adminURL, "-c", sql], environment: environment)
    }
}

/// Where the PostgreSQL programs are.
private enum PostgresBinaries {
    /// The first directory holding all of `programs`: Debian's versioned directories (newest first),
    /// then PATH.
    static func find(needing programs: [String]) -> String? {
        let debian = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
            .map { "\(debian)/\($0)/bin" }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return (versions + path).first { directory in
            programs.allSatisfy { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
    }

    /// psql: the one beside the server programs if there is one, else the first found.
    static func psql(beside directory: String? = nil) -> String? {
        if let directory, FileManager.default.isExecutableFile(atPath: "\(directory)/psql") {
            return "\(directory)/psql"
        }
        return find(needing: ["psql"]).map { "\($0)/psql" }
    }
}

/// The private cluster of this test process.
private enum Cluster {
    static let prefix = "gatehouse-pg-"

    static func start() async throws -> Server {
        guard let bin = PostgresBinaries.find(needing: ["initdb", "pg_ctl"]),
            let psql = PostgresBinaries.psql(beside: bin)
        else {
            throw Subprocess.Failure(
                description: "PostgreSQL is not installed (no initdb, pg_ctl or psql found in /usr/lib/postgresql/*/bin "
                    + "or PATH); install it with `apt-get install postgresql`, "
                    + "or set GATEHOUSE_TEST_POSTGRES_URL to a server you run")
        }
        let temporary = FileManager.default.temporaryDirectory.path
        reapAbandoned(in: temporary)

        // initdb refuses to run as root: the cluster then belongs to user postgres, run through runuser.
        var owner: (uid: uid_t, gid: gid_t)?
        if getuid() == 0 {
            guard let entry = getpwnam("postgres") else {
                throw Subprocess.Failure(
                    description: "running as root, the test cluster needs the user postgres "
                        + "(`apt-get install postgresql` creates it)")
            }
            owner = (entry.pointee.pw_uid, entry.pointee.pw_gid)
        }
        func command(_ program: String, _ arguments: [String]) -> (String, [String]) {
            owner == nil
                ? ("\(bin)/\(program)", arguments)
                : ("/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/\(program)"] + arguments)
        }

        let root = "\(temporary)/\(prefix)\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(
            atPath: root, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try String(getpid()).write(toFile: "\(root)/owner", atomically: true, encoding: .utf8)
        if let owner, chown(root, owner.uid, owner.gid) != 0 {
            throw Subprocess.Failure(description: "cannot hand \(root) to user postgres (errno \(errno))")
        }
        let data = "\(root)/data"
        let (initdb, initdbArguments) = command(
            "initdb",
            [
                "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync",
                "--no-instructions",
            ])
        do {
            try await Subprocess.run(initdb, initdbArguments)
        } catch {
            try? FileManager.default.removeItem(atPath: root)
            throw error
        }

        // The free port may be taken between the probe and the start: try a few. Tests open many
        // connections at once (two stores a test, tests in parallel). A throwaway cluster needs no
        // crash safety, so fsync is off; synchronous_commit, which the store checks, stays on.
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try freePort()
            let options = "-p \(port) -k \(root) -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off"
            let (pgCtl, pgCtlArguments) = command(
                "pg_ctl", ["-D", data, "-o", options, "-l", "\(root)/server.log", "-w", "-t", "60", "start"])
            do {
                try await Subprocess.run(pgCtl, pgCtlArguments)
            } catch {
                lastError = error
                continue
            }
            stopAtExit(root: root, data: data)
            var admin = URLComponents()
            admin.scheme = "postgres"
            admin.user = "postgres"
            admin.host = "127.0.0.1"
            admin.port = port
            admin.path = "/postgres"
            return Server(psqlPath: psql, admin: admin, password: nil)
        }
        let log = (try? String(contentsOfFile: "\(root)/server.log", encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: root)
        throw Subprocess.Failure(
            description: "the test cluster did not start: \(lastError.map { "\($0)" } ?? "")\n\(log)")
    }

    /// A port nobody listens on now: bind port 0 and read what the kernel chose.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Subprocess.Failure(description: "socket() failed (errno \(errno))") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socketFD, pointer, length) == 0 && getsockname(socketFD, pointer, &length) == 0
            }
        }
        guard bound else { throw Subprocess.Failure(description: "cannot find a free port (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Stops the cluster when the test process exits, and deletes its directory.
    static func stopAtExit(root: String, data: String) {
        exitState.withLock { $0 = (root, data) }
        atexit {
            guard let (root, data) = Cluster.exitState.withLock({ $0 }) else { return }
            Cluster.stop(root: root, data: data)
        }
    }

    static let exitState = Locked<(root: String, data: String)?>(nil)

    /// Fast shutdown by signal: at exit, spawning pg_ctl is less dependable than kill(2). The
    /// postmaster removes postmaster.pid when it is done.
    static func stop(root: String, data: String, signal: Int32 = SIGINT) {
        if let pid = postmasterPID(data: data) {
            kill(pid, signal)
            for _ in 0..<200 where FileManager.default.fileExists(atPath: "\(data)/postmaster.pid") {
                usleep(50_000)
            }
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The running postmaster of `data`, checked against /proc so a reused pid is never signalled.
    static func postmasterPID(data: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: "\(data)/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = pid_t(first), pid > 0,
            let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
            command.contains("postgres"), command.contains(data)
        else { return nil }
        return pid
    }

    /// Stops and deletes clusters whose test process is gone (killed before its exit handler ran).
    static func reapAbandoned(in temporary: String) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for entry in entries where entry.hasPrefix(prefix) {
            let root = "\(temporary)/\(entry)"
            guard let text = try? String(contentsOfFile: "\(root)/owner", encoding: .utf8),
                let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            if kill(owner, 0) == 0 || errno != ESRCH { continue }
            stop(root: root, data: "\(root)/data", signal: SIGQUIT)
        }
    }
}

/// A value behind a lock, for the exit handler, which cannot capture context.
private final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
