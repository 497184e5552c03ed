#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 tests of the GDAP cmdlets (Microsoft Graph delegated admin relationships) against the
# emulator's Graph (<emulator>/v1.0), on Windows PowerShell 5.1 and PowerShell 7: the whole flow
# (create, approval link, the customer approving, wait, assign a security group, list the
# assignments, terminate), drafts and locking, every refusal, listing with filters and paging,
# the pipeline, -WhatIf/-Confirm, the typed output, progress and Ctrl+C.
# Run: Invoke-Pester -Path powershell/PartnerCenterNative/tests/AdminRelationship.Tests.ps1 -Output Detailed

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    $ManifestPath = Get-TestModuleManifest
    Import-Module -Name $ManifestPath -Force -ErrorAction Stop
    $Emulator = Start-TestEmulator

    $GraphCollection = '/v1.0/tenantRelationships/delegatedAdminRelationships'
    $Statuses = @('created', 'approvalPending', 'approved', 'activating', 'active', 'expiring', 'expired', 'terminationRequested', 'terminating', 'terminated')

    # A fresh emulator (no relationships) and a fresh connection.
    function Reset-TestGdap {
        Remove-PCAuthentication
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
        Add-TestAppUserConnection | Out-Null
    }

    function New-TestName {
        param([string]$Prefix = 'pester')
        return ('{0}-{1}' -f $Prefix, [guid]::NewGuid().ToString('N').Substring(0, 12))
    }

    function Clear-TestRequestLog {
        Invoke-EmulatorAdmin -Method Delete -Path '/_emulator/requests' | Out-Null
    }

    # The Graph requests of the log (paths under /v1.0), optionally of one method and one path.
    # Not @(...) around Invoke-RestMethod: Windows PowerShell 5.1 returns the JSON array as one
    # object, which the pipeline below unrolls.
    function Get-TestGraphRequest {
        param([string]$Method, [string]$Path)
        $requests = Invoke-EmulatorAdmin -Method Get -Path '/_emulator/requests'
        return @($requests | Where-Object -FilterScript {
                $_.path -like '/v1.0/*' -and (-not $Method -or $_.method -eq $Method) -and (-not $Path -or $_.path -eq $Path)
            })
    }

    function Get-TestListRequestCount {
        return (Get-TestGraphRequest -Method 'GET' -Path $GraphCollection).Count
    }

    # The customer approves (the emulator's control path).
    function Approve-TestRelationship {
        param([Parameter(Mandatory = $true)][string]$Id)
        Invoke-EmulatorAdmin -Method Post -Path ('/_emulator/admin-relationships/{0}/approve' -f $Id) | Out-Null
    }

    # Polls (bounded) until the relationship has the status; returns it as last read.
    function Wait-TestStatus {
        param([Parameter(Mandatory = $true)][string]$Id, [Parameter(Mandatory = $true)][string]$Status, [int]$TimeoutSeconds = 15)
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        do {
            $relationship = Get-PCAdminRelationship -AdminRelationshipId $Id -ErrorAction Stop
            if ($relationship.Status -eq $Status) {
                return $relationship
            }
            Start-Sleep -Milliseconds 200
        } while ($clock.Elapsed.TotalSeconds -lt $TimeoutSeconds)
        throw ('The relationship {0} was not {1} within {2} s (last: {3}).' -f $Id, $Status, $TimeoutSeconds, $relationship.Status)
    }

    # A relationship the customer approved, as Wait-PCAdminRelationship returns it.
    function New-TestActiveRelationship {
        param([string[]]$Role = @('Directory Readers', 'User Administrator'))
        $created = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'active') -Role $Role -CustomerTenantId ([guid]::NewGuid()) -ErrorAction Stop
        Approve-TestRelationship -Id $created.Id
        $ProgressPreference = 'SilentlyContinue'
        return (Wait-PCAdminRelationship -AdminRelationshipId $created.Id -TimeoutSeconds 30 -PollIntervalSeconds 1 -ErrorAction Stop)
    }

    # The text a user reads of an error: ErrorDetails when set, else the exception's message.
    function Get-TestErrorText {
        param($Record)
        if ($null -ne $Record.ErrorDetails -and $Record.ErrorDetails.Message) {
            return $Record.ErrorDetails.Message
        }
        return $Record.Exception.Message
    }

    # A refusal of the service: ErrorId, category, the exception's kind, service code and HTTP
    # status, the ids in ErrorDetails, and what the message must say.
    function Assert-TestServiceRefusal {
        param($Record, [string]$Kind, [string]$Category, [string]$ServiceCode, [int]$HttpStatus, [string[]]$Message)
        $Record.FullyQualifiedErrorId | Should -BeLike ('PartnerCenterNative.{0},*' -f $Kind)
        $Record.CategoryInfo.Category | Should -Be $Category
        $Record.Exception | Should -BeOfType ([PartnerCenterNative.PartnerCenterException])
        $Record.Exception.Kind | Should -Be $Kind
        $Record.Exception.ServiceCode | Should -Be $ServiceCode
        $Record.Exception.HttpStatus | Should -Be $HttpStatus
        $Record.Exception.RequestId | Should -Match '^[0-9a-fA-F-]{36}$'
        $Record.ErrorDetails.Message | Should -Match ('HTTP {0}' -f $HttpStatus)
        $Record.ErrorDetails.Message | Should -Match ('service code {0}' -f $ServiceCode)
        $Record.ErrorDetails.Message | Should -Match ('MS-RequestId {0}' -f [regex]::Escape($Record.Exception.RequestId))
        foreach ($pattern in $Message) {
            $Record.ErrorDetails.Message | Should -Match $pattern
        }
    }
}

AfterAll {
    if (Get-Module -Name PartnerCenterNative) {
        Remove-PCAuthentication
        Remove-Module -Name PartnerCenterNative -Force
    }
    Stop-TestEmulator -Emulator $Emulator
}

