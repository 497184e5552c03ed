#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Ctrl+C and progress, as a host sees them: each command runs in a PowerShell instance of its own
# (its own runspace, so its own connection), started with BeginInvoke and stopped with Stop(),
# the way a console's Ctrl+C stops a pipeline. Its progress records are read from its streams.

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    $ManifestPath = Get-TestModuleManifest
    Import-Module -Name $ManifestPath -Force -ErrorAction Stop
    $Emulator = Start-TestEmulator
}

AfterAll {
    Remove-Module -Name PartnerCenterNative -Force -ErrorAction SilentlyContinue
    Stop-TestEmulator -Emulator $Emulator
}

Describe 'Stopping a command (Ctrl+C)' {
    BeforeEach {
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/reset' | Out-Null
    }

    It 'ends Wait-PCCustomer within a second, with progress shown while it waited' {
        $pipeline = Start-TestPipeline -Script 'Wait-PCCustomer -Domain nobody-accepts.onmicrosoft.com -TimeoutSeconds 60 -PollIntervalSeconds 1'
        try {
            Wait-TestStream -Pipeline $pipeline -Stream 'Progress'
            Start-Sleep -Milliseconds 500
            Stop-TestPipeline -Pipeline $pipeline | Should -BeLessThan 1
            $pipeline.Shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $progress = @($pipeline.Shell.Streams.Progress)
            $progress[0].Activity | Should -Match 'nobody-accepts.onmicrosoft.com'
            $progress[0].StatusDescription | Should -Match 's of 60 s elapsed'
        }
        finally {
            Remove-TestPipeline -Pipeline $pipeline
        }
    }

    It 'ends a device-code sign-in within a second, with progress shown while it waited' {
        $pipeline = Start-TestPipeline -NoSignIn -Script 'Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -UseDeviceAuthentication -BaseUrl $BaseUrl -Authority $BaseUrl -InformationAction SilentlyContinue'
        try {
            Wait-TestStream -Pipeline $pipeline -Stream 'Progress'
            ($pipeline.Shell.Streams.Information | Out-String) | Should -Match '_emulator/devicelogin'
            Stop-TestPipeline -Pipeline $pipeline | Should -BeLessThan 1
            $pipeline.Shell.InvocationStateInfo.State | Should -Be 'Stopped'
            @($pipeline.Shell.Streams.Progress)[0].Activity | Should -Match 'device-code'
        }
        finally {
            Remove-TestPipeline -Pipeline $pipeline
        }
    }

    It 'ends a listing blocked on a stalled page within a second, and the connection goes on' {
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/faults' -Body @{ method = 'GET'; path = '/v1/customers'; stallMs = 30000; count = 1 } | Out-Null
        $pipeline = Start-TestPipeline -Script '[Console]::Out.Flush(); Write-Information started; Get-PCCustomer -PageSize 5'
        try {
            Wait-TestStream -Pipeline $pipeline -Stream 'Information'
            Start-Sleep -Milliseconds 1000
            $pipeline.Async.IsCompleted | Should -BeFalse
            Stop-TestPipeline -Pipeline $pipeline | Should -BeLessThan 1
            $pipeline.Shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $pipeline.Shell.Commands.Clear()
            $count = $pipeline.Shell.AddScript('@(Get-PCCustomer -PageSize 500).Count').Invoke()
            $count | Should -Be $SeededCustomers
        }
        finally {
            Remove-TestPipeline -Pipeline $pipeline
        }
    }

    It 'ends a device-code sign-in within a second while the code itself is still being asked for' {
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/faults' -Body @{ method = 'POST'; path = ('/{0}/oauth2/v2.0/devicecode' -f $Tenant); delayMs = 20000; count = 1 } | Out-Null
        $pipeline = Start-TestPipeline -NoSignIn -Script 'Write-Information started; Add-PCAuthentication -ApplicationId $ApplicationId -Tenant $Tenant -UseDeviceAuthentication -BaseUrl $BaseUrl -Authority $BaseUrl -InformationAction SilentlyContinue'
        try {
            Wait-TestStream -Pipeline $pipeline -Stream 'Information'
            Start-Sleep -Milliseconds 1500
            $pipeline.Async.IsCompleted | Should -BeFalse
            Stop-TestPipeline -Pipeline $pipeline | Should -BeLessThan 1
            $pipeline.Shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            Remove-TestPipeline -Pipeline $pipeline
        }
    }

    It 'leaves no wait behind when Wait-PCCustomer ends early ($ProgressPreference = Stop)' {
        $pipeline = Start-TestPipeline -Script '$ProgressPreference = ''Stop''; try { Wait-PCCustomer -Domain nobody-else.onmicrosoft.com -TimeoutSeconds 60 -PollIntervalSeconds 1 } catch { $_.FullyQualifiedErrorId }'
        try {
            $output = $pipeline.Shell.EndInvoke($pipeline.Async)
            "$output" | Should -Not -BeNullOrEmpty
            $before = @((Invoke-EmulatorAdmin -Method Get -Path '/_emulator/requests') | Where-Object { $_.path -eq '/v1/customers' }).Count
            Start-Sleep -Seconds 3
            $after = @((Invoke-EmulatorAdmin -Method Get -Path '/_emulator/requests') | Where-Object { $_.path -eq '/v1/customers' }).Count
            $after | Should -Be $before
        }
        finally {
            Remove-TestPipeline -Pipeline $pipeline
        }
    }

    It 'shows progress while Wait-PCCustomer waits for an acceptance that comes' {
        $domain = 'stop-{0}.onmicrosoft.com' -f [guid]::NewGuid().ToString('N').Substring(0, 10)
        Invoke-EmulatorAdmin -Method Post -Path '/_emulator/invitations/accept' -Body @{ domain = $domain; companyName = 'Progress Ltd'; delayMs = 1500 } | Out-Null
        $pipeline = Start-TestPipeline -Script ('Wait-PCCustomer -Domain {0} -TimeoutSeconds 60 -PollIntervalSeconds 1' -f $domain)
        try {
            $customer = $pipeline.Shell.EndInvoke($pipeline.Async)
            $customer.Domain | Should -Be $domain
            $records = @($pipeline.Shell.Streams.Progress)
            $records.Count | Should -BeGreaterThan 1
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally {
            Remove-TestPipeline -Pipeline $pipeline
        }
    }
}

Describe 'Connections are per runspace' {
    It 'a new runspace starts without the connection of this one' {
        $endpoint = Get-TestEndpoint
        Add-TestAppUserConnection | Out-Null
        $pipeline = Start-TestPipeline -NoSignIn -Script 'try { New-PCRelationshipRequest -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }'
        try {
            $output = $pipeline.Shell.EndInvoke($pipeline.Async)
            "$output" | Should -BeLike 'PartnerCenterNative.NotConnected*'
        }
        finally {
            Remove-TestPipeline -Pipeline $pipeline
        }
        (New-PCRelationshipRequest).url | Should -Match $PartnerId
        Remove-PCAuthentication
    }
}
