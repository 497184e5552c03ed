#![no_main]
//! Fuzz target: service-error mapping. Bytes 0-1 pick the status, the bytes up to the first
//! newline are a secret of the client (which the body may echo), the rest is the body.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let rest = &data[2..];
    let split = rest.iter().position(|b| *b == b'\n').unwrap_or(0);
    let secret = String::from_utf8_lossy(&rest[..split]);
    partnercenter::fuzzing::service_error(status, &secret, &rest[split.min(rest.len())..]);
});
