using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Remove-PCAdminRelationship: terminates an active admin relationship.</summary>
[Cmdlet(VerbsCommon.Remove, "PCAdminRelationship", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(AdminRelationship))]
public sealed class RemovePCAdminRelationshipCommand : AdminRelationshipCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess("admin relationship " + AdminRelationshipId, "Terminate (the partner loses the delegated admin roles)"))
        {
            return;
        }
        string? json = Call(() => Client!.TerminateAdminRelationship(AdminRelationshipId), AdminRelationshipId, terminating: false);
        if (json is not null)
        {
            WriteRelationship(json);
        }
    }
}
