fn main() -> std::process::ExitCode {
    rally::cli::run()
}
