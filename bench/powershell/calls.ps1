<#
Per call in one process: New-PCRelationshipRequest against Invoke-RestMethod with the library's
headers, and the loop alone ("empty"), in the order given.

Usage: calls.ps1 -Calls N -Warmup W -WarmupSeconds S -Order cmdlet,irm,empty
Prints, per contender:
  first_ns <contender> <ns>   the process's first W calls, timed as a whole (JIT not settled)
  lat <contender> <ns>        each of N calls of a loop timed call by call, after the warm-up
  loop_ns <contender> <ns>    a second loop of N calls timed as a whole (foreach, $null = ...)
and "warmup_ms <ms>", how long the warm-up took.

The warm-up runs the contenders in turns until S seconds have passed: .NET compiles hot methods
again, optimised, only after they have run a while, and PowerShell's own code took about 10 s
of calls to settle on a 2-vCPU VM. The timed loops write the call out rather than calling a
function or script block, whose invocation costs microseconds of its own; the untimed warm-up
uses script blocks.
#>
param(
    [Parameter(Mandatory)][ValidateRange(1, 1000000)][int] $Calls,
    [Parameter(Mandatory)][ValidateRange(0, 1000000)][int] $Warmup,
    [Parameter(Mandatory)][ValidateRange(0, 600)][int] $WarmupSeconds,
    # Comma-separated (pwsh -File passes an argument as one string).
    [Parameter(Mandatory)][ValidatePattern('^(cmdlet|irm|empty)(,(cmdlet|irm|empty))*$')][string] $Order
)
. (Join-Path $PSScriptRoot common.ps1)

Connect-BenchModule
$rest = New-BenchRest
$url = "$script:Base/v1/customers/relationshiprequests"
$session, $bearer, $correlation, $agent = $rest.Session, $rest.Bearer, $rest.CorrelationId, $rest.UserAgent
$contenders = $Order -split ','
$out = [System.Text.StringBuilder]::new()
$nsPerTick = 1e9 / [System.Diagnostics.Stopwatch]::Frequency
$clock = [System.Diagnostics.Stopwatch]::StartNew()

# The same work as the timed loops below, for the untimed phases.
$blocks = @{
    cmdlet = { $null = (New-PCRelationshipRequest).url }
    irm    = {
        $r = Invoke-RestMethod -Uri $url -WebSession $session -UserAgent $agent -Headers @{ Authorization = $bearer; Accept = 'application/json'; 'MS-RequestId' = [guid]::NewGuid().ToString(); 'MS-CorrelationId' = $correlation; 'X-Locale' = 'en-US' }
        if ($r -is [string]) { $r = $r.TrimStart([char]0xFEFF) | ConvertFrom-Json }
        $null = $r.url
    }
    empty  = { $null = $i }
}

foreach ($contender in $contenders) {
    $block = $blocks[$contender]
    $t0 = [System.Diagnostics.Stopwatch]::GetTimestamp()
    for ($i = 0; $i -lt $Warmup; $i++) { & $block }
    $first = [System.Diagnostics.Stopwatch]::GetTimestamp() - $t0
    $null = $out.Append("first_ns $contender ").Append([long]($first * $nsPerTick)).Append("`n")
}
# Bounded by the clock; a round of 50 calls each between checks.
while ($clock.Elapsed.TotalSeconds -lt $WarmupSeconds) {
    foreach ($contender in $contenders) {
        $block = $blocks[$contender]
        for ($i = 0; $i -lt 50; $i++) { & $block }
    }
}
$null = $out.Append("warmup_ms ").Append([long]$clock.Elapsed.TotalMilliseconds).Append("`n")

foreach ($contender in $contenders) {
    $ticks = [long[]]::new($Calls)
    switch ($contender) {
        'cmdlet' {
            for ($i = 0; $i -lt $Calls; $i++) {
                $t0 = [System.Diagnostics.Stopwatch]::GetTimestamp()
                $null = (New-PCRelationshipRequest).url
                $ticks[$i] = [System.Diagnostics.Stopwatch]::GetTimestamp() - $t0
            }
            $t0 = [System.Diagnostics.Stopwatch]::GetTimestamp()
            foreach ($i in 1..$Calls) { $null = (New-PCRelationshipRequest).url }
            $loop = [System.Diagnostics.Stopwatch]::GetTimestamp() - $t0
        }
        'irm' {
            for ($i = 0; $i -lt $Calls; $i++) {
                $t0 = [System.Diagnostics.Stopwatch]::GetTimestamp()
                $r = Invoke-RestMethod -Uri $url -WebSession $session -UserAgent $agent -Headers @{ Authorization = $bearer; Accept = 'application/json'; 'MS-RequestId' = [guid]::NewGuid().ToString(); 'MS-CorrelationId' = $correlation; 'X-Locale' = 'en-US' }
                if ($r -is [string]) { $r = $r.TrimStart([char]0xFEFF) | ConvertFrom-Json }
                $null = $r.url
                $ticks[$i] = [System.Diagnostics.Stopwatch]::GetTimestamp() - $t0
            }
            $t0 = [System.Diagnostics.Stopwatch]::GetTimestamp()
            foreach ($i in 1..$Calls) {
                $r = Invoke-RestMethod -Uri $url -WebSession $session -UserAgent $agent -Headers @{ Authorization = $bearer; Accept = 'application/json'; 'MS-RequestId' = [guid]::NewGuid().ToString(); 'MS-CorrelationId' = $correlation; 'X-Locale' = 'en-US' }
                if ($r -is [string]) { $r = $r.TrimStart([char]0xFEFF) | ConvertFrom-Json }
                $null = $r.url
            }
            $loop = [System.Diagnostics.Stopwatch]::GetTimestamp() - $t0
        }
        'empty' {
            # The same two loops with nothing in them: what the timer and the loop cost alone.
            for ($i = 0; $i -lt $Calls; $i++) {
                $t0 = [System.Diagnostics.Stopwatch]::GetTimestamp()
                $null = $i
                $ticks[$i] = [System.Diagnostics.Stopwatch]::GetTimestamp() - $t0
            }
            $t0 = [System.Diagnostics.Stopwatch]::GetTimestamp()
            foreach ($i in 1..$Calls) { $null = $i }
            $loop = [System.Diagnostics.Stopwatch]::GetTimestamp() - $t0
        }
    }
    foreach ($t in $ticks) { $null = $out.Append("lat $contender ").Append([long]($t * $nsPerTick)).Append("`n") }
    $null = $out.Append("loop_ns $contender ").Append([long]($loop * $nsPerTick)).Append("`n")
}
[Console]::Out.Write($out.ToString())