Describe 'Add-PCAuthentication -GraphBaseUrl' {
    It 'is a named, optional parameter of every parameter set' {
        $command = Get-Command -Name Add-PCAuthentication
        foreach ($set in $command.ParameterSets) {
            $parameter = $set.Parameters | Where-Object -FilterScript { $_.Name -eq 'GraphBaseUrl' }
            $parameter | Should -Not -BeNullOrEmpty -Because ('the {0} set needs -GraphBaseUrl' -f $set.Name)
            $parameter.IsMandatory | Should -BeFalse
            $parameter.Position | Should -BeLessThan 0
            $parameter.ParameterType | Should -Be ([string])
        }
    }

    It 'is the connection''s GraphBaseUrl; without it Graph is the public one, refused beside the emulator' {
        Remove-PCAuthentication
        (Add-TestAppUserConnection).GraphBaseUrl | Should -BeExactly ('{0}/v1.0' -f $Emulator.BaseUrl)
        (Get-PCAuthentication).GraphBaseUrl | Should -BeExactly ('{0}/v1.0' -f $Emulator.BaseUrl)
        $endpoint = Get-TestEndpoint
        $public = Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'emulator-refresh-token') @endpoint
        $public.GraphBaseUrl | Should -BeExactly 'https://graph.microsoft.com/v1.0'
        # The emulator's Partner Center with the public Graph: refused, nothing sent anywhere.
        Clear-TestRequestLog
        $record = { Get-PCAdminRelationship -AdminRelationshipId 'a-b' -ErrorAction Stop } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.InvalidOptions,*'
        $record.Exception.Message | Should -Match 'graph_base_url'
        $record.Exception.Message | Should -Match ([regex]::Escape(('{0}/v1.0' -f $Emulator.BaseUrl)))
        $record.ErrorDetails.RecommendedAction | Should -Match 'Add-PCAuthentication -GraphBaseUrl\.'
        @(Invoke-EmulatorAdmin -Method Get -Path '/_emulator/requests' | Where-Object -FilterScript { $_.path -like '/v1.0/*' }).Count | Should -Be 0
        Add-TestAppUserConnection | Out-Null
    }

    It 'refuses a plain http:// Graph address that is not loopback' {
        Remove-PCAuthentication
        $endpoint = Get-TestEndpoint
        $record = { Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'emulator-refresh-token') -GraphBaseUrl 'http://graph.example.com/v1.0' @endpoint } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.InsecureUrl*'
        (Get-TestErrorText -Record $record) | Should -Match 'graph_base_url|GraphBaseUrl'
        $record.ErrorDetails.RecommendedAction | Should -Match 'https://.*Add-PCAuthentication -GraphBaseUrl\.'
    }
}

Describe 'The GDAP cmdlets without a connection' {
    BeforeAll {
        Remove-PCAuthentication
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
    }

    It 'each stops with PartnerCenterNative.NotConnected, naming Add-PCAuthentication, and sends nothing' {
        $someId = '{0}-{1}' -f $PartnerId, [guid]::NewGuid()
        $calls = @(
            { New-PCAdminRelationship -DisplayName 'nobody' -Role 'Directory Readers' -ErrorAction SilentlyContinue },
            { Lock-PCAdminRelationship -AdminRelationshipId $someId -ErrorAction SilentlyContinue },
            { Get-PCAdminRelationship -ErrorAction SilentlyContinue },
            { Get-PCAdminRelationship -AdminRelationshipId $someId -ErrorAction SilentlyContinue },
            { Wait-PCAdminRelationship -AdminRelationshipId $someId -TimeoutSeconds 5 -ErrorAction SilentlyContinue },
            { Add-PCAdminRelationshipAccess -AdminRelationshipId $someId -SecurityGroupId ([guid]::NewGuid()) -Role 'Directory Readers' -ErrorAction SilentlyContinue },
            { Get-PCAdminRelationshipAccess -AdminRelationshipId $someId -ErrorAction SilentlyContinue },
            { Remove-PCAdminRelationship -AdminRelationshipId $someId -Confirm:$false -ErrorAction SilentlyContinue }
        )
        Clear-TestRequestLog
        foreach ($call in $calls) {
            # -ErrorAction SilentlyContinue: only a terminating error reaches Should -Throw.
            $record = $call | Should -Throw -PassThru -Because ('{0} must stop without a connection' -f $call)
            $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.NotConnected,*'
            $record.Exception.Message | Should -Match 'Add-PCAuthentication'
        }
        (Get-TestGraphRequest).Count | Should -Be 0
    }
}

