function ConvertTo-PCCustomer {
    # Tags a customer as the service sent it (an object from ConvertFrom-Json, every field kept) as
    # PartnerCenterNative.Customer and adds the convenient top-level CustomerId, Domain,
    # CompanyName and TenantId. The service's own fields are never replaced. Properties are read
    # through PSObject.Properties: the module runs under Set-StrictMode 3.0, and a field the
    # service left out must give $null, not an error.
    [CmdletBinding()]
    [OutputType('PartnerCenterNative.Customer')]
    param(
        [Parameter(Mandatory = $true)]
        [psobject]
        $Customer
    )

    $companyProfile = $null
    $companyProfileProperty = $Customer.PSObject.Properties['companyProfile']
    if ($null -ne $companyProfileProperty) {
        $companyProfile = $companyProfileProperty.Value
    }
    $convenient = [ordered]@{
        CustomerId  = @($Customer, 'id')
        Domain      = @($companyProfile, 'domain')
        CompanyName = @($companyProfile, 'companyName')
        TenantId    = @($companyProfile, 'tenantId')
    }
    foreach ($name in $convenient.Keys) {
        if ($null -ne $Customer.PSObject.Properties[$name]) {
            continue
        }
        $source = $convenient[$name][0]
        $value = $null
        if ($null -ne $source -and $null -ne $source.PSObject.Properties[$convenient[$name][1]]) {
            $value = $source.PSObject.Properties[$convenient[$name][1]].Value
        }
        $Customer.PSObject.Properties.Add((New-Object -TypeName System.Management.Automation.PSNoteProperty -ArgumentList $name, $value))
    }
    $Customer.PSObject.TypeNames.Insert(0, 'PartnerCenterNative.Customer')
    return $Customer
}
