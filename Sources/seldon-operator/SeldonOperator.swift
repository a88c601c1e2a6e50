import ArgumentParser

/// The command line: each subcommand parses its flags and hands off to a module.
@main
struct SeldonOperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seldon-operator",
        abstract: "Install, keep healthy and cleanly remove the Seldon ML-serving stack on Kubernetes.",
        version: "0.1.0",
        subcommands: [
            SandboxCommand.self,
            TemplateCommand.self,
            CrdCommand.self,
            PlanCommand.self,
            RenderCommand.self,
            BundleCommand.self,
            InstallCommand.self,
            UninstallCommand.self,
            StatusCommand.self,
            HistoryCommand.self,
            RunCommand.self,
            RollbackCommand.self,
        ]
    )
}