Describe 'New-PCAdminRelationship: the whole flow' {
    BeforeAll {
        Reset-TestGdap
        $tenantId = [guid]::NewGuid()
        $groupId = [guid]::NewGuid()
        $name = New-TestName -Prefix 'flow'
        $created = New-PCAdminRelationship -DisplayName $name -Role 'Directory Readers', $UserAdministrator -CustomerTenantId $tenantId -ErrorAction Stop
        # What the steps below hand on to the next ones.
        $flow = @{}
    }

    It 'creates the relationship locked for approval (approvalPending) with the approval link' {
        $created.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationship'
        $created.Status | Should -BeExactly 'approvalPending'
        $created.DisplayName | Should -BeExactly $name
        $created.Id | Should -Match ('^{0}-' -f $PartnerId)
        $created.AdminRelationshipId | Should -BeExactly $created.Id
        $created.Id | Should -BeExactly $created.id
        $created.ToString() | Should -BeExactly $created.Id
        $created.ApprovalUrl | Should -BeExactly ($ApprovalPrefix + $created.Id)
        $created.ApprovalUrl | Should -BeLike ('*{0}' -f $created.Id)
        $created.Duration | Should -BeExactly 'P730D'
        $created.AutoExtendDuration | Should -BeExactly 'PT0S'
        $created.CustomerTenantId | Should -BeOfType ([string])
        $created.CustomerTenantId | Should -Be $tenantId.ToString()
        $created.Customer.tenantId | Should -Be $tenantId.ToString()
        , $created.RoleDefinitionId | Should -BeOfType ([string[]])
        $created.RoleDefinitionId | Should -Be @($DirectoryReaders, $UserAdministrator)
        @($created.AccessDetails.unifiedRoles.roleDefinitionId) | Should -Be @($DirectoryReaders, $UserAdministrator)
        # @odata.etag, as the emulator makes it: W/"<32 hex>".
        $created.ETag | Should -Match '^W/"[0-9a-f]{32}"$'
        $created.CreatedDateTime | Should -BeOfType ([System.DateTimeOffset])
        $created.LastModifiedDateTime | Should -BeOfType ([System.DateTimeOffset])
        $created.ActivatedDateTime | Should -BeNullOrEmpty
        $created.EndDateTime | Should -BeNullOrEmpty
    }

    It 'sent one create and one lock for approval to Graph' {
        $posts = Get-TestGraphRequest -Method 'POST'
        @($posts | Where-Object -FilterScript { $_.path -eq $GraphCollection }).Count | Should -Be 1
        @($posts | Where-Object -FilterScript { $_.path -eq ('{0}/{1}/requests' -f $GraphCollection, $created.Id) }).Count | Should -Be 1
    }

    It 'keeps the fields Graph sent that the module does not know' {
        $created.'@odata.type' | Should -BeExactly '#microsoft.graph.delegatedAdminRelationship'
        $created.PSObject.Properties.Name | Should -Contain 'createdDateTime'
        $created.PSObject.Properties.Name | Should -Contain 'autoExtendDuration'
    }

    It 'gets it back by id: approvalPending' {
        $again = Get-PCAdminRelationship -AdminRelationshipId $created.Id
        $again.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationship'
        $again.Status | Should -BeExactly 'approvalPending'
        $again.ApprovalUrl | Should -BeExactly $created.ApprovalUrl
        $again.DisplayName | Should -BeExactly $name
    }

    It 'waits for the customer''s approval: active, with ActivatedDateTime and EndDateTime' {
        Approve-TestRelationship -Id $created.Id
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $flow.Active = Wait-PCAdminRelationship -AdminRelationshipId $created.Id -TimeoutSeconds 30 -PollIntervalSeconds 1
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
        $flow.Active.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationship'
        $flow.Active.Status | Should -BeExactly 'active'
        $flow.Active.Id | Should -BeExactly $created.Id
        $flow.Active.ActivatedDateTime | Should -BeOfType ([System.DateTimeOffset])
        $flow.Active.EndDateTime | Should -BeOfType ([System.DateTimeOffset])
        ($flow.Active.EndDateTime - $flow.Active.ActivatedDateTime).TotalDays | Should -Be 730
        $flow.Active.CustomerTenantId | Should -Be $tenantId.ToString()
    }

    It 'returns at once when the relationship is already active' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $again = $created | Wait-PCAdminRelationship -TimeoutSeconds 30 -PollIntervalSeconds 5
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
        $again.Status | Should -BeExactly 'active'
    }

    It 'assigns a security group roles given by name (any case) and by template id' {
        $flow.Assignment = Add-PCAdminRelationshipAccess -AdminRelationshipId $created.Id -SecurityGroupId $groupId -Role 'directory readers', $UserAdministrator
        $flow.Assignment.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationshipAccess'
        $flow.Assignment.AccessAssignmentId | Should -Not -BeNullOrEmpty
        $flow.Assignment.AccessAssignmentId | Should -BeExactly $flow.Assignment.Id
        $flow.Assignment.ToString() | Should -BeExactly $flow.Assignment.Id
        $flow.Assignment.AdminRelationshipId | Should -BeExactly $created.Id
        $flow.Assignment.Status | Should -BeIn @('pending', 'active')
        $flow.Assignment.SecurityGroupId | Should -BeOfType ([string])
        $flow.Assignment.SecurityGroupId | Should -Be $groupId.ToString()
        $flow.Assignment.AccessContainer.accessContainerId | Should -Be $groupId.ToString()
        $flow.Assignment.AccessContainer.accessContainerType | Should -BeExactly 'securityGroup'
        , $flow.Assignment.RoleDefinitionId | Should -BeOfType ([string[]])
        $flow.Assignment.RoleDefinitionId | Should -Be @($DirectoryReaders, $UserAdministrator)
        @($flow.Assignment.AccessDetails.unifiedRoles.roleDefinitionId) | Should -Be @($DirectoryReaders, $UserAdministrator)
        $flow.Assignment.ETag | Should -Match '^W/"[0-9a-f]{32}"$'
        $flow.Assignment.'@odata.type' | Should -BeExactly '#microsoft.graph.delegatedAdminAccessAssignment'
        $flow.Assignment.CreatedDateTime | Should -BeOfType ([System.DateTimeOffset])
    }

    It 'lists the assignment, which becomes active' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        do {
            $listed = @(Get-PCAdminRelationshipAccess -AdminRelationshipId $created.Id)
            if ($listed.Count -eq 1 -and $listed[0].Status -eq 'active') {
                break
            }
            Start-Sleep -Milliseconds 200
        } while ($clock.Elapsed.TotalSeconds -lt 10)
        $listed.Count | Should -Be 1
        $listed[0].PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationshipAccess'
        $listed[0].AccessAssignmentId | Should -BeExactly $flow.Assignment.AccessAssignmentId
        $listed[0].SecurityGroupId | Should -Be $groupId.ToString()
        $listed[0].AdminRelationshipId | Should -BeExactly $created.Id
        $listed[0].RoleDefinitionId | Should -Be @($DirectoryReaders, $UserAdministrator)
        $listed[0].Status | Should -BeExactly 'active'
    }

    It 'shows relationships in the module''s table view' {
        (Get-FormatData -TypeName 'PartnerCenterNative.AdminRelationship').FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.TableControl])
        $table = $flow.Active | Out-String -Width 300
        # Four columns that fit 120 characters; the 73-character id is left to Format-List.
        $table | Should -Match '(?m)^DisplayName\s+Status\s+CustomerTenantId\s+EndDateTime\s*$'
        $table | Should -Match ([regex]::Escape($flow.Active.CustomerTenantId))
        $table | Should -Match ([regex]::Escape($flow.Active.DisplayName))
        @(($flow.Active | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Length -gt 120 }).Count | Should -Be 0
    }

    It 'shows assignments in the module''s table view' {
        (Get-FormatData -TypeName 'PartnerCenterNative.AdminRelationshipAccess').FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.TableControl])
        $table = $flow.Assignment | Out-String -Width 300
        $table | Should -Match 'SecurityGroupId\s+Status\s+RoleDefinitionId\s+AccessAssignmentId'
        $table | Should -Match ([regex]::Escape($flow.Assignment.AccessAssignmentId))
    }

    It 'terminates it with -Confirm:$false: terminationRequested, then terminated' {
        $ended = $created | Remove-PCAdminRelationship -Confirm:$false
        $ended.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationship'
        $ended.Id | Should -BeExactly $created.Id
        $ended.Status | Should -BeExactly 'terminationRequested'
        @(Get-TestGraphRequest -Method 'POST' -Path ('{0}/{1}/requests' -f $GraphCollection, $created.Id)).Count | Should -Be 2
        (Wait-TestStatus -Id $created.Id -Status 'terminated').Status | Should -BeExactly 'terminated'
    }

    It 'stops waiting on a terminated relationship with PartnerCenterNative.Conflict naming the status' {
        $record = { Wait-PCAdminRelationship -AdminRelationshipId $created.Id -TimeoutSeconds 30 -PollIntervalSeconds 1 } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Conflict,*'
        $record.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-TestErrorText -Record $record) | Should -Match 'terminated'
    }
}

