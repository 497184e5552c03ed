function ConvertTo-PCConnection {
    # The PartnerCenterNative.Connection object from the library's connection JSON
    # (pc_client_info / pc_client_sign_in). It never holds a secret unless -RefreshToken is given
    # (Get-PCAuthentication), and then only as a SecureString.
    [CmdletBinding()]
    [OutputType('PartnerCenterNative.Connection')]
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $InfoJson,

        [string]
        $ApplicationId,

        [securestring]
        $RefreshToken,

        [switch]
        $IncludeRefreshToken
    )

    $info = ConvertFrom-Json -InputObject $InfoJson

    $environment = switch ($info.environment) {
        'global' { 'Global' }
        'usgov' { 'USGov' }
        'china' { 'China' }
        default { [string]$info.environment }
    }
    $credentialKind = switch ($info.credentialKind) {
        'refresh_token' { 'RefreshToken' }
        'app_only' { 'ApplicationSecret' }
        'access_token' { 'AccessToken' }
        default { [string]$info.credentialKind }
    }
    $expiresOn = $null
    if ($null -ne $info.tokenExpiresInSeconds) {
        $expiresOn = [System.DateTimeOffset]::Now.AddSeconds([double]$info.tokenExpiresInSeconds)
    }
    $applicationIdValue = $null
    if ($ApplicationId) {
        $applicationIdValue = $ApplicationId
    }

    $connection = [ordered]@{
        PSTypeName     = 'PartnerCenterNative.Connection'
        Tenant         = $info.tenant
        Environment    = $environment
        CredentialKind = $credentialKind
        ApplicationId  = $applicationIdValue
        ExpiresOn      = $expiresOn
        BaseUrl        = $info.baseUrl
        CorrelationId  = $info.correlationId
    }
    if ($IncludeRefreshToken) {
        $connection['RefreshToken'] = $RefreshToken
    }
    return [PSCustomObject]$connection
}
