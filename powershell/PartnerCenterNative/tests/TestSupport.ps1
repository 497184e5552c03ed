# Shared by the Pester tests: finds the module and the emulator, starts and stops the emulator.
#
# Environment:
#   PARTNERCENTER_MODULE_PATH  a staged module (folder or .psd1, with runtimes/<rid>/native/);
#                              default: powershell/build/PartnerCenterNative, as
#                              powershell/stage-module.sh leaves it
#   PARTNERCENTER_EMULATOR     the emulator binary; default target/debug/partnercenter-emulator

$RepoRoot = (Resolve-Path -Path (Join-Path -Path $PSScriptRoot -ChildPath '../../..')).Path
$OnWindows = [System.IO.Path]::DirectorySeparatorChar -eq '\'
$OnMac = (Test-Path -Path 'variable:IsMacOS') -and $IsMacOS
$Tenant = 'emulator.onmicrosoft.com'
$ApplicationId = '00000000-0000-0000-0000-00000000e1e1'
$PartnerId = 'e1e1e1e1-1111-4111-8111-00000000e1e1'
$PublicFunctions = @(
    'Add-PCAuthentication', 'Get-PCAuthentication', 'New-PCRelationshipRequest', 'Remove-PCAuthentication',
    'Get-PCCustomer', 'Wait-PCCustomer', 'Get-PCCustomerBillingProfile', 'Set-PCCustomerBillingProfile', 'Remove-PCCustomerRelationship',
    'New-PCAdminRelationship', 'Lock-PCAdminRelationship', 'Get-PCAdminRelationship', 'Wait-PCAdminRelationship', 'Remove-PCAdminRelationship',
    'Add-PCAdminRelationshipAccess', 'Get-PCAdminRelationshipAccess'
)
# The pwsh of this session, for tests that start a child process.
$PwshName = 'pwsh'
if ($OnWindows) {
    $PwshName = 'pwsh.exe'
}
if ($PSVersionTable.PSEdition -eq 'Desktop') {
    $PwshName = 'powershell.exe'
}
# Role template ids of Microsoft Entra built-in roles, and the customer's GDAP approval link.
$DirectoryReaders = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b'
$UserAdministrator = 'fe930be7-5e62-47db-91af-98c3a49a38b1'
$HelpdeskAdministrator = '729827e3-9c14-49f7-bb1b-9608f156bbb8'
$GlobalAdministrator = '62e90394-69f5-4237-9190-012177145e10'
$ApprovalPrefix = 'https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/'
# The emulator's seeded customers (Start-TestEmulator): enough for several small pages.
$SeededCustomers = 60

function Get-TestLibraryName {
    if ($OnWindows) {
        return 'partnercenter.dll'
    }
    if ($OnMac) {
        return 'libpartnercenter.dylib'
    }
    return 'libpartnercenter.so'
}

function Get-TestModuleManifest {
    $path = $env:PARTNERCENTER_MODULE_PATH
    if (-not $path) {
        $path = Join-Path -Path $RepoRoot -ChildPath 'powershell/build/PartnerCenterNative'
    }
    if (Test-Path -Path $path -PathType Container) {
        $path = Join-Path -Path $path -ChildPath 'PartnerCenterNative.psd1'
    }
    if (-not (Test-Path -Path $path -PathType Leaf)) {
        throw ('No staged module at {0}: run cargo build; bash powershell/stage-module.sh --debug (or set PARTNERCENTER_MODULE_PATH).' -f $path)
    }
    return (Resolve-Path -Path $path).Path
}

function Start-TestEmulator {
    $path = $env:PARTNERCENTER_EMULATOR
    if (-not $path) {
        $name = 'partnercenter-emulator'
        if ($OnWindows) {
            $name = 'partnercenter-emulator.exe'
        }
        $path = Join-Path -Path $RepoRoot -ChildPath ('target/debug/{0}' -f $name)
    }
    if (-not (Test-Path -Path $path -PathType Leaf)) {
        throw ('The emulator was not found at {0}: run cargo build -p partnercenter-emulator, or set PARTNERCENTER_EMULATOR.' -f $path)
    }
    $startInfo = New-Object -TypeName System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $path
    $startInfo.Arguments = '--port 0 --device-code-interval 1 --customers {0} --seed 7' -f $SeededCustomers
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $firstLine = $process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait(20000)) {
        $process.Kill()
        throw 'The emulator printed no base URL within 20 seconds.'
    }
    $baseUrl = $firstLine.Result
    if (-not $baseUrl -or -not $baseUrl.StartsWith('http')) {
        throw ('The emulator did not print its base URL first: {0}' -f $baseUrl)
    }
    return [PSCustomObject]@{
        Process = $process
        BaseUrl = $baseUrl.TrimEnd('/')
    }
}

function Stop-TestEmulator {
    param(
        [Parameter(Mandatory = $true)]
        [AllowNull()]
        [object]
        $Emulator
    )
    if ($null -ne $Emulator -and -not $Emulator.Process.HasExited) {
        $Emulator.Process.Kill()
        [void]$Emulator.Process.WaitForExit(10000)
    }
}

