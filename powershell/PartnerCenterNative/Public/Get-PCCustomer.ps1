function Get-PCCustomer {
    <#
    .SYNOPSIS
    Gets the partner's customers: all of them, those whose domain or company name starts with a
    prefix, or one by id.

    .DESCRIPTION
    Get-PCCustomer lists the customers the partner has a reseller relationship with, page by page,
    and writes each customer to the pipeline as soon as its page arrives: the first customers can
    be processed while later pages are still on the service, and memory stays flat however many
    customers there are. A command later in the pipeline that stops early (for example
    Select-Object -First 3) ends the listing; no further page is requested and the native listing
    is freed.

    -Domain and -CompanyName list only the customers whose domain or company name starts with the
    given text (case-insensitive). -CustomerId gets customers by id instead, including customers
    whose relationship was removed; it takes ids from the pipeline, or the CustomerId or Id
    property of piped objects.

    Each customer is a PartnerCenterNative.Customer object with the service's fields (id,
    commerceId, companyProfile with tenantId, domain and companyName, relationshipToPartner,
    allowDelegatedAccess when got by id, links, attributes, and any field the service adds) plus
    the convenient top-level CustomerId, Domain, CompanyName and TenantId.

    The command uses the session's connection (Add-PCAuthentication). The library retries
    throttled (429) and failed (5xx) requests within the call's deadline. A listing that fails
    stops with an error; with -CustomerId, a customer that cannot be got is reported as a
    non-terminating error (ObjectNotFound for an unknown id) and the next id is tried.

    .PARAMETER CustomerId
    The id of a customer to get (a GUID, the customer's tenant id). Accepts pipeline input, and
    the CustomerId or Id property of piped objects.

    .PARAMETER Domain
    Lists only the customers whose primary domain starts with this text, for example contoso or
    contoso.onmicrosoft.com.

    .PARAMETER CompanyName
    Lists only the customers whose company name starts with this text.

    .PARAMETER PageSize
    How many customers each request asks for, 1 to 500 (default 500, the largest page Partner
    Center serves). Smaller pages bring the first customers sooner.

    .INPUTS
    System.String (customer ids), or objects with a CustomerId or Id property.

    .OUTPUTS
    PartnerCenterNative.Customer

    .EXAMPLE
    Get-PCCustomer | Select-Object -Property CustomerId, Domain, CompanyName

    Lists every customer, streaming them as the pages arrive.

    .EXAMPLE
    Get-PCCustomer -Domain contoso | Select-Object -First 3

    Shows the first three customers whose domain starts with contoso; no further page is requested
    once three have been shown.

    .EXAMPLE
    Get-PCCustomer -CustomerId 0f8fad5b-d9cb-469f-a165-70867728950e

    Gets one customer by id, with allowDelegatedAccess.

    .EXAMPLE
    Get-PCCustomer -CompanyName 'Fabrikam' | Get-PCCustomerBillingProfile

    Gets the billing profiles of the customers whose company name starts with Fabrikam.

    .LINK
    Wait-PCCustomer

    .LINK
    Get-PCCustomerBillingProfile

    .LINK
    about_PartnerCenterNative
    #>
    [CmdletBinding(DefaultParameterSetName = 'All')]
    [OutputType('PartnerCenterNative.Customer')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'CustomerId', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [ValidateNotNullOrEmpty()]
        [string]
        $CustomerId,

        [Parameter(Mandatory = $true, ParameterSetName = 'Domain')]
        [ValidateNotNullOrEmpty()]
        [string]
        $Domain,

        [Parameter(Mandatory = $true, ParameterSetName = 'CompanyName')]
        [ValidateNotNullOrEmpty()]
        [string]
        $CompanyName,

        [Parameter(ParameterSetName = 'All')]
        [Parameter(ParameterSetName = 'Domain')]
        [Parameter(ParameterSetName = 'CompanyName')]
        [ValidateRange(1, 500)]
        [int]
        $PageSize = 500
    )

    begin {
        $client = Get-PCSessionClient -Cmdlet $PSCmdlet
    }

    process {
        if ($PSCmdlet.ParameterSetName -eq 'CustomerId') {
            try {
                $json = $client.GetCustomer($CustomerId)
            }
            catch {
                $PSCmdlet.WriteError((New-PCErrorRecord -Exception $_.Exception -TargetObject $CustomerId))
                return
            }
            ConvertTo-PCCustomer -Customer (ConvertFrom-Json -InputObject $json)
            return
        }

        $query = [ordered]@{}
        $target = 'customers'
        if ($PSCmdlet.ParameterSetName -eq 'Domain') {
            $query['domain'] = $Domain
            $target = $Domain
        }
        elseif ($PSCmdlet.ParameterSetName -eq 'CompanyName') {
            $query['companyName'] = $CompanyName
            $target = $CompanyName
        }
        $query['pageSize'] = $PageSize

        # One page at a time: pull a page, write its customers, pull the next. The finally block
        # frees the native cursor however the loop ends: the last page, an error, or a stop from
        # downstream (Select-Object -First raises a pipeline-stopping exception through the
        # output statement below, which only a finally block sees).
        $pages = $null
        try {
            try {
                $pages = $client.ListCustomers((ConvertTo-PCOptionsJson -Options $query))
            }
            catch {
                $PSCmdlet.ThrowTerminatingError((New-PCErrorRecord -Exception $_.Exception -TargetObject $target))
            }
            $pageNumber = 0
            while ($true) {
                try {
                    $page = $pages.Next()
                }
                catch {
                    $PSCmdlet.ThrowTerminatingError((New-PCErrorRecord -Exception $_.Exception -TargetObject $target))
                }
                if ($null -eq $page) {
                    break
                }
                $pageNumber++
                Write-Verbose -Message ('Customers: page {0} received.' -f $pageNumber)
                foreach ($customer in (ConvertFrom-Json -InputObject $page)) {
                    ConvertTo-PCCustomer -Customer $customer
                }
            }
        }
        finally {
            if ($null -ne $pages) {
                $pages.Dispose()
            }
        }
    }
}
