<#
What the PowerShell contenders share, dot-sourced: the settings from the environment the harness
sets (PARTNERCENTER_*, PC_BENCH_MODULE, PC_BENCH_USER_AGENT), signing in with the module, and
the token, headers and answers of the Invoke-RestMethod contenders.
#>

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$script:Base = $env:PARTNERCENTER_BASE_URL.TrimEnd('/')
$script:Scope = 'https://api.partnercenter.microsoft.com/user_impersonation offline_access'

# Imports the staged module and signs in as a user would (App+User, confidential application).
function Connect-BenchModule {
    Import-Module $env:PC_BENCH_MODULE
    $null = Add-PCAuthentication -ApplicationId $env:PARTNERCENTER_CLIENT_ID -Tenant $env:PARTNERCENTER_TENANT `
        -RefreshToken (ConvertTo-SecureString $env:PARTNERCENTER_REFRESH_TOKEN -AsPlainText -Force) `
        -ApplicationSecret (ConvertTo-SecureString $env:PARTNERCENTER_CLIENT_SECRET -AsPlainText -Force) `
        -BaseUrl $script:Base -Authority $script:Base
}

# The token by the same grant the module uses, and a web session: -WebSession keeps one
# HttpClient, so the connection stays alive across calls (without it every call connects anew).
function New-BenchRest {
    $session = $null
    $answer = Invoke-RestMethod -Method Post -Uri "$script:Base/$env:PARTNERCENTER_TENANT/oauth2/v2.0/token" `
        -SessionVariable session -Body @{
            grant_type    = 'refresh_token'
            client_id     = $env:PARTNERCENTER_CLIENT_ID
            client_secret = $env:PARTNERCENTER_CLIENT_SECRET
            refresh_token = $env:PARTNERCENTER_REFRESH_TOKEN
            scope         = $script:Scope
        }
    [pscustomobject]@{
        Session       = $session
        Bearer        = "Bearer $($answer.access_token)"
        CorrelationId = [guid]::NewGuid().ToString()
        UserAgent     = $env:PC_BENCH_USER_AGENT
    }
}

# The headers the library sends, with a new MS-RequestId each call.
function New-BenchHeaders($rest) {
    @{
        Authorization      = $rest.Bearer
        Accept             = 'application/json'
        'MS-RequestId'     = [guid]::NewGuid().ToString()
        'MS-CorrelationId' = $rest.CorrelationId
        'X-Locale'         = 'en-US'
    }
}

# An answer as objects. Partner Center may open a body with a UTF-8 byte-order mark, on which
# Invoke-RestMethod's own JSON conversion fails and hands back the text: parse that as a careful
# script would.
function ConvertFrom-BenchAnswer($answer) {
    if ($answer -is [string]) { $answer.TrimStart([char]0xFEFF) | ConvertFrom-Json } else { $answer }
}

# Peak working set of this process so far, in bytes (VmHWM on Linux).
function Get-BenchPeak {
    [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
}
