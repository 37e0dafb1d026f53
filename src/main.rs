use std::process::ExitCode;

fn main() -> ExitCode {
    pullpath::app::main()
}
