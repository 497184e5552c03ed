//! PowerShell start: a fresh `pwsh -NoProfile -NonInteractive -Command ...` per run, timed
//! from spawn to exit by the harness: a bare start, the pieces of the sign-in line alone, the
//! whole `Import-Module; Add-PCAuthentication; (New-PCRelationshipRequest).url`, and the same
//! link got with Invoke-RestMethod. Contenders take turns in a new (seeded) order every run.

use partnercenter_emulator::credentials;

use super::common::{quote, ready};
use crate::fixture::{CHILD_TIMEOUT, SCOPE};
use crate::process;
use crate::pwsh::PowerShell;
use crate::report::{Better, Row, Table};
use crate::sections::{Context, NS_TO_MS};
use crate::stats::Summary;

/// Row names, also used by the target checks.
pub const BARE: &str = "pwsh -Command 1 (bare start)";
/// The two SecureStrings of the sign-in line, alone (their module loads on first use).
pub const SECURE: &str = "pwsh, ConvertTo-SecureString only";
/// Importing the module alone.
pub const IMPORT: &str = "pwsh, Import-Module only";
/// The whole line of the target.
pub const MODULE: &str = "pwsh, Import + sign-in + link";
/// What a user without the module would write.
pub const IRM: &str = "pwsh, Invoke-RestMethod token + link";

/// Every row, in the table's order.
const NAMES: [&str; 5] = [BARE, SECURE, IMPORT, MODULE, IRM];

/// What the emulator's link contains: proof that a run got it.
const LINK: &str = "invType=ResellerRelationship";

/// One contender: its row, how it runs, its `-Command` text, and whether it prints the link.
struct Contender {
    name: &'static str,
    how: &'static str,
    command: String,
    prints_link: bool,
}

fn contenders(base: &str, manifest: &str) -> Vec<Contender> {
    let (base, manifest) = (quote(base), quote(manifest));
    let (client_id, tenant) = (quote(credentials::CLIENT_ID), quote(credentials::TENANT));
    let (refresh, secret) = (
        quote(credentials::REFRESH_TOKEN),
        quote(credentials::CLIENT_SECRET),
    );
    let secure = format!(
        "$null = ConvertTo-SecureString {refresh} -AsPlainText -Force; \
         $null = ConvertTo-SecureString {secret} -AsPlainText -Force"
    );
    // As a user types it: the connection Add-PCAuthentication returns is printed too.
    let module = format!(
        "Import-Module {manifest}; \
         Add-PCAuthentication -ApplicationId {client_id} -Tenant {tenant} \
         -RefreshToken (ConvertTo-SecureString {refresh} -AsPlainText -Force) \
         -ApplicationSecret (ConvertTo-SecureString {secret} -AsPlainText -Force) \
         -BaseUrl {base} -Authority {base}; \
         (New-PCRelationshipRequest).url"
    );
    let irm = format!(
        "$b = {base}; \
         $t = (Invoke-RestMethod -Method Post -Uri \"$b/{}/oauth2/v2.0/token\" -Body @{{ \
         grant_type = 'refresh_token'; client_id = {client_id}; client_secret = {secret}; \
         refresh_token = {refresh}; scope = {} }}).access_token; \
         $r = Invoke-RestMethod -Uri \"$b/v1/customers/relationshiprequests\" -UserAgent {} \
         -Headers @{{ Authorization = \"Bearer $t\"; Accept = 'application/json'; \
         'MS-RequestId' = [guid]::NewGuid().ToString(); \
         'MS-CorrelationId' = [guid]::NewGuid().ToString(); 'X-Locale' = 'en-US' }}; \
         if ($r -is [string]) {{ $r = $r.TrimStart([char]0xFEFF) | ConvertFrom-Json }}; $r.url",
        credentials::TENANT,
        quote(SCOPE),
        quote(partnercenter::USER_AGENT),
    );
    vec![
        Contender {
            name: BARE,
            how: "what every row below starts from",
            command: "1".into(),
            prints_link: false,
        },
        Contender {
            name: SECURE,
            how: "the two ConvertTo-SecureString of the sign-in line",
            command: secure,
            prints_link: false,
        },
        Contender {
            name: IMPORT,
            how: "Import-Module <staged psd1>",
            command: format!("Import-Module {manifest}"),
            prints_link: false,
        },
        Contender {
            name: MODULE,
            how: "Import-Module; Add-PCAuthentication; (New-PCRelationshipRequest).url",
            command: module,
            prints_link: true,
        },
        Contender {
            name: IRM,
            how: "no module: token POST, GET with the same headers, .url",
            command: irm,
            prints_link: true,
        },
    ]
}

/// Times `--cold-runs` fresh pwsh processes per contender, in shuffled turns, in ms.
pub fn run(ctx: &Context, ps: Result<&PowerShell, &str>) -> Table {
    let runs = ctx.args.cold_runs;
    let mut table = Table::new(
        "powershell-start",
        format!(
            "PowerShell start: fresh pwsh -NoProfile -NonInteractive -Command, {runs} runs each"
        ),
        "ms from spawn to exit",
        "median (lower is better)",
        Better::Lower,
    )
    .column("p90", "p90");
    let Some(ps) = ready(&mut table, &NAMES, ps) else {
        return table;
    };
    let contenders = contenders(ctx.fixture.base_url(), &ps.manifest.to_string_lossy());
    let mut samples: Vec<Result<Vec<f64>, String>> =
        contenders.iter().map(|_| Ok(Vec::new())).collect();
    // A new order every run, so that no contender always follows the same one (the page
    // cache and the CPU's state after the previous pwsh favour whoever comes next). Seeded,
    // so a re-run takes the same turns.
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let mut order: Vec<usize> = (0..contenders.len()).collect();
    eprintln!("bench: powershell start, {runs} runs per contender");
    for _ in 0..runs {
        rng.shuffle(&mut order);
        for &index in &order {
            let (contender, pooled) = (&contenders[index], &mut samples[index]);
            let Ok(pool) = pooled else { continue };
            let mut command = ps.command(ctx, ctx.fixture);
            command.arg("-Command").arg(&contender.command);
            match process::run(&mut command, CHILD_TIMEOUT) {
                // pwsh -Command exits 0 after a non-terminating error: the link proves the work.
                Ok(finished) if contender.prints_link && !finished.stdout.contains(LINK) => {
                    *pooled = Err(format!("no link in the output: {}", finished.stdout.trim()));
                }
                Ok(finished) => pool.push(finished.elapsed.as_nanos() as f64 * NS_TO_MS),
                Err(why) => *pooled = Err(why),
            }
        }
    }
    for (contender, pooled) in contenders.iter().zip(samples) {
        table.rows.push(match pooled.map(|s| Summary::of(&s)) {
            Ok(Some(summary)) => Row::new(contender.name)
                .summary(summary)
                .extra("p90", summary.p90)
                .notes(contender.how),
            Ok(None) => Row::skipped(contender.name, "no samples"),
            Err(why) => Row::skipped(contender.name, why),
        });
    }
    table.note = format!(
        "{}; every run a fresh process, turns shuffled each run. The ratio is to the bare start.",
        ps.version
    );
    table
}
