//! PowerShell for the powershell section: finding `pwsh` (on PATH, or through the project's
//! `powershell/dotnet-env.sh`, as the Pester suite finds it), staging the PartnerCenterNative
//! module from this build, and starting `pwsh` pointed at the emulator.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use partnercenter_emulator::credentials;

use crate::artifacts::Artifacts;
use crate::fixture::{CHILD_TIMEOUT, Fixture};
use crate::process;
use crate::sections::Context;

/// A pwsh to run and the staged module it imports.
pub struct PowerShell {
    /// The `pwsh` executable.
    pub pwsh: PathBuf,
    /// `pwsh --version`, for the tables' notes.
    pub version: String,
    /// The staged module's manifest (`.../PartnerCenterNative/PartnerCenterNative.psd1`).
    pub manifest: PathBuf,
    /// What the project's tool setup adds to the environment (PATH, DOTNET_ROOT, ...); empty
    /// when pwsh and dotnet were already on PATH.
    env: Vec<(OsString, OsString)>,
}

impl PowerShell {
    /// Finds pwsh and stages the module (unless `--no-build`, which takes the one staged
    /// before). The error says what is missing, for the skipped rows.
    pub fn prepare(ctx: &Context) -> Result<PowerShell, String> {
        let env = tool_env(&ctx.artifacts.root)?;
        let path = env
            .iter()
            .find(|(key, _)| key == "PATH")
            .map(|(_, value)| value.clone())
            .or_else(|| std::env::var_os("PATH"))
            .unwrap_or_default();
        let pwsh = find_in(&path, "pwsh").ok_or("pwsh not found on PATH")?;
        let manifest = stage(ctx.artifacts, ctx.args.no_build, &env)?;
        let mut version = Command::new(&pwsh);
        version
            .envs(env.iter().cloned())
            .args(["-NoProfile", "--version"]);
        let version = process::run(&mut version, CHILD_TIMEOUT)?
            .stdout
            .trim()
            .to_owned();
        Ok(PowerShell {
            pwsh,
            version,
            manifest,
            env,
        })
    }

    /// `pwsh -NoProfile -NonInteractive` against `fixture`: the `PARTNERCENTER_*` settings
    /// (and the client secret, which the module's sign-in and the token request both send),
    /// the module's manifest (`PC_BENCH_MODULE`) and the library's User-Agent
    /// (`PC_BENCH_USER_AGENT`). Telemetry and the update check are off for every run alike.
    pub fn command(&self, ctx: &Context, fixture: &Fixture) -> Command {
        let mut command = ctx.command(fixture, &self.pwsh);
        command
            .envs(self.env.iter().cloned())
            .env("POWERSHELL_TELEMETRY_OPTOUT", "1")
            .env("POWERSHELL_UPDATECHECK", "Off")
            .env("PARTNERCENTER_CLIENT_SECRET", credentials::CLIENT_SECRET)
            .env("PC_BENCH_MODULE", &self.manifest)
            .env("PC_BENCH_USER_AGENT", partnercenter::USER_AGENT)
            .args(["-NoProfile", "-NonInteractive"]);
        command
    }

    /// [`command`](Self::command) running `bench/powershell/<script>`.
    pub fn script(&self, ctx: &Context, fixture: &Fixture, script: &str) -> Command {
        let mut command = self.command(ctx, fixture);
        command
            .arg("-File")
            .arg(ctx.artifacts.script(&format!("powershell/{script}")));
        command
    }
}

/// The environment that puts pwsh and dotnet on PATH: nothing when both are there already,
/// else what `powershell/dotnet-env.sh` sets (the project's offline tools, or its message
/// naming what to install).
fn tool_env(root: &Path) -> Result<Vec<(OsString, OsString)>, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    if find_in(&path, "pwsh").is_some() && find_in(&path, "dotnet").is_some() {
        return Ok(Vec::new());
    }
    let script = root.join("powershell/dotnet-env.sh");
    if !script.is_file() {
        return Err(format!(
            "pwsh or dotnet not on PATH, and no {}",
            script.display()
        ));
    }
    let mut command = Command::new("bash");
    command
        .args(["-c", r#"source "$1" >/dev/null && env -0"#, "bash"])
        .arg(&script);
    let finished = process::run(&mut command, CHILD_TIMEOUT)
        .map_err(|e| format!("pwsh not found (powershell/dotnet-env.sh: {e})"))?;
    let before: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    Ok(finished
        .stdout
        .split('\0')
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (OsString::from(key), OsString::from(value)))
        .filter(|pair| !before.contains(pair))
        .collect())
}

/// `name` in one of the directories of `path`, if it is there.
fn find_in(path: &OsString, name: &str) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Stages the module with this build's cdylib into `target/bench/powershell` (debug:
/// `powershell-debug`), away from `powershell/build`, where the Pester suite stages its own;
/// returns the manifest. With `no_build`, the one staged before.
fn stage(
    artifacts: &Artifacts,
    no_build: bool,
    env: &[(OsString, OsString)],
) -> Result<PathBuf, String> {
    let out = artifacts.bench_dir.join(if artifacts.release {
        "powershell"
    } else {
        "powershell-debug"
    });
    let manifest = out.join("PartnerCenterNative/PartnerCenterNative.psd1");
    if no_build {
        return if manifest.is_file() {
            Ok(manifest)
        } else {
            Err(format!(
                "the module is not staged ({}): run without --no-build once",
                manifest.display()
            ))
        };
    }
    eprintln!(
        "bench: powershell/stage-module.sh -> {} (dotnet build)",
        out.display()
    );
    let mut command = Command::new("bash");
    command
        .arg(artifacts.root.join("powershell/stage-module.sh"))
        .args(if artifacts.release {
            None
        } else {
            Some("--debug")
        })
        .arg("--library")
        .arg(&artifacts.cdylib)
        .arg("--out")
        .arg(&out)
        .envs(env.iter().cloned());
    let finished = process::run(&mut command, CHILD_TIMEOUT)
        .map_err(|e| format!("staging the module failed: {e}"))?;
    // The script prints the staged folder last.
    let folder = finished
        .stdout
        .lines()
        .last()
        .ok_or("stage-module.sh printed no folder")?;
    let manifest = Path::new(folder.trim()).join("PartnerCenterNative.psd1");
    if manifest.is_file() {
        Ok(manifest)
    } else {
        Err(format!("{} was not staged", manifest.display()))
    }
}