Describe 'New-PCAdminRelationship -Draft and Lock-PCAdminRelationship' {
    BeforeAll {
        Reset-TestGdap
    }

    It 'creates a draft (created, not locked), which Lock-PCAdminRelationship locks for approval' {
        Clear-TestRequestLog
        $draft = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'draft') -Role 'Global Reader' -Duration 'P90D' -Draft
        $draft.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationship'
        $draft.Status | Should -BeExactly 'created'
        $draft.Duration | Should -BeExactly 'P90D'
        $draft.CustomerTenantId | Should -BeNullOrEmpty
        @(Get-TestGraphRequest -Method 'POST' -Path ('{0}/{1}/requests' -f $GraphCollection, $draft.Id)).Count | Should -Be 0
        (Get-PCAdminRelationship -AdminRelationshipId $draft.Id).Status | Should -BeExactly 'created'

        $locked = $draft | Lock-PCAdminRelationship
        $locked.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationship'
        $locked.Id | Should -BeExactly $draft.Id
        $locked.Status | Should -BeExactly 'approvalPending'
        $locked.ApprovalUrl | Should -BeExactly ($ApprovalPrefix + $draft.Id)
        (Get-PCAdminRelationship -AdminRelationshipId $draft.Id).Status | Should -BeExactly 'approvalPending'
    }

    It 'refuses to lock a relationship that is not a draft: Conflict/invalidStatusTransition' {
        $pending = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'locked') -Role 'Directory Readers'
        $record = { Lock-PCAdminRelationship -AdminRelationshipId $pending.Id -ErrorAction Stop } | Should -Throw -PassThru
        Assert-TestServiceRefusal -Record $record -Kind 'Conflict' -Category 'ResourceExists' -ServiceCode 'invalidStatusTransition' -HttpStatus 409 -Message 'approvalPending'
        (Get-PCAdminRelationship -AdminRelationshipId $pending.Id).Status | Should -BeExactly 'approvalPending'
    }

    It 'takes -Duration in years and -AutoExtend (P180D)' {
        $long = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'years') -Role 'Directory Readers' -Duration 'P2Y' -AutoExtend
        $long.Duration | Should -BeExactly 'P2Y'
        $long.AutoExtendDuration | Should -BeExactly 'P180D'
        $long.Status | Should -BeExactly 'approvalPending'
    }

    It 'declares SupportsShouldProcess with ConfirmImpact Medium on New, Lock and Add' {
        foreach ($name in 'New-PCAdminRelationship', 'Lock-PCAdminRelationship', 'Add-PCAdminRelationshipAccess') {
            $type = (Get-Command -Name $name).ImplementingType
            $binding = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $binding.SupportsShouldProcess | Should -BeTrue -Because $name
            $binding.ConfirmImpact | Should -Be 'Medium' -Because $name
        }
    }
}

