function New-PCRelationshipRequest {
    <#
    .SYNOPSIS
    Gets the reseller-relationship invitation link to send to customers.

    .DESCRIPTION
    New-PCRelationshipRequest asks Partner Center for the partner's reseller-relationship request
    (GET /v1/customers/relationshiprequests) and returns it as a
    PartnerCenterNative.RelationshipRequest object: url (the link), attributes (with objectType),
    RequestId and CorrelationId.

    The link names only the partner, never a customer, so the same link can be mailed to every
    customer. The customer's global administrator opens it, signs in and accepts; the customer then
    appears in the partner's customer list.

    The request needs App+User credentials (Add-PCAuthentication -RefreshToken or
    -UseDeviceAuthentication); an app-only connection is refused with a PermissionDenied error.
    Without -AccessToken the session's connection is used; without a connection the command fails
    with an error that names Add-PCAuthentication.

    Although its verb is New (the name scripts already use), the command only reads: it changes
    nothing in Partner Center, so it has no -WhatIf or -Confirm.

    .PARAMETER AccessToken
    An App+User access token for a one-off call without Add-PCAuthentication, as a SecureString. The
    session's connection, if any, is neither used nor changed.

    .PARAMETER Environment
    With -AccessToken: the Partner Center cloud, Global (default), USGov or China.

    .PARAMETER BaseUrl
    With -AccessToken: overrides the Partner Center API address (for example the emulator's).

    .PARAMETER CorrelationId
    With -AccessToken: the MS-CorrelationId to send. A new one is made when omitted.

    .INPUTS
    Objects with an AccessToken property (by property name).

    .OUTPUTS
    PartnerCenterNative.RelationshipRequest

    .EXAMPLE
    Add-PCAuthentication -ApplicationId $appId -Tenant $tenant -RefreshToken $refreshToken
    $inviteURL = (New-PCRelationshipRequest).url

    Gets the invitation link to mail to customers.

    .EXAMPLE
    $request = New-PCRelationshipRequest
    $request.attributes.objectType
    $request.RequestId

    Shows the object type Partner Center reported and the MS-RequestId to quote in a support ticket.

    .EXAMPLE
    New-PCRelationshipRequest -AccessToken $accessToken | Select-Object -ExpandProperty url

    A one-off call with an access token obtained elsewhere.

    .LINK
    Add-PCAuthentication

    .LINK
    about_PartnerCenterNative
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = 'Reads the partner''s invitation link with a GET; nothing changes in Partner Center.')]
    [CmdletBinding(DefaultParameterSetName = 'Connection')]
    [OutputType('PartnerCenterNative.RelationshipRequest')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'AccessToken', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNull()]
        [securestring]
        $AccessToken,

        [Parameter(ParameterSetName = 'AccessToken')]
        [ValidateSet('Global', 'USGov', 'China')]
        [string]
        $Environment = 'Global',

        [Parameter(ParameterSetName = 'AccessToken')]
        [ValidateNotNullOrEmpty()]
        [string]
        $BaseUrl,

        [Parameter(ParameterSetName = 'AccessToken')]
        [guid]
        $CorrelationId
    )

    process {
        $oneOffClient = $null
        if ($PSCmdlet.ParameterSetName -eq 'AccessToken') {
            $correlation = $null
            if ($PSBoundParameters.ContainsKey('CorrelationId')) {
                $correlation = $CorrelationId.ToString()
            }
            $options = [ordered]@{
                environment    = $Environment.ToLowerInvariant()
                base_url       = $BaseUrl
                correlation_id = $correlation
            }
            try {
                $oneOffClient = New-PCClient -Options $options -Secrets @{ access_token = $AccessToken }
            }
            catch {
                $PSCmdlet.ThrowTerminatingError((New-PCErrorRecord -Exception $_.Exception -TargetObject $BaseUrl))
            }
            $client = $oneOffClient
        }
        else {
            if ($null -eq $script:PCSession) {
                $record = New-PCErrorRecord -Message 'Not signed in to Partner Center: run Add-PCAuthentication first (or pass -AccessToken).' -ErrorId 'PartnerCenterNative.NotConnected' -Category AuthenticationError -RecommendedAction 'Run Add-PCAuthentication -ApplicationId <id> -Tenant <tenant> -RefreshToken <token>, or -UseDeviceAuthentication.'
                $PSCmdlet.ThrowTerminatingError($record)
            }
            $client = $script:PCSession.Client
        }

        try {
            $json = $client.NewRelationshipRequest()
        }
        catch {
            $PSCmdlet.ThrowTerminatingError((New-PCErrorRecord -Exception $_.Exception -TargetObject 'relationshiprequests'))
        }
        finally {
            if ($null -ne $oneOffClient) {
                $oneOffClient.Dispose()
            }
        }

        $answer = ConvertFrom-Json -InputObject $json
        [PSCustomObject]@{
            PSTypeName    = 'PartnerCenterNative.RelationshipRequest'
            url           = $answer.url
            attributes    = $answer.attributes
            RequestId     = $answer.requestId
            CorrelationId = $answer.correlationId
        }
    }
}
