#![no_main]
//! Fuzz target: see `partnercenter::fuzzing::options`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnercenter::fuzzing::options(data));
