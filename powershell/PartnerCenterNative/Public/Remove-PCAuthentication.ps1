function Remove-PCAuthentication {
    <#
    .SYNOPSIS
    Ends the session's Partner Center connection.

    .DESCRIPTION
    Remove-PCAuthentication frees the session's connection: its native client, its cached access token
    and the refresh token it holds. Nothing changes in Partner Center or Entra ID (tokens are not
    revoked); save the refresh token first with Get-PCAuthentication if it is needed later.

    Without a connection the command does nothing. Removing the module has the same effect.

    .PARAMETER PassThru
    Returns the connection that was removed (without its refresh token).

    .OUTPUTS
    None, or PartnerCenterNative.Connection with -PassThru.

    .EXAMPLE
    Remove-PCAuthentication

    Signs out of Partner Center in this session.

    .EXAMPLE
    $refreshToken = (Get-PCAuthentication).RefreshToken
    Remove-PCAuthentication -PassThru

    Keeps the newest refresh token, then ends the connection and shows what was removed.

    .LINK
    Add-PCAuthentication

    .LINK
    Get-PCAuthentication
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Low')]
    [OutputType('PartnerCenterNative.Connection')]
    param(
        [switch]
        $PassThru
    )

    $session = $script:PCSession
    if ($null -eq $session) {
        Write-Verbose -Message 'No Partner Center connection to remove.'
        return
    }
    $connection = $null
    if ($PassThru) {
        try {
            $connection = ConvertTo-PCConnection -InfoJson $session.Client.Info() -ApplicationId $session.ApplicationId
        }
        catch {
            $PSCmdlet.WriteError((New-PCErrorRecord -Exception $_.Exception))
        }
    }
    if ($PSCmdlet.ShouldProcess('the Partner Center connection of this session', 'Remove')) {
        Set-PCSession -Clear
        Write-Verbose -Message 'Removed the Partner Center connection.'
        if ($null -ne $connection) {
            $connection
        }
    }
}
