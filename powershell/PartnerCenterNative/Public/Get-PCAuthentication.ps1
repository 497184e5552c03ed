function Get-PCAuthentication {
    <#
    .SYNOPSIS
    Gets the session's Partner Center connection and its current refresh token.

    .DESCRIPTION
    Get-PCAuthentication returns the connection Add-PCAuthentication made, as a
    PartnerCenterNative.Connection object (tenant, environment, credential kind, application id,
    access-token expiry, base URL, correlation id), with one more property, RefreshToken: the
    connection's newest refresh token as a SecureString, or $null when the connection does not use
    one (application secret or access token).

    Entra ID may hand out a new refresh token at each sign-in and an unused one expires after a
    while, so scripts that run unattended should persist this value (for example in a secret vault)
    and pass it to Add-PCAuthentication -RefreshToken the next time.

    Without a connection, the command writes a non-terminating error and returns nothing.

    .OUTPUTS
    PartnerCenterNative.Connection

    .EXAMPLE
    Get-PCAuthentication

    Shows the current connection and when its access token expires.

    .EXAMPLE
    $connection = Get-PCAuthentication
    $connection.RefreshToken | ConvertFrom-SecureString | Set-Content -Path "$HOME/.pc-refresh-token"

    Persists the (possibly rotated) refresh token, encrypted for the current user on Windows, for the
    next unattended run.

    .LINK
    Add-PCAuthentication

    .LINK
    Remove-PCAuthentication
    #>
    [CmdletBinding()]
    [OutputType('PartnerCenterNative.Connection')]
    param()

    $session = $script:PCSession
    if ($null -eq $session) {
        $record = New-PCErrorRecord -Message 'Not signed in to Partner Center: run Add-PCAuthentication first.' -ErrorId 'PartnerCenterNative.NotConnected' -Category ObjectNotFound -RecommendedAction 'Run Add-PCAuthentication.'
        $PSCmdlet.WriteError($record)
        return
    }

    try {
        $info = $session.Client.Info()
        $refreshToken = $null
        if ((ConvertFrom-Json -InputObject $info).credentialKind -eq 'refresh_token') {
            $refreshToken = $session.Client.RefreshToken()
        }
    }
    catch {
        $PSCmdlet.ThrowTerminatingError((New-PCErrorRecord -Exception $_.Exception))
    }
    ConvertTo-PCConnection -InfoJson $info -ApplicationId $session.ApplicationId -RefreshToken $refreshToken -IncludeRefreshToken
}
