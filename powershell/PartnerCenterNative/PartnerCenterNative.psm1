# PartnerCenterNative: loads the native library once per session, compiles the interop class once
# per session, then dot-sources the functions. State lives in this module's scope ($script:).

Set-StrictMode -Version 3.0

$interopPath = Join-Path -Path $PSScriptRoot -ChildPath 'PartnerCenterNative.Interop.cs'
$interopVersion = '0.1.0'

# Add-Type cannot replace a type: compile only when this session has not done it yet (a second
# Import-Module, or -Force, reuses the compiled class and the already-loaded library).
if ($null -eq ('PartnerCenterNative.NativeLoader' -as [type])) {
    Add-Type -Path $interopPath -IgnoreWarnings -ErrorAction Stop
}
elseif ([PartnerCenterNative.NativeLoader]::InteropVersion -ne $interopVersion) {
    $message = 'This session already compiled PartnerCenterNative interop version {0}; this module needs {1}. Start a new PowerShell session to load it.' -f [PartnerCenterNative.NativeLoader]::InteropVersion, $interopVersion
    $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $message
    throw (New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'PartnerCenterNative.InteropVersionMismatch', 'ResourceExists', $interopPath)
}

# Find the library under runtimes/<rid>/native/ (or PARTNERCENTER_NATIVE_PATH, a file or a folder)
# and load it by absolute path before the first call into it. The lookup is the interop class's own
# code, so the interop tests exercise exactly what runs here.
try {
    $script:NativeVersion = [PartnerCenterNative.NativeLoader]::Initialize($PSScriptRoot, $env:PARTNERCENTER_NATIVE_PATH)
}
catch {
    $reason = $_.Exception
    while ($reason -is [System.Management.Automation.MethodInvocationException] -and $null -ne $reason.InnerException) {
        $reason = $reason.InnerException
    }
    $category = [System.Management.Automation.ErrorCategory]::ResourceUnavailable
    $errorId = 'PartnerCenterNative.NativeLibraryNotLoaded'
    if ($reason -is [System.IO.FileNotFoundException]) {
        $category = [System.Management.Automation.ErrorCategory]::ObjectNotFound
        $errorId = 'PartnerCenterNative.NativeLibraryNotFound'
    }
    elseif ($reason -is [System.BadImageFormatException]) {
        $category = [System.Management.Automation.ErrorCategory]::InvalidData
    }
    $message = 'PartnerCenterNative cannot be imported: {0}' -f $reason.Message
    $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $message, $reason
    $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $errorId, $category, $PSScriptRoot
    throw $record
}

# The connection of this session: one client, reused by every cmdlet until replaced or removed.
$script:PCSession = $null

# One function per file; Public/ holds exactly the exported ones (the manifest lists them too).
$publicFunctions = New-Object -TypeName System.Collections.Generic.List[string]
foreach ($folder in @('Private', 'Public')) {
    $folderPath = Join-Path -Path $PSScriptRoot -ChildPath $folder
    foreach ($file in (Get-ChildItem -Path $folderPath -Filter '*.ps1' -File | Sort-Object -Property Name)) {
        . $file.FullName
        if ($folder -eq 'Public') {
            $publicFunctions.Add($file.BaseName)
        }
    }
}

# Free the native client when the module is removed (Remove-Module, or a forced re-import).
$ExecutionContext.SessionState.Module.OnRemove = {
    if ($null -ne $script:PCSession) {
        $script:PCSession.Client.Dispose()
        $script:PCSession = $null
    }
}

Export-ModuleMember -Function $publicFunctions.ToArray()
