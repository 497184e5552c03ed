#![no_main]
//! Fuzz target: see `partnercenter::fuzzing::next_link`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnercenter::fuzzing::next_link(data));
