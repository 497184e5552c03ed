#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 tests of the module against the Partner Center emulator, on Windows PowerShell 5.1 and
# PowerShell 7. Run: Invoke-Pester -Path powershell/PartnerCenterNative/tests -Output Detailed

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    $ManifestPath = Get-TestModuleManifest
    Import-Module -Name $ManifestPath -Force -ErrorAction Stop
    $Emulator = Start-TestEmulator
}

AfterAll {
    if (Get-Module -Name PartnerCenterNative) {
        Remove-PCAuthentication
        Remove-Module -Name PartnerCenterNative -Force
    }
    Stop-TestEmulator -Emulator $Emulator
}

Describe 'Import-Module PartnerCenterNative' {
    It 'exports exactly the public cmdlets, compiled, and no functions' {
        $module = Get-Module -Name PartnerCenterNative
        $module.ModuleType | Should -Be 'Binary'
        $module.ExportedCmdlets.Keys | Sort-Object | Should -Be ($PublicFunctions | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
        foreach ($name in $PublicFunctions) {
            (Get-Command -Name $name).CommandType | Should -Be 'Cmdlet'
        }
    }

    It 'ships no script and compiles nothing at import' {
        $folder = Split-Path -Path $ManifestPath -Parent
        @(Get-ChildItem -Path $folder -Recurse -Include '*.ps1', '*.psm1', '*.cs' -File).Count | Should -Be 0
        (Import-PowerShellDataFile -Path $ManifestPath).RootModule | Should -Be 'PartnerCenterNative.dll'
    }

    It 'loads the native library' {
        $loaded = [PartnerCenterNative.NativeLoader]::LoadedPath
        $loaded | Should -Not -BeNullOrEmpty
        Split-Path -Path $loaded -Leaf | Should -Be (Get-TestLibraryName)
        [PartnerCenterNative.LibraryInfo]::Version() | Should -Match '^\d+\.\d+\.\d+'
    }

    It 'can be imported again in the same session' {
        { Import-Module -Name $ManifestPath -Force -ErrorAction Stop } | Should -Not -Throw
    }

    It 'fails to import, naming the path it tried, when the library is missing' {
        $missing = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('no-library-{0}' -f [guid]::NewGuid())
        $shell = Join-Path -Path $PSHOME -ChildPath $PwshName
        $saved = $env:PARTNERCENTER_NATIVE_PATH
        try {
            $env:PARTNERCENTER_NATIVE_PATH = $missing
            $command = "try { Import-Module -Name '" + $ManifestPath + "' -ErrorAction Stop; 'IMPORT-SUCCEEDED' } catch { 'ERRORID=' + `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
            $output = (& $shell -NoProfile -NonInteractive -Command $command) -join "`n"
        }
        finally {
            $env:PARTNERCENTER_NATIVE_PATH = $saved
        }
        $output | Should -Not -Match 'IMPORT-SUCCEEDED'
        $output | Should -Match 'cannot be imported'
        $output | Should -Match 'ERRORID=PartnerCenterNative.NativeLibraryNotFound'
        $output | Should -BeLike ('*{0}*' -f $missing)
    }

    It 'fails to import, naming the file, when the library is not a library for this platform' {
        $folder = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('bad-library-{0}' -f [guid]::NewGuid())
        New-Item -ItemType Directory -Path $folder | Out-Null
        $bad = Join-Path -Path $folder -ChildPath (Get-TestLibraryName)
        Set-Content -Path $bad -Value 'not a shared library'
        $shell = Join-Path -Path $PSHOME -ChildPath $PwshName
        $saved = $env:PARTNERCENTER_NATIVE_PATH
        try {
            $env:PARTNERCENTER_NATIVE_PATH = $folder
            $command = "try { Import-Module -Name '" + $ManifestPath + "' -ErrorAction Stop; 'IMPORT-SUCCEEDED' } catch { 'ERRORID=' + `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
            $output = (& $shell -NoProfile -NonInteractive -Command $command) -join "`n"
        }
        finally {
            $env:PARTNERCENTER_NATIVE_PATH = $saved
            Remove-Item -Path $folder -Recurse -Force
        }
        $output | Should -Not -Match 'IMPORT-SUCCEEDED'
        $output | Should -Match 'ERRORID=PartnerCenterNative.NativeLibraryNotLoaded'
        $output | Should -BeLike ('*{0}*' -f $bad)
    }
}

Describe 'Add-PCAuthentication' {
    BeforeEach {
        Remove-PCAuthentication
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
        $endpoint = Get-TestEndpoint
    }

    It 'signs in with a refresh token (App+User)' {
        $connection = Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'emulator-refresh-token') @endpoint
        $connection.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.Connection'
        $connection.Tenant | Should -Be $Tenant
        $connection.Environment | Should -Be 'Global'
        $connection.CredentialKind | Should -Be 'RefreshToken'
        $connection.ApplicationId | Should -Be $ApplicationId
        $connection.ExpiresOn | Should -BeGreaterThan ([System.DateTimeOffset]::Now)
        $connection.BaseUrl | Should -BeLike ($Emulator.BaseUrl + '*')
        $connection.CorrelationId | Should -Not -BeNullOrEmpty
        $connection.PSObject.Properties.Name | Should -Not -Contain 'RefreshToken'
        ($connection | Out-String) | Should -Not -Match 'emulator-refresh-token'
        ($connection | Out-String -Width 200) | Should -Match 'Tenant\s+Environment\s+CredentialKind\s+ApplicationId\s+ExpiresOn'
    }

    It 'accepts the community module''s -CspAppId and -CspDomain' {
        $connection = Add-PCAuthentication -CspAppId $ApplicationId -CspDomain $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'emulator-refresh-token') @endpoint
        $connection.CredentialKind | Should -Be 'RefreshToken'
    }

    It 'uses the correlation id it is given' {
        $correlationId = [guid]::NewGuid()
        $connection = Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'emulator-refresh-token') -CorrelationId $correlationId @endpoint
        $connection.CorrelationId | Should -Be $correlationId.ToString()
        (New-PCRelationshipRequest).CorrelationId | Should -Be $correlationId.ToString()
    }

    It 'signs in app-only with -ApplicationSecret' {
        $connection = Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -ApplicationSecret (ConvertTo-TestSecureString -Text 'emulator-client-secret') @endpoint
        $connection.CredentialKind | Should -Be 'ApplicationSecret'
    }

    It 'signs in app-only with -Credential whose user name is the application id' {
        $credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $ApplicationId, (ConvertTo-TestSecureString -Text 'emulator-client-secret')
        $connection = Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -Credential $credential @endpoint
        $connection.CredentialKind | Should -Be 'ApplicationSecret'
    }

    It 'binds every documented form without prompting: <Form>' -ForEach @(
        @{ Form = '-RefreshToken'; Kind = 'RefreshToken'; Secrets = @('RefreshToken') }
        @{ Form = '-RefreshToken -ApplicationSecret'; Kind = 'RefreshToken'; Secrets = @('RefreshToken', 'ApplicationSecret') }
        @{ Form = '-RefreshToken -Credential'; Kind = 'RefreshToken'; Secrets = @('RefreshToken', 'Credential') }
        @{ Form = '-ApplicationSecret'; Kind = 'ApplicationSecret'; Secrets = @('ApplicationSecret') }
        @{ Form = '-Credential'; Kind = 'ApplicationSecret'; Secrets = @('Credential') }
    ) {
        $values = @{
            RefreshToken      = ConvertTo-TestSecureString -Text 'emulator-refresh-token'
            ApplicationSecret = ConvertTo-TestSecureString -Text 'emulator-client-secret'
            Credential        = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $ApplicationId, (ConvertTo-TestSecureString -Text 'emulator-client-secret')
        }
        $arguments = @{ ApplicationId = $ApplicationId; Tenant = $Tenant }
        foreach ($name in $Secrets) {
            $arguments[$name] = $values[$name]
        }
        $connection = Add-PCAuthentication @arguments @endpoint -ErrorAction Stop
        $connection | Should -BeOfType ([PartnerCenterNative.Connection])
        $connection.CredentialKind | Should -Be $Kind
        (Get-PCAuthentication).CredentialKind | Should -Be $Kind
    }

    It 'takes -ApplicationId and -Tenant from the pipeline by property name' {
        $settings = [PSCustomObject]@{ ApplicationId = $ApplicationId; Tenant = $Tenant }
        $connection = $settings | Add-PCAuthentication -RefreshToken (ConvertTo-TestSecureString -Text 'emulator-refresh-token') @endpoint
        $connection.Tenant | Should -Be $Tenant
        $connection.ApplicationId | Should -Be $ApplicationId
    }

    It 'refuses password sign-in, explaining MFA' {
        $credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'admin@contoso.onmicrosoft.com', (ConvertTo-TestSecureString -Text 'P@ssw0rd!')
        $record = { Add-PCAuthentication -CspAppId $ApplicationId -CspDomain $Tenant -Credential $credential @endpoint } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.PasswordSignInNotSupported*'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.Message | Should -Match 'MFA'
        $record.Exception.Message | Should -Match '-UseDeviceAuthentication'
        $record.Exception.Message | Should -Match '-RefreshToken'
        $record.Exception.Message | Should -Not -Match 'P@ssw0rd'
    }

    It 'signs in with an access token' {
        $form = @{
            grant_type    = 'refresh_token'
            client_id     = $ApplicationId
            client_secret = 'emulator-client-secret'
            refresh_token = 'emulator-refresh-token'
            scope         = 'https://api.partnercenter.microsoft.com/user_impersonation offline_access'
        }
        $token = (Invoke-RestMethod -Method Post -Uri ('{0}/{1}/oauth2/v2.0/token' -f $Emulator.BaseUrl, $Tenant) -Body $form).access_token
        $connection = Add-PCAuthentication -AccessToken (ConvertTo-TestSecureString -Text $token) -BaseUrl $Emulator.BaseUrl
        $connection.CredentialKind | Should -Be 'AccessToken'
        (New-PCRelationshipRequest).url | Should -Match $PartnerId
        $connection = Add-PCAuthentication -AccessToken (ConvertTo-TestSecureString -Text $token) -Tenant $Tenant -BaseUrl $Emulator.BaseUrl
        $connection.Tenant | Should -Be $Tenant
        (New-PCRelationshipRequest).url | Should -Match $PartnerId
    }

    It 'signs in with a device code approved by the user' {
        $approver = Start-Job -ArgumentList $Emulator.BaseUrl -ScriptBlock {
            param($BaseUrl)
            for ($attempt = 0; $attempt -lt 100; $attempt++) {
                try {
                    Invoke-RestMethod -Method Post -Uri ($BaseUrl + '/_emulator/device/approve') -ContentType 'application/json' -Body '{}' | Out-Null
                    return 'approved'
                }
                catch {
                    Start-Sleep -Milliseconds 300
                }
            }
            return 'no pending code'
        }
        try {
            $connection = Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -UseDeviceAuthentication -InformationVariable shown -InformationAction SilentlyContinue @endpoint
        }
        finally {
            $approval = $approver | Wait-Job -Timeout 60 | Receive-Job
            $approver | Remove-Job -Force
        }
        $approval | Should -Be 'approved'
        $connection.CredentialKind | Should -Be 'RefreshToken'
        ($shown | Out-String) | Should -Match '_emulator/devicelogin'
        (New-PCRelationshipRequest).url | Should -Match $PartnerId
        (Get-PCAuthentication).RefreshToken | Should -BeOfType [securestring]
    }

    It 'reports a declined device code as PartnerCenterNative.DeviceCodeDeclined' {
        $decliner = Start-Job -ArgumentList $Emulator.BaseUrl -ScriptBlock {
            param($BaseUrl)
            for ($attempt = 0; $attempt -lt 100; $attempt++) {
                try {
                    Invoke-RestMethod -Method Post -Uri ($BaseUrl + '/_emulator/device/decline') -ContentType 'application/json' -Body '{}' | Out-Null
                    return
                }
                catch {
                    Start-Sleep -Milliseconds 300
                }
            }
        }
        try {
            $record = { Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -UseDeviceAuthentication -InformationAction SilentlyContinue @endpoint } | Should -Throw -PassThru
        }
        finally {
            $decliner | Wait-Job -Timeout 60 | Remove-Job -Force
        }
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.DeviceCodeDeclined*'
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'reports a bad refresh token as PartnerCenterNative.Authentication with the AADSTS code' {
        $record = { Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'wrong-token') @endpoint } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Authentication*'
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $record.Exception | Should -BeOfType [PartnerCenterNative.PartnerCenterException]
        $record.Exception.ServiceCode | Should -BeLike 'AADSTS*'
        $record.ErrorDetails.Message | Should -Match 'AADSTS'
        $record.ErrorDetails.Message | Should -Not -Match 'wrong-token'
        $record.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'refuses plain http to a host that is not loopback' {
        $record = { Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'emulator-refresh-token') -BaseUrl 'http://api.example.com' -Authority $Emulator.BaseUrl } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.InsecureUrl*'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'records the cloud chosen with -Environment' {
        $connection = Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'emulator-refresh-token') -Environment USGov @endpoint
        $connection.Environment | Should -Be 'USGov'
    }

    It 'validates -Environment' {
        { Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken (ConvertTo-TestSecureString -Text 'x') -Environment 'Mars' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'replaces the previous connection' {
        Add-TestAppUserConnection | Out-Null
        $connection = Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -ApplicationSecret (ConvertTo-TestSecureString -Text 'emulator-client-secret') @endpoint
        (Get-PCAuthentication).CredentialKind | Should -Be 'ApplicationSecret'
        $connection.CredentialKind | Should -Be 'ApplicationSecret'
    }
}

Describe 'New-PCRelationshipRequest' {
    BeforeEach {
        Remove-PCAuthentication
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
    }

    It 'fails without a connection, naming Add-PCAuthentication' {
        $record = { New-PCRelationshipRequest } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.NotConnected*'
        $record.Exception.Message | Should -Match 'Add-PCAuthentication'
    }

    It 'gets the invitation link: (New-PCRelationshipRequest).url' {
        Add-TestAppUserConnection | Out-Null
        $inviteURL = (New-PCRelationshipRequest).url
        $inviteURL | Should -BeLike 'https://*'
        $inviteURL | Should -Match $PartnerId
        $inviteURL | Should -Match 'ResellerRelationship'
    }

    It 'returns a PartnerCenterNative.RelationshipRequest with attributes and ids' {
        Add-TestAppUserConnection | Out-Null
        $request = New-PCRelationshipRequest
        $request | Should -BeOfType ([PartnerCenterNative.RelationshipRequest])
        $request.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.RelationshipRequest'
        $request.attributes.objectType | Should -Match 'RelationshipRequest'
        $request.RequestId | Should -Not -BeNullOrEmpty
        $request.CorrelationId | Should -Not -BeNullOrEmpty
    }

    It 'makes a one-off call with -AccessToken' {
        $form = @{
            grant_type    = 'refresh_token'
            client_id     = $ApplicationId
            refresh_token = 'emulator-refresh-token'
            client_secret = 'emulator-client-secret'
            scope         = 'https://api.partnercenter.microsoft.com/user_impersonation offline_access'
        }
        $token = (Invoke-RestMethod -Method Post -Uri ('{0}/{1}/oauth2/v2.0/token' -f $Emulator.BaseUrl, $Tenant) -Body $form).access_token
        (New-PCRelationshipRequest -AccessToken (ConvertTo-TestSecureString -Text $token) -BaseUrl $Emulator.BaseUrl).url | Should -Match $PartnerId
        Get-PCAuthentication -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports app-only credentials as PartnerCenterNative.Forbidden (PermissionDenied)' {
        $endpoint = Get-TestEndpoint
        Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -ApplicationSecret (ConvertTo-TestSecureString -Text 'emulator-client-secret') @endpoint | Out-Null
        $record = { New-PCRelationshipRequest } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Forbidden*'
        $record.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $record.Exception.Message | Should -Match 'App\+User'
        $record.Exception.HttpStatus | Should -Be 403
        $record.ErrorDetails.Message | Should -Match 'MS-RequestId'
        $record.ErrorDetails.RecommendedAction | Should -Match 'RefreshToken'
    }

    It 'retries a 429 with Retry-After, then succeeds' {
        Add-TestAppUserConnection | Out-Null
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/faults' -Body @{ method = 'GET'; path = '/v1/customers/relationshiprequests'; status = 429; retryAfter = 1; count = 1 } | Out-Null
        (New-PCRelationshipRequest).url | Should -Match $PartnerId
    }

    It 'reports throttling past the allowed wait as PartnerCenterNative.Throttled (LimitsExceeded)' {
        Add-TestAppUserConnection | Out-Null
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/faults' -Body @{ method = 'GET'; path = '/v1/customers/relationshiprequests'; status = 429; retryAfter = 3600; count = 1 } | Out-Null
        $record = { New-PCRelationshipRequest } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Throttled*'
        $record.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $record.Exception.RetryAfterSeconds | Should -Be 3600
        $record.ErrorDetails.RecommendedAction | Should -Match '3600'
    }

    It 'reports a failing service as PartnerCenterNative.Service with the request id' {
        Add-TestAppUserConnection | Out-Null
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/faults' -Body @{ method = 'GET'; path = '/v1/customers/relationshiprequests'; status = 500; count = 20 } | Out-Null
        $record = { New-PCRelationshipRequest } | Should -Throw -PassThru
        $record.FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.Service*'
        $record.Exception.RequestId | Should -Not -BeNullOrEmpty
        $record.ErrorDetails.Message | Should -Match ([regex]::Escape($record.Exception.RequestId))
    }
}

Describe 'Get-PCAuthentication' {
    BeforeEach {
        Remove-PCAuthentication
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
    }

    It 'writes a non-terminating error without a connection' {
        $result = Get-PCAuthentication -ErrorAction SilentlyContinue -ErrorVariable problems
        $result | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PartnerCenterNative.NotConnected*'
    }

    It 'returns the connection and the rotated refresh token as a SecureString' {
        Add-TestAppUserConnection | Out-Null
        $connection = Get-PCAuthentication
        $connection.PSObject.TypeNames | Should -Contain 'PartnerCenterNative.Connection'
        $connection.RefreshToken | Should -BeOfType [securestring]
        $rotated = ConvertFrom-TestSecureString -Secret $connection.RefreshToken
        $rotated | Should -Not -BeNullOrEmpty
        $rotated | Should -Not -Be 'emulator-refresh-token'
        $endpoint = Get-TestEndpoint
        Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -RefreshToken $connection.RefreshToken -ApplicationSecret (ConvertTo-TestSecureString -Text 'emulator-client-secret') @endpoint | Out-Null
        (New-PCRelationshipRequest).url | Should -Match $PartnerId
    }

    It 'has no refresh token for app-only connections' {
        $endpoint = Get-TestEndpoint
        Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -ApplicationSecret (ConvertTo-TestSecureString -Text 'emulator-client-secret') @endpoint | Out-Null
        (Get-PCAuthentication).RefreshToken | Should -BeNullOrEmpty
    }
}

Describe 'Remove-PCAuthentication' {
    It 'removes the connection' {
        Add-TestAppUserConnection | Out-Null
        Remove-PCAuthentication
        { New-PCRelationshipRequest } | Should -Throw -ErrorId 'PartnerCenterNative.NotConnected*'
    }

    It 'keeps the connection with -WhatIf' {
        Add-TestAppUserConnection | Out-Null
        Remove-PCAuthentication -WhatIf
        (New-PCRelationshipRequest).url | Should -Match $PartnerId
        Remove-PCAuthentication
    }

    It 'returns what it removed with -PassThru, and does nothing without a connection' {
        Add-TestAppUserConnection | Out-Null
        $removed = Remove-PCAuthentication -PassThru
        $removed.CredentialKind | Should -Be 'RefreshToken'
        { Remove-PCAuthentication } | Should -Not -Throw
    }
}
