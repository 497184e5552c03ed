#![no_main]
//! Fuzz target: see `partnercenter::fuzzing::customer_page`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnercenter::fuzzing::customer_page(data));
