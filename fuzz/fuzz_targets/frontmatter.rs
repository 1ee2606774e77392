#![no_main]
// Arbitrary bytes through rally::fuzzing::frontmatter; crashes found are kept in fuzz/regressions/frontmatter/.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rally::fuzzing::frontmatter(data));
