#![no_main]
//! Fuzz target: see `partnercenter::fuzzing::models`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnercenter::fuzzing::models(data));
