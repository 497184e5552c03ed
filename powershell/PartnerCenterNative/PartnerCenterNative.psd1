@{
    RootModule           = 'PartnerCenterNative.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0e6f5c-3a47-4d3c-9a51-7d2f0c1e8b42'
    Author               = 'partnercenter contributors'
    CompanyName          = 'partnercenter'
    Copyright            = '(c) partnercenter contributors. MIT License.'
    Description          = 'Microsoft Partner Center (CSP) onboarding from PowerShell: sign in with a refresh token, an application secret, an access token or a device code (MFA-friendly), get the reseller-relationship invitation link with (New-PCRelationshipRequest).url, wait for the customer to accept (Wait-PCCustomer), list customers as a stream (Get-PCCustomer), fill in the bill-to profile without overwriting concurrent changes (Set-PCCustomerBillingProfile), and remove a relationship. GDAP (granular delegated admin privileges, which replace the retired DAP) through Microsoft Graph: request least-privileged admin roles and send the customer the approval link (New-PCAdminRelationship, .ApprovalUrl), wait for the approval (Wait-PCAdminRelationship), and give a security group the roles (Add-PCAdminRelationshipAccess). Compiled cmdlets over a native Rust library; no third-party .NET assemblies to conflict with other modules.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('PartnerCenterNative.format.ps1xml')
    CmdletsToExport      = @(
        'Add-PCAdminRelationshipAccess',
        'Add-PCAuthentication',
        'Get-PCAdminRelationship',
        'Get-PCAdminRelationshipAccess',
        'Get-PCAuthentication',
        'Get-PCCustomer',
        'Get-PCCustomerBillingProfile',
        'Lock-PCAdminRelationship',
        'New-PCAdminRelationship',
        'New-PCRelationshipRequest',
        'Remove-PCAdminRelationship',
        'Remove-PCAuthentication',
        'Remove-PCCustomerRelationship',
        'Set-PCCustomerBillingProfile',
        'Wait-PCAdminRelationship',
        'Wait-PCCustomer'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    FileList             = @(
        'PartnerCenterNative.psd1',
        'PartnerCenterNative.dll',
        'PartnerCenterNative.format.ps1xml',
        'en-US/PartnerCenterNative.dll-Help.xml',
        'en-US/about_PartnerCenterNative.help.txt',
        'en-US/about_PartnerCenterNative_Onboarding.help.txt'
    )
    PrivateData          = @{
        PSData = @{
            Tags         = @('PartnerCenter', 'CSP', 'Microsoft', 'Partner', 'Reseller', 'RelationshipRequest', 'MFA', 'DeviceCode', 'Customer', 'BillingProfile', 'GDAP', 'DelegatedAdmin', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/partnercenter/partnercenter'
            ReleaseNotes = @'
0.1.0
- Add-PCAuthentication with refresh-token (App+User), application-secret (app-only), access-token and
  device-code (MFA-friendly) sign-in; -CspAppId and -CspDomain accepted as aliases. Password sign-in is
  not offered: it cannot satisfy MFA.
- New-PCRelationshipRequest: (New-PCRelationshipRequest).url is the reseller invitation link.
- Get-PCAuthentication returns the current (possibly rotated) refresh token as a SecureString to persist.
- Get-PCCustomer (all, -Domain, -CompanyName, -CustomerId) streams customers to the pipeline as pages
  arrive; Select-Object -First ends the listing early and frees it.
- Wait-PCCustomer waits (with a progress bar) until a customer accepts the invitation.
- Get-PCCustomerBillingProfile / Set-PCCustomerBillingProfile: the whole profile, unknown fields kept;
  updates are guarded by the profile's ETag (a concurrent change is a Conflict, never overwritten).
- Remove-PCCustomerRelationship (ConfirmImpact High).
- GDAP admin relationships through Microsoft Graph (DAP was retired; GDAP replaces it):
  New-PCAdminRelationship requests least-privileged Entra built-in roles (by name or template id) and
  returns the relationship, whose .ApprovalUrl is the link the customer approves (-Draft and
  Lock-PCAdminRelationship to lock later); Get-PCAdminRelationship streams relationships (-Status,
  -CustomerTenantId) or gets them by id; Wait-PCAdminRelationship waits (with a progress bar) until it
  is active; Add-PCAdminRelationshipAccess / Get-PCAdminRelationshipAccess give a security group its
  roles and list the assignments; Remove-PCAdminRelationship terminates it (ConfirmImpact High).
- Add-PCAuthentication -GraphBaseUrl overrides the Microsoft Graph address (default from -Environment;
  the emulator serves Graph at <base url>/v1.0).
- about_PartnerCenterNative_Onboarding: the whole onboarding, with a complete runbook script.
- Errors are ErrorRecords with ErrorId PartnerCenterNative.<Kind>, a mapped category, and the service
  message, MS-RequestId and MS-CorrelationId in ErrorDetails.
- Windows PowerShell 5.1 and PowerShell 7 on Windows, Linux and macOS (runtimes/<rid>/native/).
- A binary module: compiled cmdlets (one netstandard2.0 assembly), so it imports fast and also in
  Constrained Language Mode; Ctrl+C stops Wait-PCCustomer and device-code sign-in at once.
'@
        }
    }
}
