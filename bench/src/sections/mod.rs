//! The sections of the suite; each runs its contenders on the same work and returns a table.
//! Floors: sections import the harness's lower files (args, child, fixture, process, report,
//! stats, runtime, pwsh) and this module's [`Context`]; only `main.rs` imports a section.

pub mod ceiling;
pub mod cold;
pub mod concurrency;
pub mod footprint;
pub mod listing;
pub mod powershell;
pub mod steady;

use std::path::PathBuf;
use std::process::Command;

use crate::args::Args;
use crate::artifacts::Artifacts;
use crate::fixture::{CHILD_TIMEOUT, Fixture};
use crate::process::{self, Finished, Reported};

/// What every section needs.
pub struct Context<'a> {
    /// The options.
    pub args: &'a Args,
    /// Built binaries and scripts.
    pub artifacts: &'a Artifacts,
    /// The emulator (no customers) the call sections share.
    pub fixture: &'a Fixture,
    /// The real Python interpreter (not a version-manager shim, which would add its own start-up
    /// to the cold start), if there is one.
    pub python: Option<PathBuf>,
}

impl Context<'_> {
    /// A command pointed at `fixture` through the environment.
    pub fn command(&self, fixture: &Fixture, program: impl Into<PathBuf>) -> Command {
        let mut command = Command::new(program.into());
        command.envs(fixture.child_env());
        command
    }

    /// A fresh emulator, placed as `--emulator` says, seeded with `customers` customers (the
    /// listing sections' own, so the call sections' fixture stays small).
    pub fn seeded(&self, customers: u32) -> Result<Fixture, String> {
        eprintln!("bench: seeding {customers} customers");
        Fixture::start(
            self.args.emulator,
            &self.artifacts.emulator,
            customers as usize,
        )
    }

    /// Runs the C driver in `mode` against `fixture` and reads what it reported.
    pub fn driver(
        &self,
        fixture: &Fixture,
        mode: &[String],
    ) -> Result<(Finished, Reported), String> {
        let mut command = self.command(fixture, &self.artifacts.driver);
        command.args(mode);
        let finished = process::run(&mut command, CHILD_TIMEOUT)?;
        let reported = Reported::parse(&finished.stdout);
        Ok((finished, reported))
    }
}

/// Nanoseconds to microseconds.
pub const NS_TO_US: f64 = 1e-3;
/// Nanoseconds to milliseconds.
pub const NS_TO_MS: f64 = 1e-6;
