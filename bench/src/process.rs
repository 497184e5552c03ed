//! Child processes: run one within a time bound, time it, and read what it reported.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

/// A child that exited successfully, and how long it took from spawn to exit.
#[derive(Debug)]
pub struct Finished {
    /// Wall time from `spawn` to the exit being observed.
    pub elapsed: Duration,
    /// Everything it wrote to stdout.
    pub stdout: String,
}

/// Runs `command` (stdin closed, stdout captured) and waits at most `timeout`, killing it after
/// that. A failed exit is an error carrying its stderr.
pub fn run(command: &mut Command, timeout: Duration) -> Result<Finished, String> {
    let what = format!("{:?}", command.get_program());
    let start = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {what}: {e}"))?;
    // Drained on their own threads so a chatty child never blocks on a full pipe.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            // Ours to end: it is the child we spawned, not yet reaped.
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{what} did not finish within {timeout:?}; killed"));
        }
        Err(e) => return Err(format!("cannot wait for {what}: {e}")),
    };
    let elapsed = start.elapsed();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("{what} failed ({status}): {}", stderr.trim()));
    }
    Ok(Finished { elapsed, stdout })
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            // A read error leaves what was read so far; the exit status tells the rest.
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

/// What a driver or script reported: `key value` lines, and `lat <ns>` once per timed call.
#[derive(Debug, Default)]
pub struct Reported {
    /// The `key value` lines.
    pub values: BTreeMap<String, f64>,
    /// The `lat` lines, in nanoseconds, in order.
    pub latencies_ns: Vec<f64>,
}

impl Reported {
    /// Parses a child's stdout; lines that are not `key number` are ignored.
    pub fn parse(text: &str) -> Reported {
        let mut reported = Reported::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once(' ') else {
                continue;
            };
            let Ok(value) = value.trim().parse::<f64>() else {
                continue;
            };
            if key == "lat" {
                reported.latencies_ns.push(value);
            } else {
                reported.values.insert(key.to_owned(), value);
            }
        }
        reported
    }

    /// The value of `key`, or an error naming it.
    pub fn value(&self, key: &str) -> Result<f64, String> {
        self.values
            .get(key)
            .copied()
            .ok_or_else(|| format!("the driver did not report '{key}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_values_and_latencies() {
        let r = Reported::parse("wall_ns 10\nlat 3\nlat 4\nnoise\nrss_kb.loaded 900\n");
        assert_eq!(r.latencies_ns, vec![3.0, 4.0]);
        assert_eq!(r.value("wall_ns").unwrap(), 10.0);
        assert_eq!(r.value("rss_kb.loaded").unwrap(), 900.0);
        assert!(r.value("missing").is_err());
    }
}