Describe 'The refusals' {
    BeforeAll {
        Reset-TestGdap
        $pending = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'refused') -Role 'Directory Readers'
        $active = New-TestActiveRelationship -Role 'Directory Readers', 'User Administrator'
    }

    It 'a display name already used (any case): Conflict/duplicateDisplayName, naming the name' {
        $record = { New-PCAdminRelationship -DisplayName $pending.DisplayName.ToUpperInvariant() -Role 'Directory Readers' -ErrorAction Stop } | Should -Throw -PassThru
        Assert-TestServiceRefusal -Record $record -Kind 'Conflict' -Category 'ResourceExists' -ServiceCode 'duplicateDisplayName' -HttpStatus 409 -Message ([regex]::Escape($pending.DisplayName.ToUpperInvariant())), 'already used'
    }

    It 'a display name over 50 characters: BadRequest/invalidDisplayName, naming the limit' {
        $record = { New-PCAdminRelationship -DisplayName ('x' * 51) -Role 'Directory Readers' -ErrorAction Stop } | Should -Throw -PassThru
        Assert-TestServiceRefusal -Record $record -Kind 'BadRequest' -Category 'InvalidOperation' -ServiceCode 'invalidDisplayName' -HttpStatus 400 -Message '50'
    }

    It 'a duration over two years: BadRequest/invalidDuration, naming the allowed range' {
        $record = { New-PCAdminRelationship -DisplayName (New-TestName) -Role 'Directory Readers' -Duration 'P731D' -ErrorAction Stop } | Should -Throw -PassThru
        Assert-TestServiceRefusal -Record $record -Kind 'BadRequest' -Category 'InvalidOperation' -ServiceCode 'invalidDuration' -HttpStatus 400 -Message 'P731D', 'P1D', 'P2Y'
    }

    It 'Global Administrator with -AutoExtend: InvalidArgument, and nothing is sent' {
        Clear-TestRequestLog
        foreach ($role in 'Global Administrator', $GlobalAdministrator) {
            $record = { New-PCAdminRelationship -DisplayName (New-TestName) -Role 'Directory Readers', $role -AutoExtend -ErrorAction Stop } | Should -Throw -PassThru
            $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.InvalidArgument,*'
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $text = Get-TestErrorText -Record $record
            $text | Should -Match 'Global Administrator'
            $text | Should -Match 'auto-?extend'
        }
        (Get-TestGraphRequest).Count | Should -Be 0
    }

    It 'an unknown role name: InvalidArgument listing the near names, and nothing is sent' {
        Clear-TestRequestLog
        $record = { New-PCAdminRelationship -DisplayName (New-TestName) -Role 'Directory Readers', 'Helpdesk Admin' -ErrorAction Stop } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.InvalidArgument,*'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $text = Get-TestErrorText -Record $record
        $text | Should -Match "'Helpdesk Admin'"
        $text | Should -Match 'Helpdesk Administrator'
        $record = { Add-PCAdminRelationshipAccess -AdminRelationshipId $active.Id -SecurityGroupId ([guid]::NewGuid()) -Role 'Directory Reader' -ErrorAction Stop } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.InvalidArgument,*'
        (Get-TestErrorText -Record $record) | Should -Match 'Directory Readers'
        (Get-TestGraphRequest).Count | Should -Be 0
    }

    It 'an assignment before the relationship is active: Conflict/relationshipNotActive, naming the status' {
        $record = { Add-PCAdminRelationshipAccess -AdminRelationshipId $pending.Id -SecurityGroupId ([guid]::NewGuid()) -Role 'Directory Readers' -ErrorAction Stop } | Should -Throw -PassThru
        Assert-TestServiceRefusal -Record $record -Kind 'Conflict' -Category 'ResourceExists' -ServiceCode 'relationshipNotActive' -HttpStatus 409 -Message 'approvalPending'
        @(Get-PCAdminRelationshipAccess -AdminRelationshipId $pending.Id).Count | Should -Be 0
    }

    It 'a role the relationship does not grant: BadRequest/roleNotInRelationship, naming the role' {
        $record = { Add-PCAdminRelationshipAccess -AdminRelationshipId $active.Id -SecurityGroupId ([guid]::NewGuid()) -Role 'Helpdesk Administrator' -ErrorAction Stop } | Should -Throw -PassThru
        Assert-TestServiceRefusal -Record $record -Kind 'BadRequest' -Category 'InvalidOperation' -ServiceCode 'roleNotInRelationship' -HttpStatus 400 -Message $HelpdeskAdministrator
        @(Get-PCAdminRelationshipAccess -AdminRelationshipId $active.Id).Count | Should -Be 0
    }

    It 'Remove on a relationship that is not active: a non-terminating Conflict, and the next piped one is still terminated' {
        $other = New-TestActiveRelationship -Role 'Directory Readers'
        $ended = @($pending, $other | Remove-PCAdminRelationship -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable problems)
        $ended.Count | Should -Be 1
        $ended[0].Id | Should -BeExactly $other.Id
        $ended[0].Status | Should -BeIn @('terminationRequested', 'terminating', 'terminated')
        $problems.Count | Should -Be 1
        Assert-TestServiceRefusal -Record $problems[0] -Kind 'Conflict' -Category 'ResourceExists' -ServiceCode 'invalidStatusTransition' -HttpStatus 409 -Message 'approvalPending'
        $problems[0].TargetObject | Should -Be $pending.Id
        (Get-PCAdminRelationship -AdminRelationshipId $pending.Id).Status | Should -BeExactly 'approvalPending'
    }

    It 'Get of an unknown id: a non-terminating NotFound, and the next piped id is still read' {
        $unknown = '{0}-{1}' -f $PartnerId, [guid]::NewGuid()
        $found = @($unknown, $pending.Id | Get-PCAdminRelationship -ErrorAction SilentlyContinue -ErrorVariable problems)
        $found.Count | Should -Be 1
        $found[0].Id | Should -BeExactly $pending.Id
        $problems.Count | Should -Be 1
        Assert-TestServiceRefusal -Record $problems[0] -Kind 'NotFound' -Category 'ObjectNotFound' -ServiceCode 'ResourceNotFound' -HttpStatus 404 -Message @()
        $problems[0].TargetObject | Should -Be $unknown
    }

    It 'Wait on an expired relationship: Conflict naming the status, at once' {
        $doomed = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'expired') -Role 'Directory Readers'
        Invoke-EmulatorAdmin -Method Post -Path ('/_emulator/admin-relationships/{0}/expire' -f $doomed.Id) | Out-Null
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $record = { Wait-PCAdminRelationship -AdminRelationshipId $doomed.Id -TimeoutSeconds 60 -PollIntervalSeconds 1 } | Should -Throw -PassThru
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Conflict,*'
        $record.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-TestErrorText -Record $record) | Should -Match 'expired'
        $record.TargetObject | Should -Be $doomed.Id
    }

    It 'Wait past -TimeoutSeconds: PartnerCenterNative.Timeout with the last status' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $record = { Wait-PCAdminRelationship -AdminRelationshipId $pending.Id -TimeoutSeconds 1 -PollIntervalSeconds 1 } | Should -Throw -PassThru
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Timeout,*'
        $record.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $text = Get-TestErrorText -Record $record
        $text | Should -Match 'was not active within 1 (s|seconds)\b'
        $text | Should -Match 'approvalPending'
        $record.TargetObject | Should -Be $pending.Id
        $record.Exception | Should -BeOfType ([PartnerCenterNative.PartnerCenterException])
        $record.Exception.Kind | Should -Be 'Timeout'
    }

    It 'validates -TimeoutSeconds, -PollIntervalSeconds, -PageSize and -Status' {
        { Wait-PCAdminRelationship -AdminRelationshipId $pending.Id -TimeoutSeconds 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Wait-PCAdminRelationship -AdminRelationshipId $pending.Id -TimeoutSeconds 604801 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Wait-PCAdminRelationship -AdminRelationshipId $pending.Id -PollIntervalSeconds 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Wait-PCAdminRelationship -AdminRelationshipId $pending.Id -PollIntervalSeconds 301 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Get-PCAdminRelationship -PageSize 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Get-PCAdminRelationship -PageSize 301 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        { Get-PCAdminRelationship -Status 'pending' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        $set = (Get-Command -Name Get-PCAdminRelationship).Parameters['Status'].Attributes | Where-Object -FilterScript { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        @($set.ValidValues | Sort-Object) | Should -Be @($Statuses | Sort-Object)
    }
}

Describe 'Get-PCAdminRelationship: listing' {
    BeforeAll {
        Reset-TestGdap
        $tenantA = [guid]::NewGuid()
        $made = @(
            New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'list-a1') -Role 'Directory Readers' -CustomerTenantId $tenantA
            New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'list-a2') -Role 'Directory Readers' -CustomerTenantId $tenantA
            New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'list-a3') -Role 'Directory Readers' -CustomerTenantId $tenantA -Draft
            New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'list-b1') -Role 'Directory Readers' -CustomerTenantId ([guid]::NewGuid())
            New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'list-b2') -Role 'Directory Readers' -CustomerTenantId ([guid]::NewGuid())
            New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'list-b3') -Role 'Directory Readers'
            New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'list-b4') -Role 'Directory Readers'
            New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'list-b5') -Role 'Directory Readers' -Draft
            New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'list-b6') -Role 'Directory Readers' -Draft
        )
        $pendingIds = @($made | Where-Object -FilterScript { $_.Status -eq 'approvalPending' } | ForEach-Object -Process { $_.Id })
    }

    It 'lists every relationship once, typed' {
        $made.Count | Should -Be 9
        $pendingIds.Count | Should -Be 6
        $all = @(Get-PCAdminRelationship)
        $all.Count | Should -Be 9
        @($all | ForEach-Object -Process { $_.Id } | Sort-Object) | Should -Be @($made | ForEach-Object -Process { $_.Id } | Sort-Object)
        foreach ($relationship in $all) {
            $relationship.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationship'
            $relationship.ApprovalUrl | Should -BeExactly ($ApprovalPrefix + $relationship.Id)
            $relationship.'@odata.type' | Should -BeExactly '#microsoft.graph.delegatedAdminRelationship'
        }
    }

    It 'filters by -Status on the service' {
        Clear-TestRequestLog
        $pending = @(Get-PCAdminRelationship -Status approvalPending)
        @($pending | ForEach-Object -Process { $_.Id } | Sort-Object) | Should -Be @($pendingIds | Sort-Object)
        @($pending | Where-Object -FilterScript { $_.Status -ne 'approvalPending' }).Count | Should -Be 0
        $query = [uri]::UnescapeDataString((Get-TestGraphRequest -Method 'GET' -Path $GraphCollection)[0].query)
        $query | Should -Match "status eq 'approvalPending'"
        @(Get-PCAdminRelationship -Status created).Count | Should -Be 3
        @(Get-PCAdminRelationship -Status active).Count | Should -Be 0
    }

    It 'filters by -CustomerTenantId (alias -TenantId), alone and with -Status' {
        Clear-TestRequestLog
        $ofA = @(Get-PCAdminRelationship -CustomerTenantId $tenantA)
        $ofA.Count | Should -Be 3
        @($ofA | Where-Object -FilterScript { $_.CustomerTenantId -ne $tenantA.ToString() }).Count | Should -Be 0
        $query = [uri]::UnescapeDataString((Get-TestGraphRequest -Method 'GET' -Path $GraphCollection)[0].query)
        $query | Should -Match ("customer/tenantId eq '{0}'" -f $tenantA)
        $drafts = @(Get-PCAdminRelationship -TenantId $tenantA -Status created)
        $drafts.Count | Should -Be 1
        $drafts[0].Status | Should -BeExactly 'created'
        @(Get-PCAdminRelationship -CustomerTenantId ([guid]::NewGuid())).Count | Should -Be 0
    }

    It 'pages with -PageSize: one Graph GET per page' {
        Clear-TestRequestLog
        $paged = @(Get-PCAdminRelationship -PageSize 2)
        $paged.Count | Should -Be 9
        @($paged | ForEach-Object -Process { $_.Id } | Select-Object -Unique).Count | Should -Be 9
        Get-TestListRequestCount | Should -Be 5
        $first = Get-TestGraphRequest -Method 'GET' -Path $GraphCollection
        [uri]::UnescapeDataString($first[0].query) | Should -Match '\$top=2\b'

        Clear-TestRequestLog
        @(Get-PCAdminRelationship -PageSize 4 -Status approvalPending).Count | Should -Be 6
        Get-TestListRequestCount | Should -Be 2

        Clear-TestRequestLog
        @(Get-PCAdminRelationship).Count | Should -Be 9
        Get-TestListRequestCount | Should -Be 1
        [uri]::UnescapeDataString((Get-TestGraphRequest -Method 'GET' -Path $GraphCollection)[0].query) | Should -Match '\$top=100\b'
    }

    It 'streams: Select-Object -First 1 stops the listing after the first page' {
        Clear-TestRequestLog
        $one = @(Get-PCAdminRelationship -PageSize 2 | Select-Object -First 1)
        $one.Count | Should -Be 1
        Get-TestListRequestCount | Should -Be 1

        Clear-TestRequestLog
        $three = @(Get-PCAdminRelationship -PageSize 2 | Select-Object -First 3)
        $three.Count | Should -Be 3
        Get-TestListRequestCount | Should -Be 2

        # The stopped listings were freed: the connection is still usable for a complete one.
        @(Get-PCAdminRelationship -PageSize 300).Count | Should -Be 9
    }

    It 'writes the first relationships before the listing ends' {
        Clear-TestRequestLog
        $count = 0
        $pagesAtFirst = $null
        Get-PCAdminRelationship -PageSize 2 | ForEach-Object -Process {
            $count++
            if ($count -eq 1) {
                $pagesAtFirst = Get-TestListRequestCount
            }
        }
        $count | Should -Be 9
        $pagesAtFirst | Should -Be 1
        Get-TestListRequestCount | Should -Be 5
    }
}

