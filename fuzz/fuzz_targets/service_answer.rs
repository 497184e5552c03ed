#![no_main]
//! Fuzz target: a Partner Center answer. Bytes 0-1 pick the status, the bytes up to the first
//! newline are the Retry-After header, the rest is the body.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let rest = &data[2..];
    let split = rest.iter().position(|b| *b == b'\n').unwrap_or(0);
    partnercenter::fuzzing::service_answer(status, &rest[..split], &rest[split.min(rest.len())..]);
});
