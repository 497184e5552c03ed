function New-PCClient {
    # Creates a native client. Secrets arrive as SecureStrings and are turned into text only here,
    # at the last moment, for the one JSON string handed to pc_client_new; the unmanaged copies are
    # zeroed and freed in the finally block, and the native side wipes its UTF-8 copy after the call.
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Creates an object in memory only; nothing changes outside the process.')]
    [CmdletBinding()]
    [OutputType([PartnerCenterNative.ClientHandle])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]
        $Options,

        [System.Collections.IDictionary]
        $Secrets = @{}
    )

    $pointers = New-Object -TypeName System.Collections.Generic.List[System.IntPtr]
    $withSecrets = [ordered]@{}
    foreach ($key in $Options.Keys) {
        $withSecrets[$key] = $Options[$key]
    }
    try {
        foreach ($key in $Secrets.Keys) {
            if ($null -ne $Secrets[$key]) {
                $pointer = [System.Runtime.InteropServices.Marshal]::SecureStringToGlobalAllocUnicode($Secrets[$key])
                $pointers.Add($pointer)
                $withSecrets[$key] = [System.Runtime.InteropServices.Marshal]::PtrToStringUni($pointer)
            }
        }
        return [PartnerCenterNative.ClientHandle]::Create((ConvertTo-PCOptionsJson -Options $withSecrets))
    }
    finally {
        foreach ($pointer in $pointers) {
            [System.Runtime.InteropServices.Marshal]::ZeroFreeGlobalAllocUnicode($pointer)
        }
        $withSecrets.Clear()
    }
}
