#![no_main]
// Arbitrary bytes through rally::fuzzing::site; crashes found are kept in fuzz/regressions/site/.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rally::fuzzing::site(data));
