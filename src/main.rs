// mimalloc: a build allocates and frees many mid-sized buffers on every thread; with the
// system allocator, allocation and page faults were a fifth of a 10,000-story build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    rally::cli::run()
}
