#![no_main]
//! Fuzz target: see `partnercenter::fuzzing::query`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnercenter::fuzzing::query(data));
