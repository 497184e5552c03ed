function Remove-PCCustomerRelationship {
    <#
    .SYNOPSIS
    Removes the partner's reseller relationship with a customer.

    .DESCRIPTION
    Remove-PCCustomerRelationship ends the partner's reseller relationship with a customer
    (PATCH /v1/customers/{id} with relationshipToPartner none) and returns the updated customer as
    a PartnerCenterNative.Customer object, whose relationshipToPartner is then none.

    The customer no longer appears in Get-PCCustomer listings and the partner loses its delegated
    rights; Get-PCCustomer -CustomerId still finds it. To work with the customer again, send the
    invitation link of New-PCRelationshipRequest again and wait for the acceptance with
    Wait-PCCustomer.

    This cannot be undone by the partner alone, so the command asks for confirmation
    (ConfirmImpact High) unless -Confirm:$false is given; -WhatIf shows what would be removed.
    It uses the session's connection (Add-PCAuthentication). A customer whose relationship cannot
    be removed is reported as a non-terminating error, and the next piped customer is tried.

    .PARAMETER CustomerId
    The id of the customer (a GUID). Accepts the CustomerId or Id property of piped objects, such
    as the customers of Get-PCCustomer.

    .INPUTS
    Objects with a CustomerId or Id property, such as PartnerCenterNative.Customer.

    .OUTPUTS
    PartnerCenterNative.Customer (nothing with -WhatIf or when not confirmed).

    .EXAMPLE
    Remove-PCCustomerRelationship -CustomerId 0f8fad5b-d9cb-469f-a165-70867728950e

    Asks for confirmation, then removes the relationship with one customer.

    .EXAMPLE
    Get-PCCustomer -Domain contoso.onmicrosoft.com | Remove-PCCustomerRelationship -Confirm:$false

    Removes the relationship with the customer whose domain is contoso.onmicrosoft.com, without
    asking.

    .EXAMPLE
    Get-PCCustomer -CompanyName 'Test ' | Remove-PCCustomerRelationship -WhatIf

    Shows which customers' relationships would be removed.

    .LINK
    Get-PCCustomer

    .LINK
    New-PCRelationshipRequest
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    [OutputType('PartnerCenterNative.Customer')]
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
        if (-not $PSCmdlet.ShouldProcess(('customer {0}' -f $CustomerId), 'Remove the reseller relationship')) {
            return
        }
        try {
            $json = $client.RemoveCustomerRelationship($CustomerId)
        }
        catch {
            $PSCmdlet.WriteError((New-PCErrorRecord -Exception $_.Exception -TargetObject $CustomerId))
            return
        }
        ConvertTo-PCCustomer -Customer (ConvertFrom-Json -InputObject $json)
    }
}