Describe 'The GDAP cmdlets in the pipeline' {
    BeforeAll {
        Reset-TestGdap
    }

    It 'gets relationships by id from strings, objects and an Id property' {
        $a = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'pipe-a') -Role 'Directory Readers'
        $b = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'pipe-b') -Role 'Directory Readers'
        @($a.Id, $b.Id | Get-PCAdminRelationship | ForEach-Object -Process { $_.Id }) | Should -Be @($a.Id, $b.Id)
        @($a, $b | Get-PCAdminRelationship | ForEach-Object -Process { $_.Id }) | Should -Be @($a.Id, $b.Id)
        ([PSCustomObject]@{ Id = $b.Id } | Get-PCAdminRelationship).Id | Should -BeExactly $b.Id
        (Get-PCAdminRelationship $a.Id).Id | Should -BeExactly $a.Id
        (Get-PCAdminRelationship -Id $a.Id).Id | Should -BeExactly $a.Id
    }

    It 'binds a customer''s TenantId to -CustomerTenantId, with a delay-bind -DisplayName script block' {
        $suffix = [guid]::NewGuid().ToString('N').Substring(0, 6)
        $customers = @(Get-PCCustomer -PageSize 5 | Select-Object -First 2)
        $customers.Count | Should -Be 2
        $made = @($customers | New-PCAdminRelationship -DisplayName { 'GDAP {0} {1}' -f $_.CompanyName, $suffix } -Role 'Directory Readers')
        $made.Count | Should -Be 2
        for ($i = 0; $i -lt 2; $i++) {
            $made[$i].DisplayName | Should -BeExactly ('GDAP {0} {1}' -f $customers[$i].CompanyName, $suffix)
            $made[$i].CustomerTenantId | Should -Be $customers[$i].TenantId
            $made[$i].Customer.displayName | Should -Be $customers[$i].CompanyName
            $made[$i].Status | Should -BeExactly 'approvalPending'
        }
    }

    It 'removes what Get-PCAdminRelationship -Status lists: approvalPending ones are refused one by one, active ones end' {
        $first = New-TestActiveRelationship -Role 'Directory Readers'
        $second = New-TestActiveRelationship -Role 'Directory Readers'
        $pendingCount = @(Get-PCAdminRelationship -Status approvalPending).Count
        $pendingCount | Should -BeGreaterOrEqual 2

        $refused = @(Get-PCAdminRelationship -Status approvalPending | Remove-PCAdminRelationship -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable problems)
        $refused.Count | Should -Be 0
        $problems.Count | Should -Be $pendingCount
        foreach ($problem in $problems) {
            $problem.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Conflict,*'
            $problem.Exception.ServiceCode | Should -BeExactly 'invalidStatusTransition'
        }
        @(Get-PCAdminRelationship -Status approvalPending).Count | Should -Be $pendingCount

        $ended = @(Get-PCAdminRelationship -Status active | Remove-PCAdminRelationship -Confirm:$false)
        @($ended | ForEach-Object -Process { $_.Id } | Sort-Object) | Should -Be @(@($first.Id, $second.Id) | Sort-Object)
        (Wait-TestStatus -Id $first.Id -Status 'terminated').Status | Should -BeExactly 'terminated'
        (Wait-TestStatus -Id $second.Id -Status 'terminated').Status | Should -BeExactly 'terminated'
    }

    It 'waits, assigns and lists assignments from piped relationships' {
        $created = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'pipe-wait') -Role 'Directory Readers', 'Helpdesk Administrator'
        Approve-TestRelationship -Id $created.Id
        $group = [guid]::NewGuid()
        $assigned = $created | Wait-PCAdminRelationship -TimeoutSeconds 30 -PollIntervalSeconds 1 | Add-PCAdminRelationshipAccess -GroupId $group -Role 'Helpdesk Administrator'
        $assigned.SecurityGroupId | Should -Be $group.ToString()
        $assigned.AdminRelationshipId | Should -BeExactly $created.Id
        $assigned.RoleDefinitionId | Should -Be @($HelpdeskAdministrator)
        @($created.Id | Get-PCAdminRelationshipAccess | ForEach-Object -Process { $_.Id }) | Should -Be @($assigned.Id)
        @($created | Get-PCAdminRelationshipAccess | ForEach-Object -Process { $_.Id }) | Should -Be @($assigned.Id)
        @(Get-PCAdminRelationshipAccess $created.Id).Count | Should -Be 1
    }

    It 'writes nothing for a relationship without assignments' {
        $active = New-TestActiveRelationship -Role 'Directory Readers'
        $none = @(Get-PCAdminRelationshipAccess -AdminRelationshipId $active.Id -ErrorVariable problems)
        $none.Count | Should -Be 0
        $problems.Count | Should -Be 0
    }
}