function Invoke-EmulatorAdmin {
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $Method,

        [Parameter(Mandatory = $true)]
        [string]
        $Path,

        [object]
        $Body
    )
    $parameters = @{
        Method = $Method
        Uri    = $Emulator.BaseUrl + $Path
    }
    if ($null -ne $Body) {
        $parameters['Body'] = ConvertTo-Json -InputObject $Body -Compress
        $parameters['ContentType'] = 'application/json'
    }
    Invoke-RestMethod @parameters
}

function ConvertTo-TestSecureString {
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $Text
    )
    return (ConvertTo-SecureString -String $Text -AsPlainText -Force)
}

function ConvertFrom-TestSecureString {
    param(
        [Parameter(Mandatory = $true)]
        [securestring]
        $Secret
    )
    $pointer = [System.Runtime.InteropServices.Marshal]::SecureStringToGlobalAllocUnicode($Secret)
    try {
        return [System.Runtime.InteropServices.Marshal]::PtrToStringUni($pointer)
    }
    finally {
        [System.Runtime.InteropServices.Marshal]::ZeroFreeGlobalAllocUnicode($pointer)
    }
}

function Get-TestEndpoint {
    return @{
        BaseUrl   = $Emulator.BaseUrl
        Authority = $Emulator.BaseUrl
    }
}

# The App+User test connection, with Graph (the GDAP cmdlets) served by the emulator too.
function Add-TestAppUserConnection {
    $endpoint = Get-TestEndpoint
    Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'emulator-refresh-token') -ApplicationSecret (ConvertTo-TestSecureString -Text 'emulator-client-secret') -GraphBaseUrl ('{0}/v1.0' -f $Emulator.BaseUrl) @endpoint
}

# Starts $Script in a new runspace with the module ($ManifestPath) imported and, unless
# -NoSignIn, signed in to the emulator (Graph included); returns the PowerShell instance and its
# async result. The script sees $BaseUrl, $Tenant and $ApplicationId.
function Start-TestPipeline {
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $Script,

        [switch]
        $NoSignIn
    )
    $prelude = @'
param($ManifestPath, $BaseUrl, $Tenant, $ApplicationId, $SignIn)
Import-Module -Name $ManifestPath -ErrorAction Stop
if ($SignIn) {
    Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-SecureString 'emulator-refresh-token' -AsPlainText -Force) -BaseUrl $BaseUrl -Authority $BaseUrl -GraphBaseUrl ($BaseUrl + '/v1.0') | Out-Null
}
'@
    $shell = [powershell]::Create()
    $null = $shell.AddScript($prelude + "`n" + $Script).AddArgument($ManifestPath).AddArgument($Emulator.BaseUrl).AddArgument($Tenant).AddArgument($ApplicationId).AddArgument(-not $NoSignIn)
    $async = $shell.BeginInvoke()
    return [PSCustomObject]@{ Shell = $shell; Async = $async }
}

# Waits (bounded) for the pipeline to end; returns its output.
function Complete-TestPipeline {
    param($Pipeline, [int]$TimeoutSeconds = 60)
    if (-not $Pipeline.Async.AsyncWaitHandle.WaitOne($TimeoutSeconds * 1000)) {
        $Pipeline | Add-Member -NotePropertyName Hung -NotePropertyValue $true
        throw ('The pipeline did not end within {0} s.' -f $TimeoutSeconds)
    }
    return $Pipeline.Shell.EndInvoke($Pipeline.Async)
}

# Runs $Script in a new runspace as Start-TestPipeline does, to its end (bounded); returns its
# output and frees the instance.
function Invoke-TestPipeline {
    param([Parameter(Mandatory = $true)][string]$Script, [int]$TimeoutSeconds = 60)
    $pipeline = Start-TestPipeline -Script $Script
    try {
        return Complete-TestPipeline -Pipeline $pipeline -TimeoutSeconds $TimeoutSeconds
    }
    finally {
        Remove-TestPipeline -Pipeline $pipeline
    }
}

# Stops the pipeline as Ctrl+C does; returns the seconds the stop took, or fails after 10 s
# (a stop that does not reach the native call would otherwise block the suite).
function Stop-TestPipeline {
    param($Pipeline)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $stop = $Pipeline.Shell.BeginStop($null, $null)
    if (-not $stop.AsyncWaitHandle.WaitOne(10000)) {
        $Pipeline | Add-Member -NotePropertyName Hung -NotePropertyValue $true
        throw 'The pipeline did not stop within 10 s.'
    }
    $Pipeline.Shell.EndStop($stop)
    return $clock.Elapsed.TotalSeconds
}

# Frees the instance, unless a failed stop left it blocked (the process ends it).
function Remove-TestPipeline {
    param($Pipeline)
    if ($null -ne $Pipeline -and -not $Pipeline.PSObject.Properties['Hung']) {
        $Pipeline.Shell.Dispose()
    }
}

# Waits (bounded) until the pipeline has written a record to the given stream.
function Wait-TestStream {
    param($Pipeline, [string]$Stream, [int]$TimeoutSeconds = 30)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while ($Pipeline.Shell.Streams.$Stream.Count -eq 0) {
        if ($clock.Elapsed.TotalSeconds -gt $TimeoutSeconds -or $Pipeline.Async.IsCompleted) {
            $errors = ($Pipeline.Shell.Streams.Error | Out-String)
            throw ('No {0} record within {1} s (completed: {2}) {3}' -f $Stream, $TimeoutSeconds, $Pipeline.Async.IsCompleted, $errors)
        }
        Start-Sleep -Milliseconds 50
    }
}
