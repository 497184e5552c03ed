#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The onboarding runbook of about_PartnerCenterNative_Onboarding, as a user gets it: taken from
# the staged module's copy of the topic (the lines between "# --- begin runbook" and
# "# --- end runbook", without their four-space indent), saved as a .ps1 and run end to end in a
# child pwsh (the module found on PSModulePath, as after Install-Module) against the emulator,
# once in FullLanguage and once in ConstrainedLanguage. Meanwhile the test plays the customer:
# the invitation acceptance is posted ahead (with a delay), and a background runspace watches
# Graph's list and approves the relationship once it is approvalPending.

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    $ManifestPath = Get-TestModuleManifest
    Import-Module -Name $ManifestPath -Force -ErrorAction Stop
    $Emulator = Start-TestEmulator

    $TopicPath = Join-Path -Path (Join-Path -Path (Split-Path -Path $ManifestPath -Parent) -ChildPath 'en-US') -ChildPath 'about_PartnerCenterNative_Onboarding.help.txt'

    # The runbook's lines as the topic holds them (indented), between the markers.
    function Get-TestRunbookLine {
        $inside = $false
        $lines = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($line in (Get-Content -Path $TopicPath)) {
            if ($line -match '^# --- (begin|end) runbook$') {
                $inside = $Matches[1] -eq 'begin'
                continue
            }
            if ($inside) {
                $lines.Add($line)
            }
        }
        return , $lines.ToArray()
    }

    # The customer approving: a runspace that watches Graph's list (with a Graph token of its
    # own, straight from the emulator's token endpoint, not through the module) for an
    # approvalPending relationship with the customer's tenant, and approves it. Bounded.
    function Start-TestCustomerApproval {
        param([string]$CustomerTenantId, [int]$TimeoutSeconds = 90)
        $script = @'
param($BaseUrl, $Tenant, $ApplicationId, $CustomerTenantId, $TimeoutSeconds)
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$form = @{
    grant_type    = 'refresh_token'
    client_id     = $ApplicationId
    client_secret = 'emulator-client-secret'
    refresh_token = 'emulator-refresh-token'
    scope         = 'https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All offline_access'
}
$token = (Invoke-RestMethod -Method Post -Uri ('{0}/{1}/oauth2/v2.0/token' -f $BaseUrl, $Tenant) -Body $form).access_token
$filter = [uri]::EscapeDataString(("status eq 'approvalPending' and customer/tenantId eq '{0}'" -f $CustomerTenantId))
$uri = '{0}/v1.0/tenantRelationships/delegatedAdminRelationships?$filter={1}' -f $BaseUrl, $filter
$polls = 0
while ($clock.Elapsed.TotalSeconds -lt $TimeoutSeconds) {
    $polls++
    $page = Invoke-RestMethod -Method Get -Uri $uri -Headers @{ Authorization = 'Bearer ' + $token }
    $found = @($page.value)
    if ($found.Count -gt 0) {
        $approved = Invoke-RestMethod -Method Post -Uri ('{0}/_emulator/admin-relationships/{1}/approve' -f $BaseUrl, $found[0].id)
        return [PSCustomObject]@{ Approved = $found[0].id; Status = $approved.status; Polls = $polls; Seconds = $clock.Elapsed.TotalSeconds }
    }
    Start-Sleep -Milliseconds 250
}
[PSCustomObject]@{ Approved = $null; Status = $null; Polls = $polls; Seconds = $clock.Elapsed.TotalSeconds }
'@
        $shell = [powershell]::Create()
        $null = $shell.AddScript($script).AddArgument($Emulator.BaseUrl).AddArgument($Tenant).AddArgument($ApplicationId).AddArgument($CustomerTenantId).AddArgument($TimeoutSeconds)
        $async = $shell.BeginInvoke()
        return [PSCustomObject]@{ Shell = $shell; Async = $async }
    }

    # Runs the saved runbook in a child pwsh (optionally in ConstrainedLanguage), bounded, while
    # the customer accepts and approves. Returns what the child reported and what the customer did.
    function Invoke-TestRunbook {
        param([Parameter(Mandatory = $true)][string]$RunbookPath, [switch]$Constrained)
        $suffix = [guid]::NewGuid().ToString('N').Substring(0, 10)
        $run = [PSCustomObject]@{
            Domain          = 'runbook-{0}.onmicrosoft.com' -f $suffix
            CompanyName     = 'Runbook {0} Ltd' -f $suffix
            TenantId        = [guid]::NewGuid().ToString()
            SecurityGroupId = [guid]::NewGuid().ToString()
            Name            = 'GDAP runbook {0}' -f $suffix
            Email           = 'billing-{0}@runbook.example' -f $suffix
            Result          = $null
            Customer        = $null
            ExitCode        = $null
            Stdout          = $null
            Stderr          = $null
        }
        $driver = @'
$ErrorActionPreference = 'Stop'
{LANGUAGE}
$result = [ordered]@{ LanguageMode = [string]$ExecutionContext.SessionState.LanguageMode }
$probe = 'allowed'
try {
    $null = New-Object -TypeName System.Net.WebClient
}
catch {
    $probe = 'blocked'
}
$result.NewObject = $probe
try {
    $parameters = @{
        ApplicationId          = '{APPID}'
        Tenant                 = '{TENANT}'
        RefreshToken           = (ConvertTo-SecureString -String 'emulator-refresh-token' -AsPlainText -Force)
        ApplicationSecret      = (ConvertTo-SecureString -String 'emulator-client-secret' -AsPlainText -Force)
        CustomerDomain         = '{DOMAIN}'
        SecurityGroupId        = '{GROUP}'
        RelationshipName       = '{NAME}'
        FirstName              = 'Ana'
        LastName               = 'Bowman'
        Email                  = '{EMAIL}'
        AddressLine1           = '1 Runbook Way'
        City                   = 'Redmond'
        State                  = 'WA'
        PostalCode             = '98052'
        Country                = 'US'
        BaseUrl                = '{BASE}'
        Authority              = '{BASE}'
        GraphBaseUrl           = '{BASE}/v1.0'
        CustomerTimeoutSeconds = 60
        ApprovalTimeoutSeconds = 60
        PollIntervalSeconds    = 1
    }
    $summary = @(& '{RUNBOOK}' @parameters -InformationVariable links)
    $result.Summary = $summary
    $result.Links = @($links | Where-Object { $_.Tags -contains 'PartnerCenterNative' } | ForEach-Object { @{ Tags = @($_.Tags); Message = [string]$_.MessageData } })
    $result.ModuleBase = (Get-Module -Name PartnerCenterNative).ModuleBase
}
catch {
    $result.ErrorId = $_.FullyQualifiedErrorId
    $result.Message = $_.Exception.Message
    $result.Details = [string]$_.ErrorDetails
}
'##RESULT## ' + ($result | ConvertTo-Json -Depth 6 -Compress)
'@
        $language = ''
        if ($Constrained) {
            $language = '$ExecutionContext.SessionState.LanguageMode = ''ConstrainedLanguage'''
        }
        $driver = $driver.Replace('{LANGUAGE}', $language).Replace('{RUNBOOK}', $RunbookPath).Replace('{APPID}', $ApplicationId).Replace('{TENANT}', $Tenant)
        $driver = $driver.Replace('{DOMAIN}', $run.Domain).Replace('{GROUP}', $run.SecurityGroupId).Replace('{NAME}', $run.Name).Replace('{EMAIL}', $run.Email).Replace('{BASE}', $Emulator.BaseUrl)

        # The customer accepts the invitation a little later (Wait-PCCustomer has to wait), and
        # approves the relationship once it is offered.
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/invitations/accept' -Body @{ domain = $run.Domain; companyName = $run.CompanyName; tenantId = $run.TenantId; delayMs = 2000 } | Out-Null
        $customer = Start-TestCustomerApproval -CustomerTenantId $run.TenantId -TimeoutSeconds 90

        $startInfo = New-Object -TypeName System.Diagnostics.ProcessStartInfo
        $startInfo.FileName = Join-Path -Path $PSHOME -ChildPath $PwshName
        $startInfo.Arguments = '-NoProfile -NonInteractive -EncodedCommand ' + [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($driver))
        $startInfo.UseShellExecute = $false
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardError = $true
        # The module as an installed one: found by name on PSModulePath.
        $modules = Split-Path -Path (Split-Path -Path $ManifestPath -Parent) -Parent
        $startInfo.EnvironmentVariables['PSModulePath'] = $modules + [System.IO.Path]::PathSeparator + $env:PSModulePath
        $process = [System.Diagnostics.Process]::Start($startInfo)
        try {
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit(150000)) {
                $process.Kill()
                throw 'The runbook did not end within 150 s.'
            }
            $process.WaitForExit()
            $run.ExitCode = $process.ExitCode
            $run.Stdout = $stdout.Result
            $run.Stderr = $stderr.Result
            if (-not $customer.Async.AsyncWaitHandle.WaitOne(30000)) {
                throw 'The customer runspace did not end within 30 s.'
            }
            $run.Customer = @($customer.Shell.EndInvoke($customer.Async))[0]
        }
        finally {
            if (-not $customer.Async.IsCompleted) {
                $customer.Shell.Stop()
            }
            $customer.Shell.Dispose()
            $process.Dispose()
        }
        $line = @($run.Stdout -split "`r?`n" | Where-Object -FilterScript { $_.StartsWith('##RESULT## ') })
        if ($line.Count -eq 1) {
            $run.Result = $line[0].Substring('##RESULT## '.Length) | ConvertFrom-Json
        }
        return $run
    }

    # What a finished onboarding must have left: the summary, the links, the stored bill-to
    # profile, the active relationship and the group's access.
    function Assert-TestOnboarding {
        param($Run)
        $because = 'stdout: {0} stderr: {1}' -f $Run.Stdout, $Run.Stderr
        $Run.Result | Should -Not -BeNullOrEmpty -Because $because
        $Run.Result.ErrorId | Should -BeNullOrEmpty -Because ('{0} {1} {2}' -f $Run.Result.Message, $Run.Result.Details, $because)
        $Run.ExitCode | Should -Be 0 -Because $because
        # The runbook imported the staged module, by name.
        $Run.Result.ModuleBase | Should -Be (Split-Path -Path $ManifestPath -Parent)

        # The only output: one summary object.
        @($Run.Result.Summary).Count | Should -Be 1
        $summary = @($Run.Result.Summary)[0]
        @($summary.PSObject.Properties.Name) | Should -Be @('CustomerId', 'TenantId', 'InviteUrl', 'AdminRelationshipId', 'ApprovalUrl', 'AccessAssignmentId', 'Status')
        $summary.CustomerId | Should -Be $Run.TenantId
        $summary.TenantId | Should -Be $Run.TenantId
        $summary.InviteUrl | Should -Match $PartnerId
        $summary.AdminRelationshipId | Should -Match ('^{0}-' -f $PartnerId)
        $summary.ApprovalUrl | Should -BeExactly ($ApprovalPrefix + $summary.AdminRelationshipId)
        $summary.AccessAssignmentId | Should -Not -BeNullOrEmpty
        $summary.Status | Should -BeExactly 'active'

        # The customer approved this relationship, once it was offered.
        $Run.Customer.Approved | Should -BeExactly $summary.AdminRelationshipId
        $Run.Customer.Status | Should -BeExactly 'approved'

        # The links: printed for a person, and as tagged information records for automation.
        $Run.Stdout | Should -Match ([regex]::Escape($summary.InviteUrl))
        $Run.Stdout | Should -Match ([regex]::Escape($summary.ApprovalUrl))
        $invite = @($Run.Result.Links | Where-Object -FilterScript { $_.Tags -contains 'InviteUrl' })
        $invite.Count | Should -Be 1
        $invite[0].Message | Should -BeExactly $summary.InviteUrl
        $approval = @($Run.Result.Links | Where-Object -FilterScript { $_.Tags -contains 'ApprovalUrl' })
        $approval.Count | Should -Be 1
        $approval[0].Message | Should -BeExactly $summary.ApprovalUrl

        # The bill-to profile was stored.
        $billing = Get-PCCustomerBillingProfile -CustomerId $summary.CustomerId
        $billing.firstName | Should -BeExactly 'Ana'
        $billing.lastName | Should -BeExactly 'Bowman'
        $billing.email | Should -BeExactly $Run.Email
        $billing.defaultAddress.addressLine1 | Should -BeExactly '1 Runbook Way'
        $billing.defaultAddress.city | Should -BeExactly 'Redmond'
        $billing.defaultAddress.state | Should -BeExactly 'WA'
        $billing.defaultAddress.postalCode | Should -BeExactly '98052'
        $billing.defaultAddress.country | Should -BeExactly 'US'

        # The relationship is active, for this customer, with the default least-privileged roles.
        $relationship = Get-PCAdminRelationship -AdminRelationshipId $summary.AdminRelationshipId
        $relationship.Status | Should -BeExactly 'active'
        $relationship.DisplayName | Should -BeExactly $Run.Name
        $relationship.CustomerTenantId | Should -Be $Run.TenantId
        $relationship.Duration | Should -BeExactly 'P730D'
        $relationship.RoleDefinitionId | Should -Be @($DirectoryReaders, $UserAdministrator, $HelpdeskAdministrator)

        # The security group has the roles.
        $access = @(Get-PCAdminRelationshipAccess -AdminRelationshipId $summary.AdminRelationshipId)
        $access.Count | Should -Be 1
        $access[0].AccessAssignmentId | Should -BeExactly $summary.AccessAssignmentId
        $access[0].SecurityGroupId | Should -Be $Run.SecurityGroupId
        $access[0].RoleDefinitionId | Should -Be @($DirectoryReaders, $UserAdministrator, $HelpdeskAdministrator)
    }
}

