function Get-PCCustomerBillingProfile {
    <#
    .SYNOPSIS
    Gets a customer's billing (bill-to) profile.

    .DESCRIPTION
    Get-PCCustomerBillingProfile reads a customer's billing profile
    (GET /v1/customers/{id}/profiles/billing) and returns it as a
    PartnerCenterNative.BillingProfile object: the whole object the service sent (firstName,
    lastName, email, culture, language, companyName, defaultAddress, attributes with the etag,
    and every field the service adds) plus a CustomerId property.

    The profile's attributes.etag records the version that was read. Pipe the object, changed or
    not, to Set-PCCustomerBillingProfile: the update is sent with that ETag, so it fails instead
    of overwriting a profile someone changed in the meantime.

    The command uses the session's connection (Add-PCAuthentication). It takes customer ids from
    the CustomerId (or Id) property of piped objects, such as the customers of Get-PCCustomer; a
    profile that cannot be read is reported as a non-terminating error and the next customer is
    tried.

    .PARAMETER CustomerId
    The id of the customer (a GUID). Accepts the CustomerId or Id property of piped objects.

    .INPUTS
    Objects with a CustomerId or Id property, such as PartnerCenterNative.Customer.

    .OUTPUTS
    PartnerCenterNative.BillingProfile

    .EXAMPLE
    Get-PCCustomerBillingProfile -CustomerId 0f8fad5b-d9cb-469f-a165-70867728950e

    Shows a customer's billing profile.

    .EXAMPLE
    Get-PCCustomer -Domain contoso.onmicrosoft.com | Get-PCCustomerBillingProfile | Select-Object -ExpandProperty defaultAddress

    Shows the billing address of the customer with the domain contoso.onmicrosoft.com.

    .EXAMPLE
    $billing = Get-PCCustomerBillingProfile -CustomerId $customerId
    $billing.attributes.etag

    Shows the version (ETag) an update of this profile will be checked against.

    .LINK
    Set-PCCustomerBillingProfile

    .LINK
    Get-PCCustomer
    #>
    [CmdletBinding()]
    [OutputType('PartnerCenterNative.BillingProfile')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [ValidateNotNullOrEmpty()]
        [string]
        $CustomerId
    )

    begin {
        $client = Get-PCSessionClient -Cmdlet $PSCmdlet
    }

    process {
        try {
            $json = $client.GetBillingProfile($CustomerId)
        }
        catch {
            $PSCmdlet.WriteError((New-PCErrorRecord -Exception $_.Exception -TargetObject $CustomerId))
            return
        }
        ConvertTo-PCBillingProfile -ProfileJson $json -CustomerId $CustomerId
    }
}
