function Set-PCCustomerBillingProfile {
    <#
    .SYNOPSIS
    Changes a customer's billing (bill-to) profile, without ever overwriting a newer version.

    .DESCRIPTION
    Set-PCCustomerBillingProfile stores a customer's billing profile
    (PUT /v1/customers/{id}/profiles/billing) and returns the stored profile, with its new ETag,
    as a PartnerCenterNative.BillingProfile object.

    The profile comes either from the pipeline (-InputObject, a profile of
    Get-PCCustomerBillingProfile, possibly changed in place) or is read first (-CustomerId). The
    field parameters (-FirstName, -Email, -City, ...) change only the fields they name; the address
    parameters change the profile's defaultAddress. Everything else is sent back as it was read,
    including fields this module does not know, so nothing the service added is lost.

    The update carries the ETag of the version that was read (attributes.etag, as If-Match). If the
    profile changed on the service since then, nothing is overwritten: the command reports a
    PartnerCenterNative.Conflict error (category ResourceExists). Read the profile again, reapply
    the change and set it again. The library never retries an update blindly.

    The command supports -WhatIf and -Confirm. It uses the session's connection
    (Add-PCAuthentication). A profile that cannot be stored is reported as a non-terminating
    error, and the next piped profile is tried; add -ErrorAction Stop to stop at the first one.

    .PARAMETER InputObject
    A billing profile from Get-PCCustomerBillingProfile (by value from the pipeline). Its ETag
    guards the update and its CustomerId names the customer. The object itself is not changed.

    .PARAMETER CustomerId
    The id of the customer whose profile is read, changed with the field parameters, and stored.
    Accepts the CustomerId or Id property of piped objects, such as PartnerCenterNative.Customer.

    .PARAMETER FirstName
    The billing contact's first name (firstName).

    .PARAMETER LastName
    The billing contact's last name (lastName).

    .PARAMETER Email
    The billing contact's email address (email).

    .PARAMETER Culture
    The culture for invoices and communication, for example en-US (culture).

    .PARAMETER Language
    The language for invoices and communication, for example en (language).

    .PARAMETER CompanyName
    The company name on the bill (companyName).

    .PARAMETER AddressLine1
    The first line of the billing address (defaultAddress.addressLine1).

    .PARAMETER AddressLine2
    The second line of the billing address (defaultAddress.addressLine2); an empty string clears it.

    .PARAMETER City
    The city of the billing address (defaultAddress.city).

    .PARAMETER State
    The state or province of the billing address (defaultAddress.state).

    .PARAMETER PostalCode
    The postal code of the billing address (defaultAddress.postalCode).

    .PARAMETER Country
    The two-letter country code of the billing address, for example US (defaultAddress.country).

    .PARAMETER Region
    The region of the billing address (defaultAddress.region).

    .PARAMETER PhoneNumber
    The phone number of the billing address (defaultAddress.phoneNumber).

    .INPUTS
    PartnerCenterNative.BillingProfile, or objects with a CustomerId or Id property.

    .OUTPUTS
    PartnerCenterNative.BillingProfile (nothing with -WhatIf).

    .EXAMPLE
    Get-PCCustomerBillingProfile -CustomerId $customerId | Set-PCCustomerBillingProfile -Email billing@contoso.com -PhoneNumber '+1 425 555 0100'

    Changes the billing email and phone number; every other field is kept.

    .EXAMPLE
    Set-PCCustomerBillingProfile -CustomerId $customerId -AddressLine1 '1 Microsoft Way' -City Redmond -State WA -PostalCode 98052 -Country US -WhatIf

    Shows which fields would change, without changing anything.

    .EXAMPLE
    $billing = Get-PCCustomerBillingProfile -CustomerId $customerId
    $billing.purchaseOrderReference = 'PO-2024-17'
    try {
        $billing | Set-PCCustomerBillingProfile -ErrorAction Stop
    }
    catch {
        if ($_.FullyQualifiedErrorId -like 'PartnerCenterNative.Conflict*') {
            'Someone else changed the profile first; nothing was overwritten.'
        }
    }

    Changes a field this module has no parameter for, and handles a concurrent change.

    .LINK
    Get-PCCustomerBillingProfile

    .LINK
    about_PartnerCenterNative
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium', DefaultParameterSetName = 'InputObject')]
    [OutputType('PartnerCenterNative.BillingProfile')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'InputObject', ValueFromPipeline = $true)]
        [PSTypeName('PartnerCenterNative.BillingProfile')]
        [psobject]
        $InputObject,

        [Parameter(Mandatory = $true, ParameterSetName = 'CustomerId', ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [ValidateNotNullOrEmpty()]
        [string]
        $CustomerId,

        [string]
        $FirstName,

        [string]
        $LastName,

        [string]
        $Email,

        [string]
        $Culture,

        [string]
        $Language,

        [string]
        $CompanyName,

        [string]
        $AddressLine1,

        [string]
        $AddressLine2,

        [string]
        $City,

        [string]
        $State,

        [string]
        $PostalCode,

        [string]
        $Country,

        [string]
        $Region,

        [string]
        $PhoneNumber
    )

    begin {
        $client = Get-PCSessionClient -Cmdlet $PSCmdlet
        # Parameter -> field of the profile, and of its defaultAddress.
        $profileFields = [ordered]@{
            FirstName   = 'firstName'
            LastName    = 'lastName'
            Email       = 'email'
            Culture     = 'culture'
            Language    = 'language'
            CompanyName = 'companyName'
        }
        $addressFields = [ordered]@{
            AddressLine1 = 'addressLine1'
            AddressLine2 = 'addressLine2'
            City         = 'city'
            State        = 'state'
            PostalCode   = 'postalCode'
            Country      = 'country'
            Region       = 'region'
            PhoneNumber  = 'phoneNumber'
        }
    }

    process {
        if ($PSCmdlet.ParameterSetName -eq 'CustomerId') {
            $id = $CustomerId
            try {
                $source = ConvertTo-PCBillingProfile -ProfileJson ($client.GetBillingProfile($id)) -CustomerId $id
            }
            catch {
                $PSCmdlet.WriteError((New-PCErrorRecord -Exception $_.Exception -TargetObject $id))
                return
            }
        }
        else {
            $source = $InputObject
            $idProperty = $InputObject.PSObject.Properties['CustomerId']
            if ($null -eq $idProperty -or [string]::IsNullOrEmpty([string]$idProperty.Value)) {
                $record = New-PCErrorRecord -Message 'The billing profile has no CustomerId: pass a profile from Get-PCCustomerBillingProfile, or use -CustomerId.' -ErrorId 'PartnerCenterNative.InvalidArgument' -Category InvalidArgument -TargetObject $InputObject
                $PSCmdlet.WriteError($record)
                return
            }
            $id = [string]$idProperty.Value
        }

        # Work on a copy (the caller's object stays as it was read), without the CustomerId this
        # module added. -Depth 20: ConvertTo-Json's default depth of 2 would flatten nested
        # fields of the profile into strings.
        $changed = ConvertFrom-Json -InputObject (ConvertTo-Json -InputObject $source -Depth 20 -Compress)
        $changed.PSObject.Properties.Remove('CustomerId')

        $names = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($parameter in $profileFields.Keys) {
            if ($PSBoundParameters.ContainsKey($parameter)) {
                Set-PCObjectField -InputObject $changed -Name $profileFields[$parameter] -Value $PSBoundParameters[$parameter]
                $names.Add($profileFields[$parameter])
            }
        }
        foreach ($parameter in $addressFields.Keys) {
            if ($PSBoundParameters.ContainsKey($parameter)) {
                $addressProperty = $changed.PSObject.Properties['defaultAddress']
                if ($null -eq $addressProperty -or $null -eq $addressProperty.Value) {
                    Set-PCObjectField -InputObject $changed -Name 'defaultAddress' -Value (New-Object -TypeName psobject)
                }
                Set-PCObjectField -InputObject $changed.defaultAddress -Name $addressFields[$parameter] -Value $PSBoundParameters[$parameter]
                $names.Add('defaultAddress.' + $addressFields[$parameter])
            }
        }
        if ($PSCmdlet.ParameterSetName -eq 'CustomerId' -and $names.Count -eq 0) {
            Write-Verbose -Message ('No field to change in the billing profile of customer {0}; nothing was sent.' -f $id)
            return $source
        }

        $action = 'Store the billing profile as given'
        if ($names.Count -gt 0) {
            $action = 'Set ' + ($names -join ', ')
        }
        if (-not $PSCmdlet.ShouldProcess(('billing profile of customer {0}' -f $id), $action)) {
            return
        }

        try {
            $stored = $client.UpdateBillingProfile($id, (ConvertTo-Json -InputObject $changed -Depth 20 -Compress))
        }
        catch {
            $record = New-PCErrorRecord -Exception $_.Exception -TargetObject $id
            if ($record.FullyQualifiedErrorId -eq 'PartnerCenterNative.Conflict') {
                $message = 'The billing profile of customer {0} changed on the service since it was read (ETag {1}); nothing was overwritten. {2}' -f $id, (Get-PCBillingProfileETag -BillingProfile $changed), $record.ErrorDetails.Message
                $record.ErrorDetails = New-Object -TypeName System.Management.Automation.ErrorDetails -ArgumentList $message
                $record.ErrorDetails.RecommendedAction = 'Get the profile again with Get-PCCustomerBillingProfile, reapply the change and set it again.'
            }
            $PSCmdlet.WriteError($record)
            return
        }
        ConvertTo-PCBillingProfile -ProfileJson $stored -CustomerId $id
    }
}
