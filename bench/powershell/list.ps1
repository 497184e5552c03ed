<#
Listing: every seeded customer, through Get-PCCustomer or an Invoke-RestMethod paging loop.

Usage: list.ps1 -Contender cmdlet|irm -PageSize 500
Prints "customers <n>", "pages <n>" (irm only; the cmdlet does not show its pages), "wall_ns <ns>"
(the listing alone, after import and sign-in), "before_ws_bytes <n>" (peak working set before
the listing) and "peak_ws_bytes <n>" (after it). Run one contender per process, so that a peak
is that contender's alone.
#>
param(
    [Parameter(Mandatory)][ValidateSet('cmdlet', 'irm')][string] $Contender,
    [ValidateRange(1, 500)][int] $PageSize = 500
)
. (Join-Path $PSScriptRoot common.ps1)

if ($Contender -eq 'cmdlet') { Connect-BenchModule } else { $rest = New-BenchRest }
$pages = 0
$before = Get-BenchPeak
$clock = [System.Diagnostics.Stopwatch]::StartNew()
if ($Contender -eq 'cmdlet') {
    # Streamed: Measure-Object counts the customers as they come, holding none of them.
    $customers = (Get-PCCustomer -PageSize $PageSize | Measure-Object).Count
} else {
    # Follow links.next as given (a relative uri and its MS-ContinuationToken header) until
    # there is none; one page held at a time. Bounded: a listing that never ends is an error.
    $customers = 0
    $uri = "/v1/customers?size=$PageSize"
    $extra = @()
    for ($k = 0; $null -ne $uri; $k++) {
        if ($k -ge 1000000) { throw 'the listing did not end within a million pages' }
        $headers = New-BenchHeaders $rest
        foreach ($h in $extra) { $headers[$h.key] = $h.value }
        $page = ConvertFrom-BenchAnswer (Invoke-RestMethod -Uri "$script:Base$uri" -Headers $headers -WebSession $rest.Session -UserAgent $rest.UserAgent)
        $customers += @($page.items).Count
        $pages++
        $uri, $extra = $null, @()
        $next = if ($page.PSObject.Properties['links']) { $page.links.PSObject.Properties['next'] }
        if ($next -and $next.Value) {
            $uri = $next.Value.uri
            if ($next.Value.PSObject.Properties['headers']) { $extra = @($next.Value.headers) }
        }
    }
}
$wall = $clock.Elapsed
$peak = Get-BenchPeak
"customers $customers"
if ($Contender -eq 'irm') { "pages $pages" }
"wall_ns $([long]($wall.Ticks * 100))"
"before_ws_bytes $before"
"peak_ws_bytes $peak"
