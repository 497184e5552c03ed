//! What the contenders run: the shipped cdylib, the CLI binary, the emulator and the C driver,
//! built here so that one command does everything, in this harness's own profile (release for
//! measuring; a debug harness builds debug artifacts, which only shows the suite works).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Paths of the built artifacts and of the scripts in `bench/`.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// The workspace root.
    pub root: PathBuf,
    /// `target/release` (or `target/debug` for a debug harness).
    pub profile_dir: PathBuf,
    /// Whether this is the release profile, the only one whose figures mean anything.
    pub release: bool,
    /// `target/release/libpartnercenter.so`.
    pub cdylib: PathBuf,
    /// `target/release/partnercenter` (the CLI).
    pub cli: PathBuf,
    /// `target/release/partnercenter-emulator`.
    pub emulator: PathBuf,
    /// The C driver, `target/bench/driver` (`driver-debug` against a debug cdylib).
    pub driver: PathBuf,
    /// `target/bench`, where the driver and the results go.
    pub bench_dir: PathBuf,
}

impl Artifacts {
    /// Locates everything relative to this executable (`target/release/partnercenter-bench`),
    /// so a custom `CARGO_TARGET_DIR` works too.
    pub fn locate() -> Result<Artifacts, String> {
        let exe =
            std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
        let profile_dir = exe
            .parent()
            .ok_or("this executable has no directory")?
            .to_path_buf();
        let release = profile_dir
            .file_name()
            .is_some_and(|name| name == "release");
        let target_dir = profile_dir
            .parent()
            .ok_or("target/release has no parent")?
            .to_path_buf();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("bench/ has no parent")?
            .to_path_buf();
        let bench_dir = target_dir.join("bench");
        Ok(Artifacts {
            cdylib: profile_dir.join("libpartnercenter.so"),
            cli: profile_dir.join("partnercenter"),
            emulator: profile_dir.join("partnercenter-emulator"),
            driver: bench_dir.join(if release { "driver" } else { "driver-debug" }),
            root,
            profile_dir,
            release,
            bench_dir,
        })
    }

    /// `bench/<relative>` in the source tree (scripts).
    pub fn script(&self, relative: &str) -> PathBuf {
        self.root.join("bench").join(relative)
    }

    /// Builds the cdylib on its own (so it gets exactly the library's own features, as
    /// shipped), then the CLI and the emulator, then compiles the C driver against the header and the cdylib.
    pub fn build(&self) -> Result<(), String> {
        std::fs::create_dir_all(&self.bench_dir)
            .map_err(|e| format!("cannot create {}: {e}", self.bench_dir.display()))?;
        self.cargo(&["build", "-p", "partnercenter", "--lib"])?;
        self.cargo(&["build", "-p", "partnercenter-cli", "--bin", "partnercenter"])?;
        self.cargo(&[
            "build",
            "-p",
            "partnercenter-emulator",
            "--bin",
            "partnercenter-emulator",
        ])?;
        self.compile_driver()
    }

    /// Runs `cargo args…`, in release when this harness is a release build.
    fn cargo(&self, args: &[&str]) -> Result<(), String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut args = args.to_vec();
        if self.release {
            args.insert(1, "--release");
        }
        eprintln!("bench: {cargo} {}", args.join(" "));
        let status = Command::new(&cargo)
            .args(&args)
            .current_dir(&self.root)
            .status()
            .map_err(|e| format!("cannot run {cargo}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`cargo {}` failed ({status})", args.join(" ")))
        }
    }

    fn compile_driver(&self) -> Result<(), String> {
        let source = self.script("c/driver.c");
        let include = self.root.join("include");
        let mut command = Command::new("cc");
        command
            .args(["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-pthread"])
            .arg("-I")
            .arg(&include)
            .arg(&source)
            .arg("-L")
            .arg(&self.profile_dir)
            .arg(format!("-Wl,-rpath,{}", self.profile_dir.display()))
            .args(["-lpartnercenter", "-o"])
            .arg(&self.driver);
        eprintln!(
            "bench: cc -O2 {} -> {}",
            source.display(),
            self.driver.display()
        );
        let status = command
            .status()
            .map_err(|e| format!("cannot run cc: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("compiling the C driver failed ({status})"))
        }
    }

    /// Fails early, naming what is missing, when `--no-build` meets an unbuilt tree.
    pub fn check(&self) -> Result<(), String> {
        for path in [&self.cdylib, &self.cli, &self.emulator, &self.driver] {
            if !path.is_file() {
                return Err(format!(
                    "{} is missing: run without --no-build once",
                    path.display()
                ));
            }
        }
        Ok(())
    }
}
