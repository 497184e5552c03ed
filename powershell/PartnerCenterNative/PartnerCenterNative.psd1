@{
    RootModule           = 'PartnerCenterNative.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0e6f5c-3a47-4d3c-9a51-7d2f0c1e8b42'
    Author               = 'partnercenter contributors'
    CompanyName          = 'partnercenter'
    Copyright            = '(c) partnercenter contributors. MIT License.'
    Description          = 'Microsoft Partner Center (CSP) onboarding from PowerShell: sign in with a refresh token, an application secret, an access token or a device code (MFA-friendly), and get the reseller-relationship invitation link with (New-PCRelationshipRequest).url. Backed by a native Rust library; no .NET assemblies to conflict with other modules.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport    = @(
        'Add-PCAuthentication',
        'Get-PCAuthentication',
        'New-PCRelationshipRequest',
        'Remove-PCAuthentication'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    FileList             = @(
        'PartnerCenterNative.psd1',
        'PartnerCenterNative.psm1',
        'PartnerCenterNative.Interop.cs',
        'Public/Add-PCAuthentication.ps1',
        'Public/Get-PCAuthentication.ps1',
        'Public/New-PCRelationshipRequest.ps1',
        'Public/Remove-PCAuthentication.ps1',
        'Private/ConvertTo-PCConnection.ps1',
        'Private/ConvertTo-PCOptionsJson.ps1',
        'Private/New-PCClient.ps1',
        'Private/New-PCErrorRecord.ps1',
        'Private/Set-PCSession.ps1',
        'Private/Wait-PCDeviceCode.ps1',
        'en-US/about_PartnerCenterNative.help.txt'
    )
    PrivateData          = @{
        PSData = @{
            Tags         = @('PartnerCenter', 'CSP', 'Microsoft', 'Partner', 'Reseller', 'RelationshipRequest', 'MFA', 'DeviceCode', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/partnercenter/partnercenter'
            ReleaseNotes = @'
0.1.0
- Add-PCAuthentication with refresh-token (App+User), application-secret (app-only), access-token and
  device-code (MFA-friendly) sign-in; -CspAppId and -CspDomain accepted as aliases. Password sign-in is
  not offered: it cannot satisfy MFA.
- New-PCRelationshipRequest: (New-PCRelationshipRequest).url is the reseller invitation link.
- Get-PCAuthentication returns the current (possibly rotated) refresh token as a SecureString to persist.
- Errors are ErrorRecords with ErrorId PartnerCenterNative.<Kind>, a mapped category, and the service
  message, MS-RequestId and MS-CorrelationId in ErrorDetails.
- Windows PowerShell 5.1 and PowerShell 7 on Windows, Linux and macOS (runtimes/<rid>/native/).
'@
        }
    }
}
