#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 tests of the customer and billing-profile cmdlets against the Partner Center emulator
# (seeded with $SeededCustomers customers), on Windows PowerShell 5.1 and PowerShell 7.
# Run: Invoke-Pester -Path powershell/PartnerCenterNative/tests -Output Detailed

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    Import-Module -Name (Get-TestModuleManifest) -Force -ErrorAction Stop
    $Emulator = Start-TestEmulator

    function Get-TestPageRequestCount {
        # Not @(...) around the call: Windows PowerShell 5.1 returns the JSON array as one object,
        # which the pipeline below unrolls.
        $requests = Invoke-EmulatorAdmin -Method Get -Path '/_emulator/requests'
        return @($requests | Where-Object -FilterScript { $_.method -eq 'GET' -and $_.path -eq '/v1/customers' }).Count
    }

    function New-TestDomain {
        return ('pester-{0}.onmicrosoft.com' -f [guid]::NewGuid().ToString('N').Substring(0, 12))
    }
}

AfterAll {
    if (Get-Module -Name PartnerCenterNative) {
        Remove-PCAuthentication
        Remove-Module -Name PartnerCenterNative -Force
    }
    Stop-TestEmulator -Emulator $Emulator
}

Describe 'Get-PCCustomer' {
    BeforeAll {
        Remove-PCAuthentication
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
        Add-TestAppUserConnection | Out-Null
        $all = @(Get-PCCustomer -PageSize 7)
    }

    It 'fails without a connection, naming Add-PCAuthentication' {
        Remove-PCAuthentication
        try {
            $record = { Get-PCCustomer } | Should -Throw -PassThru
            $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.NotConnected*'
            $record.Exception.Message | Should -Match 'Add-PCAuthentication'
        }
        finally {
            Add-TestAppUserConnection | Out-Null
        }
    }

    It 'lists every customer once, as PartnerCenterNative.Customer objects' {
        $all.Count | Should -Be $SeededCustomers
        @($all | Select-Object -ExpandProperty CustomerId -Unique).Count | Should -Be $SeededCustomers
        foreach ($customer in $all) {
            $customer.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.Customer'
            $customer.CustomerId | Should -Be $customer.id
            $customer.TenantId | Should -Be $customer.companyProfile.tenantId
            $customer.Domain | Should -Be $customer.companyProfile.domain
            $customer.CompanyName | Should -Be $customer.companyProfile.companyName
            $customer.relationshipToPartner | Should -Be 'reseller'
        }
    }

    It 'writes typed objects, shown by the module''s table view' {
        $all[0] | Should -BeOfType ([PartnerCenterNative.Customer])
        (Get-FormatData -TypeName 'PartnerCenterNative.Customer').FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.TableControl])
        $table = $all | Select-Object -First 3 | Out-String -Width 200
        $table | Should -Match 'CustomerId\s+Domain\s+CompanyName\s+RelationshipToPartner'
        $table | Should -Match ([regex]::Escape($all[0].CustomerId))
    }

    It 'keeps the fields the service added, and every documented one' {
        $customer = $all[0]
        $customer.commerceId | Should -Not -BeNullOrEmpty
        $customer.attributes.objectType | Should -Be 'Customer'
        $customer.links.self.uri | Should -Match $customer.CustomerId
    }

    It 'streams: Select-Object -First 3 stops the listing after the first page' {
        Invoke-EmulatorAdmin -Method Delete -Path '/_emulator/requests' | Out-Null
        $first = @(Get-PCCustomer -PageSize 5 | Select-Object -First 3)
        $first.Count | Should -Be 3
        $first[0].CustomerId | Should -Be $all[0].CustomerId
        Get-TestPageRequestCount | Should -Be 1

        Invoke-EmulatorAdmin -Method Delete -Path '/_emulator/requests' | Out-Null
        $seven = @(Get-PCCustomer -PageSize 5 | Select-Object -First 7)
        $seven.Count | Should -Be 7
        Get-TestPageRequestCount | Should -Be 2

        # The stopped listings were freed: the connection is still usable for a complete one.
        @(Get-PCCustomer -PageSize 500).Count | Should -Be $SeededCustomers
    }

    It 'writes the first customers before the listing ends' {
        Invoke-EmulatorAdmin -Method Delete -Path '/_emulator/requests' | Out-Null
        $count = 0
        $pagesAtFirst = $null
        Get-PCCustomer -PageSize 5 | ForEach-Object {
            $count++
            if ($count -eq 1) {
                $pagesAtFirst = Get-TestPageRequestCount
            }
        }
        # The first customer arrived when one page of twelve had been requested.
        $count | Should -Be $SeededCustomers
        $pagesAtFirst | Should -Be 1
        Get-TestPageRequestCount | Should -BeGreaterOrEqual ([math]::Ceiling($SeededCustomers / 5))
    }

    It 'filters by domain prefix (case-insensitive)' {
        $sample = $all[25]
        $prefix = $sample.Domain.Substring(0, $sample.Domain.IndexOf('.') - 1)
        $expected = @($all | Where-Object -FilterScript { $_.Domain.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) })
        $found = @(Get-PCCustomer -Domain $prefix.ToUpperInvariant() -PageSize 2)
        $found.Count | Should -Be $expected.Count
        $found.CustomerId | Should -Contain $sample.CustomerId
        foreach ($customer in $found) {
            $customer.Domain.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) | Should -BeTrue
        }
    }

    It 'filters by company-name prefix' {
        $sample = $all[30]
        $prefix = $sample.CompanyName.Substring(0, $sample.CompanyName.IndexOf(' ') + 3)
        $expected = @($all | Where-Object -FilterScript { $_.CompanyName.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) })
        $found = @(Get-PCCustomer -CompanyName $prefix)
        $found.Count | Should -Be $expected.Count
        $found.CustomerId | Should -Contain $sample.CustomerId
    }

    It 'returns nothing for a prefix nobody has' {
        @(Get-PCCustomer -Domain ('nobody-{0}' -f [guid]::NewGuid())).Count | Should -Be 0
    }

    It 'gets customers by -CustomerId and from the pipeline' {
        $one = Get-PCCustomer -CustomerId $all[0].CustomerId
        $one.CustomerId | Should -Be $all[0].CustomerId
        $one.allowDelegatedAccess | Should -BeTrue
        $one.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.Customer'
        @($all[1], $all[2] | Get-PCCustomer).CustomerId | Should -Be @($all[1].CustomerId, $all[2].CustomerId)
        @($all[3].CustomerId | Get-PCCustomer).Count | Should -Be 1
        @([PSCustomObject]@{ Id = $all[4].CustomerId } | Get-PCCustomer).CustomerId | Should -Be $all[4].CustomerId
    }

    It 'writes a non-terminating ObjectNotFound error for an unknown id, and goes on' {
        $unknown = [guid]::NewGuid().ToString()
        $found = @($unknown, $all[0].CustomerId | Get-PCCustomer -ErrorAction SilentlyContinue -ErrorVariable problems)
        $found.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.NotFound*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be $unknown
    }

    It 'validates -PageSize' {
        { Get-PCCustomer -PageSize 501 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Get-PCCustomer -PageSize 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'Wait-PCCustomer' {
    BeforeAll {
        Remove-PCAuthentication
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
        Add-TestAppUserConnection | Out-Null
    }

    It 'returns the customer once its acceptance is posted' {
        $domain = New-TestDomain
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/invitations/accept' -Body @{ domain = $domain; companyName = 'Pester Waiters Ltd'; delayMs = 2500 } | Out-Null
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $customer = Wait-PCCustomer -Domain $domain -TimeoutSeconds 60 -PollIntervalSeconds 1
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 2
        $customer.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.Customer'
        $customer.Domain | Should -Be $domain
        $customer.CompanyName | Should -Be 'Pester Waiters Ltd'
        $customer.relationshipToPartner | Should -Be 'reseller'
        (Get-PCCustomer -Domain $domain).CustomerId | Should -Be $customer.CustomerId
    }

    It 'waits for a tenant id' {
        $tenantId = [guid]::NewGuid()
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/invitations/accept' -Body @{ tenantId = $tenantId.ToString(); domain = (New-TestDomain); companyName = 'Pester Tenant Ltd'; delayMs = 1000 } | Out-Null
        $customer = Wait-PCCustomer -TenantId $tenantId -TimeoutSeconds 60 -PollIntervalSeconds 1
        $customer.TenantId | Should -Be $tenantId.ToString()
        $customer.CustomerId | Should -Be $tenantId.ToString()
    }

    It 'stops with PartnerCenterNative.Timeout (OperationTimeout) when nobody accepts' {
        $domain = New-TestDomain
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $record = { Wait-PCCustomer -Domain $domain -TimeoutSeconds 3 -PollIntervalSeconds 1 } | Should -Throw -PassThru
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2.5
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Timeout*'
        $record.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $record.ErrorDetails.Message | Should -Match ([regex]::Escape($domain))
        $record.Exception | Should -BeOfType ([PartnerCenterNative.PartnerCenterException])
        $record.Exception.Kind | Should -Be 'Timeout'
        $record.TargetObject | Should -Be $domain
    }
}

Describe 'Get-PCCustomerBillingProfile and Set-PCCustomerBillingProfile' {
    BeforeAll {
        Remove-PCAuthentication
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
        Add-TestAppUserConnection | Out-Null
        $customers = @(Get-PCCustomer -PageSize 10 | Select-Object -First 10)
    }

    It 'gets the whole profile with its ETag, unknown fields and the CustomerId' {
        $billing = $customers[0] | Get-PCCustomerBillingProfile
        $billing.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.BillingProfile'
        $billing.CustomerId | Should -Be $customers[0].CustomerId
        $billing.attributes.etag | Should -Not -BeNullOrEmpty
        $billing.purchaseOrderReference | Should -Not -BeNullOrEmpty
        $billing.defaultAddress.addressLine3 | Should -Not -BeNullOrEmpty
        $billing.email | Should -Match '@'
    }

    It 'writes typed profiles, shown by the module''s table view' {
        $billing = $customers[0] | Get-PCCustomerBillingProfile
        $billing | Should -BeOfType ([PartnerCenterNative.BillingProfile])
        $billing.ETag | Should -Be $billing.attributes.etag
        ($billing | Out-String -Width 200) | Should -Match 'CustomerId\s+CompanyName\s+FirstName\s+LastName\s+Email\s+Culture'
    }

    It 'supports -WhatIf and -Confirm' {
        $type = (Get-Command -Name Set-PCCustomerBillingProfile).ImplementingType
        $binding = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $binding.SupportsShouldProcess | Should -BeTrue
        (Get-Command -Name Set-PCCustomerBillingProfile).Parameters.Keys | Should -Contain 'WhatIf'
    }

    It 'changes only the given fields, keeps the others and the unknown ones, and leaves the input alone' {
        $billing = Get-PCCustomerBillingProfile -CustomerId $customers[1].CustomerId
        $oldCity = $billing.defaultAddress.city
        $stored = $billing | Set-PCCustomerBillingProfile -City 'Redmond' -Email 'billing@pester.example' -Confirm:$false
        $stored.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.BillingProfile'
        $stored.CustomerId | Should -Be $customers[1].CustomerId
        $stored.defaultAddress.city | Should -Be 'Redmond'
        $stored.email | Should -Be 'billing@pester.example'
        $stored.firstName | Should -Be $billing.firstName
        $stored.defaultAddress.addressLine1 | Should -Be $billing.defaultAddress.addressLine1
        $stored.defaultAddress.addressLine3 | Should -Be $billing.defaultAddress.addressLine3
        $stored.purchaseOrderReference | Should -Be $billing.purchaseOrderReference
        $stored.attributes.etag | Should -Not -Be $billing.attributes.etag
        $billing.defaultAddress.city | Should -Be $oldCity
    }

    It 'sends fields changed on the object, nested ones intact (no ConvertTo-Json depth loss)' {
        $billing = Get-PCCustomerBillingProfile -CustomerId $customers[2].CustomerId
        $billing.purchaseOrderReference = 'PO-PESTER'
        $nested = [PSCustomObject]@{ level1 = [PSCustomObject]@{ level2 = [PSCustomObject]@{ level3 = @('a', [PSCustomObject]@{ level5 = 'deep' }) } } }
        $billing | Add-Member -NotePropertyName 'pesterExtension' -NotePropertyValue $nested
        $billing | Set-PCCustomerBillingProfile -Confirm:$false | Out-Null
        $after = Get-PCCustomerBillingProfile -CustomerId $customers[2].CustomerId
        $after.purchaseOrderReference | Should -Be 'PO-PESTER'
        $after.pesterExtension.level1.level2.level3[1].level5 | Should -Be 'deep'
        $after.PSObject.Properties.Name | Should -Contain 'CustomerId'
    }

    It 'stores a copy of a profile (Select-Object *, a job, Import-Clixml) with its changes' {
        $billing = Get-PCCustomerBillingProfile -CustomerId $customers[6].CustomerId
        $copy = $billing | Select-Object -Property *
        $copy.Email = 'copy@pester.example'
        $copy.defaultAddress.city = 'Copytown'
        $stored = $copy | Set-PCCustomerBillingProfile -Confirm:$false -ErrorAction Stop
        $stored.email | Should -Be 'copy@pester.example'
        $stored.defaultAddress.city | Should -Be 'Copytown'
        $stored.purchaseOrderReference | Should -Be $billing.purchaseOrderReference
        $stored.attributes.etag | Should -Not -Be $billing.attributes.etag

        $file = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('profile-{0}.xml' -f [guid]::NewGuid())
        try {
            $stored | Export-Clixml -Path $file
            $revived = Import-Clixml -Path $file
            $revived.PSObject.TypeNames[0] | Should -Be 'Deserialized.PartnerCenterNative.BillingProfile'
            $again = $revived | Set-PCCustomerBillingProfile -Culture 'fr-FR' -Confirm:$false -ErrorAction Stop
            $again.culture | Should -Be 'fr-FR'
            $again.email | Should -Be 'copy@pester.example'
        }
        finally {
            Remove-Item -Path $file -ErrorAction SilentlyContinue
        }
    }

    It 'reads the profile first with -CustomerId, and takes customers from the pipeline' {
        $stored = Set-PCCustomerBillingProfile -CustomerId $customers[3].CustomerId -PostalCode '98052' -Confirm:$false
        $stored.defaultAddress.postalCode | Should -Be '98052'
        $again = $customers[3] | Set-PCCustomerBillingProfile -Culture 'en-GB' -Confirm:$false
        $again.culture | Should -Be 'en-GB'
        $again.defaultAddress.postalCode | Should -Be '98052'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-PCCustomerBillingProfile -CustomerId $customers[4].CustomerId
        $result = $before | Set-PCCustomerBillingProfile -City 'Nowhere' -WhatIf
        $result | Should -BeNullOrEmpty
        $result = Set-PCCustomerBillingProfile -CustomerId $customers[4].CustomerId -Email 'whatif@pester.example' -WhatIf
        $result | Should -BeNullOrEmpty
        $after = Get-PCCustomerBillingProfile -CustomerId $customers[4].CustomerId
        $after.attributes.etag | Should -Be $before.attributes.etag
        $after.defaultAddress.city | Should -Be $before.defaultAddress.city
        $after.email | Should -Be $before.email
    }

    It 'reports a stale ETag as PartnerCenterNative.Conflict and overwrites nothing' {
        $old = Get-PCCustomerBillingProfile -CustomerId $customers[5].CustomerId
        $old | Set-PCCustomerBillingProfile -City 'First Writer' -Confirm:$false | Out-Null
        $record = { $old | Set-PCCustomerBillingProfile -City 'Second Writer' -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Conflict*'
        $record.CategoryInfo.Category | Should -Be 'ResourceExists'
        $record.Exception | Should -BeOfType [PartnerCenterNative.PartnerCenterException]
        $record.Exception.HttpStatus | Should -Be 412
        $record.ErrorDetails.Message | Should -Match 'nothing was overwritten'
        $record.ErrorDetails.RecommendedAction | Should -Match 'Get-PCCustomerBillingProfile'
        $record.TargetObject | Should -Be $customers[5].CustomerId
        (Get-PCCustomerBillingProfile -CustomerId $customers[5].CustomerId).defaultAddress.city | Should -Be 'First Writer'
    }

    It 'writes a non-terminating error for an unknown customer' {
        $result = Get-PCCustomerBillingProfile -CustomerId ([guid]::NewGuid().ToString()) -ErrorAction SilentlyContinue -ErrorVariable problems
        $result | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.NotFound*'
    }
}

Describe 'Remove-PCCustomerRelationship' {
    BeforeAll {
        Remove-PCAuthentication
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
        Add-TestAppUserConnection | Out-Null
        $customers = @(Get-PCCustomer -PageSize 10 | Select-Object -First 10)
    }

    It 'declares ConfirmImpact High and supports -WhatIf' {
        $type = (Get-Command -Name Remove-PCCustomerRelationship).ImplementingType
        $binding = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $binding.ConfirmImpact | Should -Be 'High'
        $binding.SupportsShouldProcess | Should -BeTrue
    }

    It 'changes nothing with -WhatIf' {
        $result = $customers[0] | Remove-PCCustomerRelationship -WhatIf
        $result | Should -BeNullOrEmpty
        (Get-PCCustomer -CustomerId $customers[0].CustomerId).relationshipToPartner | Should -Be 'reseller'
    }

    It 'removes the relationship with -Confirm:$false and returns the updated customer' {
        $customer = $customers[1]
        $removed = $customer | Remove-PCCustomerRelationship -Confirm:$false
        $removed.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.Customer'
        $removed.CustomerId | Should -Be $customer.CustomerId
        $removed.relationshipToPartner | Should -Be 'none'
        @(Get-PCCustomer -Domain $customer.Domain).Count | Should -Be 0
        (Get-PCCustomer -CustomerId $customer.CustomerId).relationshipToPartner | Should -Be 'none'

        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/invitations/accept' -Body @{ domain = $customer.Domain; companyName = $customer.CompanyName } | Out-Null
        $back = Wait-PCCustomer -Domain $customer.Domain -TimeoutSeconds 30 -PollIntervalSeconds 1
        $back.CustomerId | Should -Be $customer.CustomerId
        $back.relationshipToPartner | Should -Be 'reseller'
    }

    It 'writes a non-terminating error for an unknown customer' {
        $result = Remove-PCCustomerRelationship -CustomerId ([guid]::NewGuid().ToString()) -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable problems
        $result | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.NotFound*'
    }
}
