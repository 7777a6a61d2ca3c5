import ArgumentParser
import Foundation
import GatehouseMCP
import GatehouseService
import Logging

@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "The governed gate between an AI agent and WhatsApp.",
        version: GatehouseMCPServer.version,
        subcommands: [
            Serve.self, Demo.self, Init.self, Check.self, Scan.self, Audit.self, Ingest.self, Senders.self, Pair.self, Chats.self,
            Approvals.self,
        ])
}

/// `--config` and `--state-dir`, shared by every command that touches them.
struct Locations: ParsableArguments {
    @Option(name: .long, help: "Config file (else $GATEHOUSE_CONFIG, $WA_GUARD_CONFIG, ./gatehouse.yaml).")
    var config: String?

    @Option(name: .customLong("state-dir"), help: "State directory (else $GATEHOUSE_HOME, ~/.gatehouse).")
    var stateDir: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }
    var configPath: String { ConfigSource.resolve(flag: config, environment: environment) }
    var statePath: String { StateDirectory.resolve(flag: stateDir, environment: environment) }

    /// The service; a state directory that cannot be made still gives one, which refuses every send and says why.
    func service(logger: Logger) async throws -> GatehouseService {
        let state: StateDirectory
        do {
            state = try StateDirectory(path: statePath)
        } catch {
            logger.error("state.unusable", metadata: ["state.error": "\(error)"])
            state = StateDirectory(unchecked: statePath)
        }
        return try await GatehouseService.start(config: ConfigSource(path: configPath, environment: environment), state: state, logger: logger)
    }
}

enum Log {
    /// Logs go to stderr: stdout is the MCP channel.
    static func make(_ label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = ProcessInfo.processInfo.environment["GATEHOUSE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the MCP server on stdio.")
    @OptionGroup var locations: Locations

    func run() async throws {
        let logger = Log.make("gatehouse.serve")
        let service = try await locations.service(logger: logger)
        if case .invalid(let error) = service.config.current() {
            // Serve anyway, refusing every send with the reason, so the agent can report it.
            logger.error("config.invalid", metadata: ["config.error": "\(error)"])
        }
        try await GatehouseMCPServer.serveStdio(service: service, logger: logger)
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented example config.")
    @Option(name: .long, help: "Where to write it.") var path = "gatehouse.yaml"
    @Flag(name: .long, help: "Overwrite an existing file.") var force = false

    func run() throws {
        if FileManager.default.fileExists(atPath: path) && !force {
            throw ValidationError("\(path) already exists; pass --force to overwrite it")
        }
        let data = Data(ExampleConfig.text().utf8)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(path)")
        }
        _ = chmod(path, 0o600)
        print("wrote \(path); edit the recipients, then run `gatehouse check --config \(path)`")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a config and the deployment; exit 0 clean, 1 warnings, 2 errors.")
    @OptionGroup var locations: Locations
    @Flag(name: .long, help: "Print findings as JSON lines.") var json = false

    func run() throws {
        let config = ConfigSource(path: locations.configPath, environment: locations.environment)
        let findings = DeploymentCheck.run(config: config, statePath: locations.statePath)
        for finding in findings {
            if json {
                let line = ["severity": finding.severity.rawValue, "code": finding.code, "message": finding.message]
                let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("\(finding.severity.rawValue) \(finding.code): \(finding.message)")
            }
        }
        let worst = findings.map(\.severity).max() ?? .info
        if !json { print(findings.isEmpty || worst == .info ? "check: OK" : "check: \(worst == .error ? "FAILED" : "warnings")") }
        switch worst {
        case .error: throw ExitCode(2)
        case .warning: throw ExitCode(1)
        case .info: return
        }
    }
}
