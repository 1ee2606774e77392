#![no_main]
// Arbitrary bytes through rally::fuzzing::markdown; crashes found are kept in fuzz/regressions/markdown/.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rally::fuzzing::markdown(data));
