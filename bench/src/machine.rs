//! The machine and toolchain a run was made on, recorded with its results.

use std::process::Command;

use serde::Serialize;

/// What a reader needs to compare runs.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// Logical CPUs available to this process.
    pub nproc: usize,
    /// `model name` of /proc/cpuinfo.
    pub cpu_model: String,
    /// /proc/sys/kernel/osrelease.
    pub kernel: String,
    /// Total memory, from /proc/meminfo.
    pub memory: String,
    /// `rustc --version`.
    pub rustc: String,
    /// `cc --version`, first line.
    pub cc: String,
    /// `curl --version`, first line.
    pub curl: String,
    /// Python and requests versions.
    pub python: String,
    /// When the run started (UTC, from `date`).
    pub date: String,
    /// /proc/loadavg when the run started: other work on the machine skews every figure.
    pub load_at_start: String,
}

impl Machine {
    /// Reads everything; what cannot be read is "unknown".
    pub fn describe(python: Option<&std::path::Path>) -> Machine {
        let proc_line = |path: &str, key: &str| {
            std::fs::read_to_string(path)
                .ok()
                .and_then(|text| {
                    text.lines()
                        .find(|l| l.starts_with(key))
                        .and_then(|l| l.split_once(':'))
                        .map(|(_, v)| v.trim().to_owned())
                })
                .unwrap_or_else(|| "unknown".into())
        };
        Machine {
            nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu_model: proc_line("/proc/cpuinfo", "model name"),
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map(|s| s.trim().to_owned())
                .unwrap_or_else(|_| "unknown".into()),
            memory: proc_line("/proc/meminfo", "MemTotal"),
            rustc: first_line("rustc", &["--version"]),
            cc: first_line("cc", &["--version"]),
            curl: first_line("curl", &["--version"]),
            python: python.map_or_else(
                || "absent".into(),
                |p| {
                    first_line(
                        &p.to_string_lossy(),
                        &["-c", "import sys, requests; print(sys.version.split()[0], 'requests', requests.__version__)"],
                    )
                },
            ),
            date: first_line("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]),
            load_at_start: load_average(),
        }
    }

    /// One line per fact, for the top of the output.
    pub fn render(&self) -> String {
        format!(
            "machine: {} x {} ({}), kernel {}\ntools: {}; {}; {}; python {}\ndate: {}, load {}",
            self.nproc,
            self.cpu_model,
            self.memory,
            self.kernel,
            self.rustc,
            self.cc,
            self.curl,
            self.python,
            self.date,
            self.load_at_start
        )
    }
}

/// The 1, 5 and 15-minute load averages (/proc/loadavg), or "unknown".
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The first line of a command's stdout, or "unknown".
fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The real interpreter behind `python3` with `requests` importable (resolving shims such as
/// pyenv's, whose own start-up would otherwise be charged to Python's cold start).
pub fn find_python() -> Option<std::path::PathBuf> {
    let path = first_line(
        "python3",
        &["-c", "import sys, requests; print(sys.executable)"],
    );
    (path != "unknown").then(|| path.into())
}
