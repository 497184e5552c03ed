function ConvertTo-PCBillingProfile {
    # The PartnerCenterNative.BillingProfile object from the library's profile JSON: the whole
    # service object (unknown fields and attributes.etag included) plus a CustomerId property,
    # which Set-PCCustomerBillingProfile removes again before it sends the profile back.
    [CmdletBinding()]
    [OutputType('PartnerCenterNative.BillingProfile')]
    param(
        [Parameter(Mandatory = $true)]
        [string]
        $ProfileJson,

        [Parameter(Mandatory = $true)]
        [string]
        $CustomerId
    )

    $billingProfile = ConvertFrom-Json -InputObject $ProfileJson
    if ($null -eq $billingProfile.PSObject.Properties['CustomerId']) {
        $billingProfile.PSObject.Properties.Add((New-Object -TypeName System.Management.Automation.PSNoteProperty -ArgumentList 'CustomerId', $CustomerId))
    }
    $billingProfile.PSObject.TypeNames.Insert(0, 'PartnerCenterNative.BillingProfile')
    return $billingProfile
}
