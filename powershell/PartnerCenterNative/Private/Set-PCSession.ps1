function Set-PCSession {
    # Makes a client the session's connection, freeing the one it replaces; -Clear removes it.
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Private: the public commands that call it decide about ShouldProcess.')]
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Set')]
        [PartnerCenterNative.ClientHandle]
        $Client,

        [Parameter(ParameterSetName = 'Set')]
        [string]
        $ApplicationId,

        [Parameter(Mandatory = $true, ParameterSetName = 'Clear')]
        [switch]
        $Clear
    )

    $previous = $script:PCSession
    if (-not $Clear) {
        $script:PCSession = [PSCustomObject]@{
            Client        = $Client
            ApplicationId = $ApplicationId
        }
    }
    else {
        $script:PCSession = $null
    }
    if ($null -ne $previous -and -not [object]::ReferenceEquals($previous.Client, $Client)) {
        $previous.Client.Dispose()
    }
}
