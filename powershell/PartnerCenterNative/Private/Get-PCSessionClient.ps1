function Get-PCSessionClient {
    # The session's native client, for the public commands that use the connection of
    # Add-PCAuthentication. Without a connection it stops the calling command (through the
    # caller's $PSCmdlet, so the error is the caller's) with PartnerCenterNative.NotConnected.
    [CmdletBinding()]
    [OutputType([PartnerCenterNative.ClientHandle])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCmdlet]
        $Cmdlet
    )

    if ($null -eq $script:PCSession) {
        $record = New-PCErrorRecord -Message 'Not signed in to Partner Center: run Add-PCAuthentication first.' -ErrorId 'PartnerCenterNative.NotConnected' -Category AuthenticationError -RecommendedAction 'Run Add-PCAuthentication -ApplicationId <id> -Tenant <tenant> -RefreshToken <token>, or -UseDeviceAuthentication.'
        $Cmdlet.ThrowTerminatingError($record)
    }
    return $script:PCSession.Client
}
