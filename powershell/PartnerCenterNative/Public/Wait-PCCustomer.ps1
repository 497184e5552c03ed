function Wait-PCCustomer {
    <#
    .SYNOPSIS
    Waits until a customer accepts the reseller invitation and appears with a reseller
    relationship.

    .DESCRIPTION
    Wait-PCCustomer polls Partner Center until the customer with the given primary domain (exact,
    case-insensitive) or tenant id appears in the partner's customer list with a reseller
    relationship, then returns it as a PartnerCenterNative.Customer object. It is the step after
    sending the link of New-PCRelationshipRequest: the customer's global administrator opens the
    link, signs in and accepts.

    The wait runs in slices of at most ten seconds (or one poll interval, when that is longer);
    between slices a progress bar shows how long it has waited out of -TimeoutSeconds, and Ctrl+C
    takes effect. Polling stays well inside Partner Center's rate limit, and the library honours
    the service's throttling.

    When the customer has not appeared after -TimeoutSeconds, the command stops with a
    PartnerCenterNative.Timeout error (category OperationTimeout). Other failures (for example
    an expired sign-in) stop it with the library's error.

    .PARAMETER Domain
    The customer's primary domain, for example contoso.onmicrosoft.com (matched exactly,
    case-insensitive).

    .PARAMETER TenantId
    The customer's tenant id (a GUID), when it is known in advance.

    .PARAMETER TimeoutSeconds
    How long to wait in total, in seconds (default 600, at most 86400).

    .PARAMETER PollIntervalSeconds
    How often to ask Partner Center, in seconds (default 5, from 1 to 300).

    .INPUTS
    Objects with a Domain or TenantId property (by property name).

    .OUTPUTS
    PartnerCenterNative.Customer

    .EXAMPLE
    $inviteURL = (New-PCRelationshipRequest).url
    # ... send $inviteURL to Contoso's global administrator ...
    $customer = Wait-PCCustomer -Domain contoso.onmicrosoft.com -TimeoutSeconds 3600

    Sends the invitation link and waits up to an hour for Contoso's administrator to accept it.

    .EXAMPLE
    try {
        Wait-PCCustomer -TenantId 0f8fad5b-d9cb-469f-a165-70867728950e -TimeoutSeconds 120 -ErrorAction Stop
    }
    catch {
        if ($_.CategoryInfo.Category -eq 'OperationTimeout') {
            'Not accepted yet; try again later.'
        }
    }

    Waits two minutes for a customer known by its tenant id and handles the timeout.

    .LINK
    New-PCRelationshipRequest

    .LINK
    Get-PCCustomer
    #>
    [CmdletBinding(DefaultParameterSetName = 'Domain')]
    [OutputType('PartnerCenterNative.Customer')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Domain', Position = 0, ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [string]
        $Domain,

        [Parameter(Mandatory = $true, ParameterSetName = 'TenantId', ValueFromPipelineByPropertyName = $true)]
        [guid]
        $TenantId,

        [ValidateRange(1, 86400)]
        [int]
        $TimeoutSeconds = 600,

        [ValidateRange(1, 300)]
        [int]
        $PollIntervalSeconds = 5
    )

    begin {
        $client = Get-PCSessionClient -Cmdlet $PSCmdlet
    }

    process {
        $query = [ordered]@{}
        if ($PSCmdlet.ParameterSetName -eq 'TenantId') {
            $target = $TenantId.ToString()
            $query['tenantId'] = $target
        }
        else {
            $target = $Domain
            $query['domain'] = $Domain
        }
        $pollMs = [long]$PollIntervalSeconds * 1000
        $query['pollIntervalMs'] = $pollMs
        $query['maxPollIntervalMs'] = $pollMs
        $timeoutMs = [long]$TimeoutSeconds * 1000
        # A slice is short enough for the progress bar and Ctrl+C, and no shorter than one poll
        # interval: each slice polls once as it starts.
        $sliceMs = [math]::Max([long]10000, $pollMs)
        $activity = 'Waiting for customer {0} to accept the reseller relationship' -f $target

        $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
        $json = $null
        try {
            while ($null -eq $json) {
                $elapsedMs = $stopwatch.ElapsedMilliseconds
                $remainingMs = $timeoutMs - $elapsedMs
                if ($remainingMs -le 0) {
                    break
                }
                $percent = [int][math]::Min(100, [math]::Floor($elapsedMs * 100 / $timeoutMs))
                $status = '{0:N0} s of {1:N0} s elapsed' -f [math]::Floor($elapsedMs / 1000), $TimeoutSeconds
                Write-Progress -Activity $activity -Status $status -PercentComplete $percent -SecondsRemaining ([int][math]::Ceiling($remainingMs / 1000))

                $query['timeoutMs'] = [long][math]::Min($remainingMs, $sliceMs)
                try {
                    $json = $client.WaitForCustomer((ConvertTo-PCOptionsJson -Options $query))
                }
                catch {
                    $record = New-PCErrorRecord -Exception $_.Exception -TargetObject $target
                    if ($record.FullyQualifiedErrorId -ne 'PartnerCenterNative.Timeout') {
                        $PSCmdlet.ThrowTerminatingError($record)
                    }
                    Write-Verbose -Message ('Customer {0} not there yet after {1:N0} s.' -f $target, ($stopwatch.ElapsedMilliseconds / 1000))
                }
            }
        }
        finally {
            Write-Progress -Activity $activity -Completed
        }

        if ($null -eq $json) {
            $message = 'Customer {0} did not appear with a reseller relationship within {1} seconds.' -f $target, $TimeoutSeconds
            $record = New-PCErrorRecord -Message $message -ErrorId 'PartnerCenterNative.Timeout' -Category OperationTimeout -TargetObject $target -RecommendedAction 'Check that the customer''s global administrator received and accepted the invitation link (New-PCRelationshipRequest), then wait again, with a longer -TimeoutSeconds if needed.'
            $PSCmdlet.ThrowTerminatingError($record)
        }
        ConvertTo-PCCustomer -Customer (ConvertFrom-Json -InputObject $json)
    }
}
