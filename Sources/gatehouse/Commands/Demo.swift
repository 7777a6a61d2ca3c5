import ArgumentParser
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Drive a real server through a scripted agent session.")
    func run() async throws { print("todo") }
}