Describe '-WhatIf and -Confirm' {
    BeforeAll {
        Reset-TestGdap
        $draft = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'whatif-draft') -Role 'Directory Readers' -Draft
        $active = New-TestActiveRelationship -Role 'Directory Readers'
    }

    It 'sends nothing to Graph and changes nothing with -WhatIf' {
        $name = New-TestName -Prefix 'whatif'
        Clear-TestRequestLog
        New-PCAdminRelationship -DisplayName $name -Role 'Directory Readers' -WhatIf | Should -BeNullOrEmpty
        $draft | Lock-PCAdminRelationship -WhatIf | Should -BeNullOrEmpty
        $active | Add-PCAdminRelationshipAccess -SecurityGroupId ([guid]::NewGuid()) -Role 'Directory Readers' -WhatIf | Should -BeNullOrEmpty
        $active | Remove-PCAdminRelationship -WhatIf | Should -BeNullOrEmpty
        (Get-TestGraphRequest).Count | Should -Be 0

        (Get-PCAdminRelationship -AdminRelationshipId $draft.Id).Status | Should -BeExactly 'created'
        (Get-PCAdminRelationship -AdminRelationshipId $active.Id).Status | Should -BeExactly 'active'
        @(Get-PCAdminRelationshipAccess -AdminRelationshipId $active.Id).Count | Should -Be 0
        @(Get-PCAdminRelationship | Where-Object -FilterScript { $_.DisplayName -eq $name }).Count | Should -Be 0
    }

    It 'Remove-PCAdminRelationship declares ConfirmImpact High' {
        $type = (Get-Command -Name Remove-PCAdminRelationship).ImplementingType
        $binding = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $binding.ConfirmImpact | Should -Be 'High'
        $binding.SupportsShouldProcess | Should -BeTrue
    }

    It 'Remove-PCAdminRelationship without -Confirm:$false does not terminate where nobody can answer' {
        Clear-TestRequestLog
        $script = @'
$ConfirmPreference = 'High'
try {
    Remove-PCAdminRelationship -AdminRelationshipId '{ID}' -ErrorAction Stop
    'no-error'
}
catch {
    'error: ' + $_.FullyQualifiedErrorId
}
'@
        $script = $script.Replace('{ID}', $active.Id)
        $output = @(Invoke-TestPipeline -Script $script)
        # Asked, could not be answered, did not go on: no terminate request, still active.
        @($output | Where-Object -FilterScript { $_ -is [string] }) | Should -Not -Contain 'no-error'
        @(Get-TestGraphRequest -Method 'POST').Count | Should -Be 0
        (Get-PCAdminRelationship -AdminRelationshipId $active.Id).Status | Should -BeExactly 'active'
    }

    It 'New-PCAdminRelationship asks first when $ConfirmPreference is Medium, and creates nothing unanswered' {
        Clear-TestRequestLog
        $name = New-TestName -Prefix 'confirm'
        $script = @'
$ConfirmPreference = 'Medium'
try {
    New-PCAdminRelationship -DisplayName '{NAME}' -Role 'Directory Readers' -ErrorAction Stop
    'no-error'
}
catch {
    'error: ' + $_.FullyQualifiedErrorId
}
'@
        $script = $script.Replace('{NAME}', $name)
        $output = @(Invoke-TestPipeline -Script $script)
        @($output | Where-Object -FilterScript { $_ -is [string] }) | Should -Not -Contain 'no-error'
        @(Get-TestGraphRequest -Method 'POST').Count | Should -Be 0
        @(Get-PCAdminRelationship | Where-Object -FilterScript { $_.DisplayName -eq $name }).Count | Should -Be 0
    }
}

