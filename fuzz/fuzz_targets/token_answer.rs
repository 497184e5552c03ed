#![no_main]
//! Fuzz target: an Entra ID token answer. Bytes 0-1 pick the status, the rest is the body.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    partnercenter::fuzzing::token_answer(status, &data[2..]);
});
