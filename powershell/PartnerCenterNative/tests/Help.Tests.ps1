#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Every public function has comment-based help: synopsis, description, every parameter, and two
# or more examples; the about_ topic is found by Get-Help.

BeforeDiscovery {
    $functionCases = @(
        @{ Name = 'Add-PCAuthentication' },
        @{ Name = 'Get-PCAuthentication' },
        @{ Name = 'New-PCRelationshipRequest' },
        @{ Name = 'Remove-PCAuthentication' },
        @{ Name = 'Get-PCCustomer' },
        @{ Name = 'Wait-PCCustomer' },
        @{ Name = 'Get-PCCustomerBillingProfile' },
        @{ Name = 'Set-PCCustomerBillingProfile' },
        @{ Name = 'Remove-PCCustomerRelationship' },
        @{ Name = 'New-PCAdminRelationship' },
        @{ Name = 'Lock-PCAdminRelationship' },
        @{ Name = 'Get-PCAdminRelationship' },
        @{ Name = 'Wait-PCAdminRelationship' },
        @{ Name = 'Remove-PCAdminRelationship' },
        @{ Name = 'Add-PCAdminRelationshipAccess' },
        @{ Name = 'Get-PCAdminRelationshipAccess' }
    )
}

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    Import-Module -Name (Get-TestModuleManifest) -Force -ErrorAction Stop
    $commonParameters = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
}

AfterAll {
    Remove-Module -Name PartnerCenterNative -Force -ErrorAction SilentlyContinue
}

Describe 'Help of <Name>' -ForEach $functionCases {
    BeforeAll {
        $help = Get-Help -Name $Name -Full
        $command = Get-Command -Name $Name
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike ('*{0} *' -f $Name)
    }

    It 'has a description' {
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has two or more examples' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'describes every parameter' {
        $parameters = $command.Parameters.Keys | Where-Object { $commonParameters -notcontains $_ }
        foreach ($parameter in $parameters) {
            $parameterHelp = $help.Parameters.Parameter | Where-Object { $_.Name -eq $parameter }
            ($parameterHelp.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because ('-{0} needs a description' -f $parameter)
        }
    }

    It 'shows the syntax of every parameter set as the cmdlet binds it' {
        $helpSets = foreach ($item in @($help.Syntax.SyntaxItem)) {
            (@($item.Parameter | Where-Object { $null -ne $_ -and $commonParameters -notcontains $_.Name } | ForEach-Object { '{0}:{1}' -f $_.Name, $_.Required } | Sort-Object) -join ' ')
        }
        foreach ($set in $command.ParameterSets) {
            $shape = (@($set.Parameters | Where-Object { $commonParameters -notcontains $_.Name } | ForEach-Object { '{0}:{1}' -f $_.Name, $_.IsMandatory.ToString().ToLowerInvariant() } | Sort-Object) -join ' ')
            $helpSets | Should -Contain $shape -Because ('the help must show the {0} set as it binds' -f $set.Name)
        }
        @($help.Syntax.SyntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }

    It 'declares its output type' {
        $command.OutputType | Should -Not -BeNullOrEmpty
    }

    It 'takes no secret as a plain string' {
        foreach ($parameter in $command.Parameters.Values) {
            if ($parameter.Name -match '(Secret|Token|Password)$') {
                $parameter.ParameterType | Should -Not -Be ([string]) -Because ('-{0} is a secret' -f $parameter.Name)
            }
        }
    }
}

Describe 'about_PartnerCenterNative' {
    It 'is found by Get-Help' {
        $topic = Get-Help -Name about_PartnerCenterNative
        ($topic | Out-String) | Should -Match 'New-PCRelationshipRequest'
        ($topic | Out-String) | Should -Match 'Set-PCCustomerBillingProfile'
    }
}

Describe 'about_PartnerCenterNative_Onboarding' {
    It 'is found by Get-Help and holds the runbook between its markers' {
        $text = Get-Help -Name about_PartnerCenterNative_Onboarding | Out-String
        $text | Should -Match 'about_PartnerCenterNative_Onboarding'
        $text | Should -Match 'New-PCAdminRelationship'
        $text | Should -Match 'Add-PCAdminRelationshipAccess'
        $begin = $text.IndexOf('# --- begin runbook')
        $end = $text.IndexOf('# --- end runbook')
        $begin | Should -BeGreaterOrEqual 0
        $end | Should -BeGreaterThan $begin
        $text.Substring($begin, $end - $begin) | Should -Match 'Wait-PCAdminRelationship'
    }
}