Describe 'Wait-PCAdminRelationship: progress and Ctrl+C' {
    BeforeAll {
        Reset-TestGdap
    }

    It 'shows progress while it waits and ends within a second on Stop(), polling no more' {
        $pending = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'stop') -Role 'Directory Readers'
        $pipeline = Start-TestPipeline -Script ("Wait-PCAdminRelationship -AdminRelationshipId '{0}' -TimeoutSeconds 60 -PollIntervalSeconds 1" -f $pending.Id)
        try {
            Wait-TestStream -Pipeline $pipeline -Stream 'Progress'
            Start-Sleep -Milliseconds 1500
            $pipeline.Async.IsCompleted | Should -BeFalse
            Stop-TestPipeline -Pipeline $pipeline | Should -BeLessThan 1
            $pipeline.Shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $progress = @($pipeline.Shell.Streams.Progress)
            $progress[0].Activity | Should -Match ('Waiting for admin relationship {0} to be approved and active' -f [regex]::Escape($pending.Id))
            $progress[0].StatusDescription | Should -Match 's of 60 s elapsed'

            $path = '{0}/{1}' -f $GraphCollection, $pending.Id
            $before = (Get-TestGraphRequest -Method 'GET' -Path $path).Count
            $before | Should -BeGreaterOrEqual 1
            Start-Sleep -Seconds 3
            (Get-TestGraphRequest -Method 'GET' -Path $path).Count | Should -Be $before
        }
        finally {
            Remove-TestPipeline -Pipeline $pipeline
        }
        (Get-PCAdminRelationship -AdminRelationshipId $pending.Id).Status | Should -BeExactly 'approvalPending'
    }

    It 'shows progress until the approval comes, then completes it and returns the active relationship' {
        $pending = New-PCAdminRelationship -DisplayName (New-TestName -Prefix 'progress') -Role 'Directory Readers'
        $pipeline = Start-TestPipeline -Script ("Wait-PCAdminRelationship -AdminRelationshipId '{0}' -TimeoutSeconds 60 -PollIntervalSeconds 1" -f $pending.Id)
        try {
            Wait-TestStream -Pipeline $pipeline -Stream 'Progress'
            Approve-TestRelationship -Id $pending.Id
            $output = @(Complete-TestPipeline -Pipeline $pipeline -TimeoutSeconds 30)
            $output.Count | Should -Be 1
            $output[0].Status | Should -BeExactly 'active'
            $output[0].Id | Should -BeExactly $pending.Id
            $output[0].PSObject.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationship'
            $records = @($pipeline.Shell.Streams.Progress)
            $records.Count | Should -BeGreaterThan 1
            $records[-1].RecordType | Should -Be 'Completed'
            @($pipeline.Shell.Streams.Error).Count | Should -Be 0
        }
        finally {
            Remove-TestPipeline -Pipeline $pipeline
        }
    }
}
