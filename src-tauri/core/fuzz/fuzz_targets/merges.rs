#![no_main]
// The body lives in kartoteka_core::fuzzing so the corpus replays as a stable test.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kartoteka_core::fuzzing::merges(data));
