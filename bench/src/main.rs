//! `partnercenter-bench`: partnercenter (C ABI, Rust API, CLI, PowerShell module) against a raw
//! reqwest loop, curl, Python `requests` and Invoke-RestMethod, all on the same emulator (its
//! own process by default), in one run.
//!
//! `cargo run --release -p partnercenter-bench -- --help` lists the options. Results are
//! printed as tables and written as JSON (and Markdown) under `target/bench/`.

mod args;
mod artifacts;
mod child;
mod fixture;
mod machine;
mod process;
mod pwsh;
mod rawhttp;
mod report;
mod runtime;
mod sections;
mod stats;
mod targets;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use serde::Serialize;

use args::{Args, Section};
use artifacts::Artifacts;
use fixture::Fixture;
use machine::Machine;
use report::Table;
use sections::Context;
use targets::Verdict;

/// What runs one section: its tables (one each, but three for PowerShell).
type SectionRunner = fn(&Context) -> Vec<Table>;

/// Everything one run produced, as written to the JSON file.
#[derive(Serialize)]
struct Results<'a> {
    machine: &'a Machine,
    /// Where the emulator ran (`--emulator`).
    emulator: &'static str,
    load_at_end: String,
    command: Vec<String>,
    tables: &'a [Table],
    targets: &'a [Verdict],
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("partnercenter-bench: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    if let Some(kind) = args.child {
        return child::run(kind, args.calls, args.warmup);
    }
    let artifacts = Artifacts::locate()?;
    if !args.no_build {
        artifacts.build()?;
    }
    artifacts.check()?;
    let python = machine::find_python();
    let machine = Machine::describe(python.as_deref());
    eprintln!("{}", machine.render());
    eprintln!("emulator: {}", args.emulator.describe());
    let fixture = Fixture::start(args.emulator, &artifacts.emulator, 0)?;
    let ctx = Context {
        args,
        artifacts: &artifacts,
        fixture: &fixture,
        python,
    };
    let sections: [(Section, SectionRunner); 7] = [
        (Section::Ceiling, |ctx| vec![sections::ceiling::run(ctx)]),
        (Section::Steady, |ctx| vec![sections::steady::run(ctx)]),
        (Section::Cold, |ctx| vec![sections::cold::run(ctx)]),
        (Section::Concurrency, |ctx| {
            vec![sections::concurrency::run(ctx)]
        }),
        (Section::Listing, |ctx| vec![sections::listing::run(ctx)]),
        (Section::Footprint, |ctx| {
            vec![sections::footprint::run(ctx)]
        }),
        (Section::Powershell, sections::powershell::run),
    ];
    let mut tables = Vec::new();
    for (section, run_section) in sections {
        if args.wants(section) {
            for mut table in run_section(&ctx) {
                table.rank();
                print!("{}", table.render());
                tables.push(table);
            }
        }
    }
    let verdicts = targets::judge(&tables, args.customers);
    println!("\n== Targets");
    for verdict in &verdicts {
        println!(
            "{:<7} {:<70} {}",
            verdict.label(),
            verdict.target,
            verdict.measured
        );
    }
    write_results(args, &artifacts, &machine, &tables, &verdicts)?;
    if !artifacts.release {
        println!("note: a debug build; these figures say the suite runs, not how fast anything is");
    }
    let skipped: Vec<String> = tables
        .iter()
        .flat_map(|t| t.rows.iter().filter(|r| r.skipped))
        .map(|r| format!("{} ({})", r.contender, r.notes))
        .collect();
    if args.require_all && !skipped.is_empty() {
        return Err(format!("contenders skipped: {}", skipped.join("; ")));
    }
    Ok(())
}

fn write_results(
    args: &Args,
    artifacts: &Artifacts,
    machine: &Machine,
    tables: &[Table],
    verdicts: &[Verdict],
) -> Result<(), String> {
    let json_path = args
        .out
        .clone()
        .unwrap_or_else(|| artifacts.bench_dir.join("results.json"));
    let load_at_end = machine::load_average();
    println!(
        "load average at the end: {load_at_end} (at the start: {})",
        machine.load_at_start
    );
    let results = Results {
        machine,
        emulator: args.emulator.describe(),
        load_at_end,
        command: std::env::args().collect(),
        tables,
        targets: verdicts,
    };
    let json = serde_json::to_string_pretty(&results).map_err(|e| e.to_string())?;
    write(&json_path, &json)?;
    let mut markdown = String::new();
    for table in tables {
        markdown.push_str(&table.markdown());
        markdown.push('\n');
    }
    markdown.push_str("### Targets\n\n| | target | measured |\n|---|---|---|\n");
    for v in verdicts {
        markdown.push_str(&format!(
            "| {} | {} | {} |\n",
            v.label(),
            v.target,
            v.measured
        ));
    }
    let markdown_path = json_path.with_extension("md");
    write(&markdown_path, &markdown)?;
    println!(
        "\nresults: {} and {}",
        json_path.display(),
        markdown_path.display()
    );
    Ok(())
}

fn write(path: &PathBuf, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