AfterAll {
    if (Get-Module -Name PartnerCenterNative) {
        Remove-PCAuthentication
        Remove-Module -Name PartnerCenterNative -Force
    }
    Stop-TestEmulator -Emulator $Emulator
}

Describe 'The onboarding runbook of about_PartnerCenterNative_Onboarding' {
    BeforeAll {
        $indented = Get-TestRunbookLine
        $RunbookPath = Join-Path -Path $TestDrive -ChildPath 'Onboard-Customer.ps1'
        Set-Content -Path $RunbookPath -Value @($indented | ForEach-Object -Process { $_ -replace '^ {4}', '' }) -Encoding UTF8
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
        Add-TestAppUserConnection | Out-Null
    }

    It 'is in the staged topic between the markers, every line indented four spaces' {
        Test-Path -Path $TopicPath -PathType Leaf | Should -BeTrue
        $indented.Count | Should -BeGreaterThan 20
        @($indented | Where-Object -FilterScript { $_ -ne '' -and -not $_.StartsWith('    ') }) | Should -BeNullOrEmpty
    }

    It 'parses, and takes the documented parameters (secrets as SecureString only)' {
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($RunbookPath, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $parameters = @{}
        foreach ($parameter in $ast.ParamBlock.Parameters) {
            $parameters[$parameter.Name.VariablePath.UserPath] = $parameter.StaticType
        }
        foreach ($name in 'ApplicationId', 'Tenant', 'CustomerDomain', 'RelationshipName', 'BaseUrl', 'Authority', 'GraphBaseUrl', 'FirstName', 'LastName', 'Email', 'AddressLine1', 'City', 'State', 'PostalCode', 'Country') {
            $parameters[$name] | Should -Be ([string]) -Because ('-{0}' -f $name)
        }
        $parameters['RefreshToken'] | Should -Be ([securestring])
        $parameters['ApplicationSecret'] | Should -Be ([securestring])
        $parameters['SecurityGroupId'] | Should -Be ([guid])
        $parameters['CustomerTimeoutSeconds'] | Should -Be ([int])
        $parameters['ApprovalTimeoutSeconds'] | Should -Be ([int])
        foreach ($name in $parameters.Keys) {
            if ($name -match '(Secret|Token|Password)$') {
                $parameters[$name] | Should -Not -Be ([string]) -Because ('-{0} is a secret' -f $name)
            }
        }
    }

    It 'onboards a customer end to end while the customer accepts and approves' {
        $run = Invoke-TestRunbook -RunbookPath $RunbookPath
        $run.Result.LanguageMode | Should -BeExactly 'FullLanguage'
        Assert-TestOnboarding -Run $run
    }

    It 'onboards a customer end to end in Constrained Language Mode' {
        $run = Invoke-TestRunbook -RunbookPath $RunbookPath -Constrained
        $run.Result.LanguageMode | Should -BeExactly 'ConstrainedLanguage'
        # The restrictions were in force while the runbook ran.
        $run.Result.NewObject | Should -BeExactly 'blocked'
        Assert-TestOnboarding -Run $run
    }
}
