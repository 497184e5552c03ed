#![no_main]
//! Fuzz target: see `partnercenter::fuzzing::ffi_strings`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnercenter::fuzzing::ffi_strings(data));
