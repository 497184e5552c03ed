using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Lock-PCAdminRelationship: locks a draft admin relationship for the customer's approval.</summary>
[Cmdlet(VerbsCommon.Lock, "PCAdminRelationship", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AdminRelationship))]
public sealed class LockPCAdminRelationshipCommand : AdminRelationshipCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess("admin relationship " + AdminRelationshipId, "Lock for the customer's approval"))
        {
            return;
        }
        string? json = Call(() => Client!.LockAdminRelationship(AdminRelationshipId), AdminRelationshipId, terminating: false);
        if (json is not null)
        {
            WriteRelationship(json);
        }
    }
}
