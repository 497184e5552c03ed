function Add-PCAuthentication {
    <#
    .SYNOPSIS
    Signs in to Microsoft Partner Center for this PowerShell session.

    .DESCRIPTION
    Add-PCAuthentication creates the session's Partner Center connection, which every other
    PartnerCenterNative command then uses. It signs in at once, so wrong credentials are reported here
    rather than on the first call, and returns a PartnerCenterNative.Connection object (tenant,
    environment, credential kind, token expiry, base URL, correlation id; never a secret).

    Four ways to sign in, one per parameter set:
    - RefreshToken (App+User, the secure application model): -ApplicationId, -Tenant, -RefreshToken,
      plus -ApplicationSecret or -Credential for a confidential application. Entra ID may rotate the
      refresh token; Get-PCAuthentication returns the current one to persist.
    - ApplicationSecret (app-only): -ApplicationId, -Tenant and -ApplicationSecret or -Credential. App-only
      tokens cannot get the reseller-relationship link (New-PCRelationshipRequest needs App+User).
    - AccessToken: an access token obtained elsewhere, used as it is until it expires.
    - DeviceCode (interactive, works with multi-factor authentication): -ApplicationId, -Tenant and
      -UseDeviceAuthentication. The command shows a code and an address, then waits until the user
      signs in there, declines, or the code expires. Ctrl+C cancels the wait.

    Password sign-in (a -Credential holding a user name and password), offered by the old community
    module, is not supported: it cannot satisfy the multi-factor authentication Partner Center requires.

    Calling Add-PCAuthentication again replaces the session's connection.

    .PARAMETER ApplicationId
    The application (client) id of the Entra ID application registered for Partner Center.
    Aliases: CspAppId (the community module's name), ClientId, AppId.

    .PARAMETER Tenant
    The partner's tenant: its id (a GUID) or a verified domain such as contoso.onmicrosoft.com.
    Aliases: CspDomain (the community module's name), TenantId, Domain.

    .PARAMETER RefreshToken
    An App+User refresh token for the application, as a SecureString (for example from
    Read-Host -AsSecureString, a secret vault, or Get-PCAuthentication on an earlier run).

    .PARAMETER ApplicationSecret
    The application's client secret, as a SecureString. Required for app-only sign-in; optional with
    -RefreshToken (confidential applications).

    .PARAMETER Credential
    The application secret as a PSCredential whose user name is the application id and whose password
    is the secret (the convention of Connect-AzAccount -ServicePrincipal). A PSCredential with any other
    user name is taken as an attempt at password sign-in and refused with an explanation.

    .PARAMETER AccessToken
    A Partner Center access token obtained elsewhere, as a SecureString. It is used until it expires
    and is never refreshed.

    .PARAMETER UseDeviceAuthentication
    Signs in with the device-code flow: shows a code and an address (on the information stream, shown
    by default), then waits until the user has signed in with a browser on any device.

    .PARAMETER Environment
    The Partner Center cloud: Global (default), USGov or China (21Vianet).

    .PARAMETER BaseUrl
    Overrides the Partner Center API address, for example the emulator's http://127.0.0.1:PORT. Plain
    http:// is accepted only for loopback hosts.

    .PARAMETER Authority
    Overrides the Entra ID sign-in address (for example the emulator's base URL). Plain http:// is
    accepted only for loopback hosts.

    .PARAMETER CorrelationId
    The MS-CorrelationId sent with every request of this connection. A new one is made when omitted.

    .INPUTS
    Objects with ApplicationId and Tenant properties (by property name).

    .OUTPUTS
    PartnerCenterNative.Connection

    .EXAMPLE
    $refreshToken = Read-Host -Prompt 'Refresh token' -AsSecureString
    Add-PCAuthentication -ApplicationId $appId -Tenant contoso.onmicrosoft.com -RefreshToken $refreshToken
    $inviteURL = (New-PCRelationshipRequest).url

    Signs in with App+User credentials and gets the reseller-relationship invitation link.

    .EXAMPLE
    Add-PCAuthentication -ApplicationId $appId -Tenant contoso.onmicrosoft.com -UseDeviceAuthentication
    $refreshToken = (Get-PCAuthentication).RefreshToken

    Signs in interactively (the user enters the shown code at the shown address and completes
    multi-factor authentication), then keeps the refresh token for unattended runs.

    .EXAMPLE
    $secret = Get-Credential -UserName $appId -Message 'Application secret'
    Add-PCAuthentication -CspAppId $appId -CspDomain contoso.onmicrosoft.com -Credential $secret

    App-only sign-in with the community module's parameter names and the secret in a PSCredential.

    .EXAMPLE
    Add-PCAuthentication -ApplicationId 00000000-0000-0000-0000-00000000e1e1 -Tenant emulator.onmicrosoft.com -RefreshToken (ConvertTo-SecureString 'emulator-refresh-token' -AsPlainText -Force) -BaseUrl http://127.0.0.1:8080 -Authority http://127.0.0.1:8080

    Signs in to the local Partner Center emulator with its documented development credentials.

    .LINK
    Get-PCAuthentication

    .LINK
    New-PCRelationshipRequest

    .LINK
    about_PartnerCenterNative
    #>
    [CmdletBinding(DefaultParameterSetName = 'RefreshToken')]
    [OutputType('PartnerCenterNative.Connection')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'RefreshToken', ValueFromPipelineByPropertyName = $true)]
        [Parameter(Mandatory = $true, ParameterSetName = 'ApplicationSecret', ValueFromPipelineByPropertyName = $true)]
        [Parameter(Mandatory = $true, ParameterSetName = 'DeviceCode', ValueFromPipelineByPropertyName = $true)]
        [Alias('CspAppId', 'ClientId', 'AppId')]
        [ValidateNotNullOrEmpty()]
        [string]
        $ApplicationId,

        [Parameter(Mandatory = $true, ParameterSetName = 'RefreshToken', ValueFromPipelineByPropertyName = $true)]
        [Parameter(Mandatory = $true, ParameterSetName = 'ApplicationSecret', ValueFromPipelineByPropertyName = $true)]
        [Parameter(Mandatory = $true, ParameterSetName = 'DeviceCode', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'AccessToken', ValueFromPipelineByPropertyName = $true)]
        [Alias('CspDomain', 'TenantId', 'Domain')]
        [ValidateNotNullOrEmpty()]
        [string]
        $Tenant,

        [Parameter(Mandatory = $true, ParameterSetName = 'RefreshToken')]
        [ValidateNotNull()]
        [securestring]
        $RefreshToken,

        [Parameter(ParameterSetName = 'RefreshToken')]
        [Parameter(ParameterSetName = 'ApplicationSecret')]
        [Alias('CspClientSecret', 'ClientSecret')]
        [ValidateNotNull()]
        [securestring]
        $ApplicationSecret,

        [Parameter(ParameterSetName = 'RefreshToken')]
        [Parameter(ParameterSetName = 'ApplicationSecret')]
        [ValidateNotNull()]
        [pscredential]
        [System.Management.Automation.Credential()]
        $Credential,

        [Parameter(Mandatory = $true, ParameterSetName = 'AccessToken')]
        [ValidateNotNull()]
        [securestring]
        $AccessToken,

        [Parameter(Mandatory = $true, ParameterSetName = 'DeviceCode')]
        [Alias('DeviceCode')]
        [switch]
        $UseDeviceAuthentication,

        [ValidateSet('Global', 'USGov', 'China')]
        [string]
        $Environment = 'Global',

        [ValidateNotNullOrEmpty()]
        [string]
        $BaseUrl,

        [ValidateNotNullOrEmpty()]
        [string]
        $Authority,

        [guid]
        $CorrelationId
    )

    process {
        $setName = $PSCmdlet.ParameterSetName
        $secret = $ApplicationSecret

        if ($PSBoundParameters.ContainsKey('Credential')) {
            $userName = $Credential.UserName
            if ($null -ne $userName) {
                $userName = $userName.TrimStart('\')
            }
            if (-not [string]::Equals($userName, $ApplicationId, [System.StringComparison]::OrdinalIgnoreCase)) {
                $message = ('Signing in with a user name and password (-Credential for {0}) is not supported: Partner Center requires multi-factor authentication (MFA) for App+User access, and password sign-in cannot satisfy it. Sign in interactively with -UseDeviceAuthentication, or pass a refresh token from the secure application model with -RefreshToken. To give an application secret as a PSCredential instead, use the application id ({1}) as its user name.' -f $userName, $ApplicationId)
                $record = New-PCErrorRecord -Message $message -ErrorId 'PartnerCenterNative.PasswordSignInNotSupported' -Category InvalidArgument -TargetObject $userName -RecommendedAction 'Use Add-PCAuthentication -UseDeviceAuthentication, or -RefreshToken.'
                $PSCmdlet.ThrowTerminatingError($record)
            }
            if ($PSBoundParameters.ContainsKey('ApplicationSecret')) {
                $record = New-PCErrorRecord -Message 'Give the application secret once: with -ApplicationSecret or with -Credential, not both.' -ErrorId 'PartnerCenterNative.InvalidArgument' -Category InvalidArgument -TargetObject $ApplicationId
                $PSCmdlet.ThrowTerminatingError($record)
            }
            $secret = $Credential.Password
        }

        if ($setName -eq 'ApplicationSecret' -and $null -eq $secret) {
            $record = New-PCErrorRecord -Message 'App-only sign-in needs the application secret: pass -ApplicationSecret or -Credential, or sign in as a user with -RefreshToken or -UseDeviceAuthentication.' -ErrorId 'PartnerCenterNative.InvalidArgument' -Category InvalidArgument -TargetObject $ApplicationId
            $PSCmdlet.ThrowTerminatingError($record)
        }

        $correlation = $null
        if ($PSBoundParameters.ContainsKey('CorrelationId')) {
            $correlation = $CorrelationId.ToString()
        }
        $applicationIdValue = $null
        if ($setName -ne 'AccessToken') {
            $applicationIdValue = $ApplicationId
        }
        $tenantValue = $null
        if ($PSBoundParameters.ContainsKey('Tenant')) {
            $tenantValue = $Tenant
        }
        $options = [ordered]@{
            environment    = $Environment.ToLowerInvariant()
            base_url       = $BaseUrl
            authority      = $Authority
            tenant         = $tenantValue
            client_id      = $applicationIdValue
            correlation_id = $correlation
        }
        $secrets = [ordered]@{}
        switch ($setName) {
            'RefreshToken' {
                $secrets['refresh_token'] = $RefreshToken
                $secrets['client_secret'] = $secret
            }
            'ApplicationSecret' {
                $secrets['client_secret'] = $secret
            }
            'AccessToken' {
                $secrets['access_token'] = $AccessToken
            }
        }

        if ($UseDeviceAuthentication -and -not $PSBoundParameters.ContainsKey('InformationAction')) {
            # The code and address must reach the user: show the information stream unless told otherwise.
            $InformationPreference = 'Continue'
        }

        $client = $null
        try {
            if ($UseDeviceAuthentication) {
                $flow = [PartnerCenterNative.DeviceCodeHandle]::Start((ConvertTo-PCOptionsJson -Options $options))
                try {
                    $client = Wait-PCDeviceCode -Flow $flow
                }
                finally {
                    $flow.Dispose()
                }
            }
            else {
                $client = New-PCClient -Options $options -Secrets $secrets
            }
            $info = $client.SignIn()
        }
        catch {
            if ($null -ne $client) {
                $client.Dispose()
            }
            $target = $Tenant
            if (-not $target) {
                $target = $BaseUrl
            }
            $PSCmdlet.ThrowTerminatingError((New-PCErrorRecord -Exception $_.Exception -TargetObject $target))
        }

        Set-PCSession -Client $client -ApplicationId $applicationIdValue
        Write-Verbose -Message ('Signed in to Partner Center ({0}) for tenant {1}.' -f $Environment, $Tenant)
        ConvertTo-PCConnection -InfoJson $info -ApplicationId $applicationIdValue
    }
}
