import ArgumentParser
import Foundation
import GatehouseService
import Logging

/// `gatehouse-ingest`: the inbound process. It links no MCP server and holds no tool; it reads the
/// sources, runs the inbound gate and writes the spool (docs/inbound.md).
@main
struct GatehouseIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse ingest", abstract: "Read inbound sources through the inbound gate into the spool.")

    @Option(name: .long, help: "Config file (else $GATEHOUSE_CONFIG, $WA_GUARD_CONFIG, ./gatehouse.yaml).") var config: String?
    @Option(name: .customLong("state-dir"), help: "State directory (else $GATEHOUSE_HOME, ~/.gatehouse).") var stateDir: String?
    @Flag(name: .long, help: "Handle what is there now, print a summary and exit.") var once = false
    @Flag(name: .long, help: "On the first run, read the bridge's existing messages too.") var backfill = false
    @Option(name: .long, help: "Seconds between polls.") var interval: Double = 1

    func run() async throws {
        var logger = Logger(label: "gatehouse.ingest") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = ProcessInfo.processInfo.environment["GATEHOUSE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        guard interval >= 0.05, interval <= 3600 else { throw ValidationError("--interval must be 0.05 to 3600 seconds") }
        let environment = ProcessInfo.processInfo.environment
        let state = try StateDirectory(path: StateDirectory.resolve(flag: stateDir, environment: environment))
        let service = try await GatehouseService.start(
            config: ConfigSource(path: ConfigSource.resolve(flag: config, environment: environment), environment: environment), state: state,
            logger: logger)
        let code = try await service.runIngest(once: once, backfill: backfill, interval: interval)
        if code != 0 { throw ExitCode(code) }
    }
}
