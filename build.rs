// The campaign theme is embedded with include_dir!, which cannot tell cargo to watch the
// folder on stable Rust; without this, edits to the theme would not reach the binary.
fn main() {
    println!("cargo:rerun-if-changed=themes/campaign");
}
