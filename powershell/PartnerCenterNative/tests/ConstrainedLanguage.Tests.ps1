#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The module in Constrained Language Mode (AppLocker/WDAC-managed hosts, JEA endpoints): a
# fresh pwsh switches itself to ConstrainedLanguage (which cannot be undone, hence a child
# process), then imports the module, gets the headline link and meets an error path. Each child
# prints one JSON line that the test reads.

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    $ManifestPath = Get-TestModuleManifest
    $Emulator = Start-TestEmulator

    function Invoke-ConstrainedChild {
        param(
            [Parameter(Mandatory = $true)]
            [string]
            $Body
        )
        $script = @'
$ExecutionContext.SessionState.LanguageMode = 'ConstrainedLanguage'
$result = [ordered]@{ LanguageMode = [string]$ExecutionContext.SessionState.LanguageMode }
try {
    Import-Module -Name '{MANIFEST}' -ErrorAction Stop
    $result.Imported = $true
    {BODY}
}
catch {
    $result.ErrorId = $_.FullyQualifiedErrorId
    $result.Category = [string]$_.CategoryInfo.Category
    $result.Message = $_.Exception.Message
}
$result | ConvertTo-Json -Compress
'@
        $script = $script.Replace('{MANIFEST}', $ManifestPath).Replace('{BODY}', $Body)
        $script = $script.Replace('{BASE}', $Emulator.BaseUrl).Replace('{TENANT}', $Tenant).Replace('{APPID}', $ApplicationId)
        $shell = Join-Path -Path $PSHOME -ChildPath $PwshName
        $lines = @(& $shell -NoProfile -NonInteractive -Command $script)
        return ($lines[-1] | ConvertFrom-Json)
    }
}

AfterAll {
    Stop-TestEmulator -Emulator $Emulator
}

Describe 'Constrained Language Mode' {
    It 'imports the module' {
        $result = Invoke-ConstrainedChild -Body '$result.Commands = @(Get-Command -Module PartnerCenterNative).Count'
        $result.LanguageMode | Should -Be 'ConstrainedLanguage'
        $result.Imported | Should -BeTrue
        $result.Commands | Should -Be $PublicFunctions.Count
        $result.ErrorId | Should -BeNullOrEmpty
    }

    It 'gets the invitation link: (New-PCRelationshipRequest).url' {
        $result = Invoke-ConstrainedChild -Body @'
$refreshToken = ConvertTo-SecureString -String 'emulator-refresh-token' -AsPlainText -Force
Add-PCAuthentication -ApplicationId '{APPID}' -Tenant '{TENANT}' -RefreshToken $refreshToken -BaseUrl '{BASE}' -Authority '{BASE}' | Out-Null
$inviteURL = (New-PCRelationshipRequest).url
$result.Url = $inviteURL
$result.Customers = @(Get-PCCustomer -PageSize 25).Count
$result.Table = (Get-PCCustomer | Select-Object -First 2 | Format-Table | Out-String -Width 200)
'@
        $result.LanguageMode | Should -Be 'ConstrainedLanguage'
        $result.ErrorId | Should -BeNullOrEmpty
        $result.Url | Should -Match $PartnerId
        $result.Customers | Should -Be $SeededCustomers
        $result.Table | Should -Match 'CustomerId\s+Domain\s+CompanyName\s+RelationshipToPartner'
    }

    It 'creates and reads a GDAP admin relationship: New-PCAdminRelationship, Get-PCAdminRelationship' {
        $result = Invoke-ConstrainedChild -Body @'
$refreshToken = ConvertTo-SecureString -String 'emulator-refresh-token' -AsPlainText -Force
Add-PCAuthentication -ApplicationId '{APPID}' -Tenant '{TENANT}' -RefreshToken $refreshToken -BaseUrl '{BASE}' -Authority '{BASE}' -GraphBaseUrl '{BASE}/v1.0' | Out-Null
$relationship = New-PCAdminRelationship -DisplayName 'Constrained GDAP' -Role 'Directory Readers', 'User Administrator' -CustomerTenantId '4b827261-d21f-4aa9-b7db-7fa1f56fb163'
$result.Id = $relationship.Id
$result.Status = $relationship.Status
$result.ApprovalUrl = $relationship.ApprovalUrl
$result.TypeNames = @($relationship.PSObject.TypeNames)
$result.Listed = @(Get-PCAdminRelationship -Status approvalPending | ForEach-Object { $_.Id })
$result.Fetched = (Get-PCAdminRelationship -AdminRelationshipId $relationship.Id).DisplayName
$result.Table = ($relationship | Format-Table | Out-String -Width 300)
'@
        $result.LanguageMode | Should -Be 'ConstrainedLanguage'
        $result.ErrorId | Should -BeNullOrEmpty -Because $result.Message
        $result.Status | Should -BeExactly 'approvalPending'
        $result.Id | Should -Match ('^{0}-4b827261-d21f-4aa9-b7db-7fa1f56fb163$' -f $PartnerId)
        $result.ApprovalUrl | Should -BeExactly ('https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/' + $result.Id)
        $result.TypeNames | Should -Contain 'PartnerCenterNative.AdminRelationship'
        @($result.Listed) | Should -Contain $result.Id
        $result.Fetched | Should -BeExactly 'Constrained GDAP'
        $result.Table | Should -Match '(?m)^DisplayName\s+Status\s+CustomerTenantId\s+EndDateTime\s*$'
    }

    It 'reports an error with the module''s ErrorId and category' {
        $result = Invoke-ConstrainedChild -Body @'
$secret = ConvertTo-SecureString -String 'emulator-client-secret' -AsPlainText -Force
Add-PCAuthentication -ApplicationId '{APPID}' -Tenant '{TENANT}' -ApplicationSecret $secret -BaseUrl '{BASE}' -Authority '{BASE}' | Out-Null
New-PCRelationshipRequest -ErrorAction Stop
'@
        $result.LanguageMode | Should -Be 'ConstrainedLanguage'
        $result.Imported | Should -BeTrue
        $result.ErrorId | Should -BeLike 'PartnerCenterNative.Forbidden*'
        $result.Category | Should -Be 'PermissionDenied'
        $result.Message | Should -Match 'App\+User'
    }
}
