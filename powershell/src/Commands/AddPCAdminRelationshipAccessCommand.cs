using System;
using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Add-PCAdminRelationshipAccess: gives a security group some of an active relationship's roles.</summary>
[Cmdlet(VerbsCommon.Add, "PCAdminRelationshipAccess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AdminRelationshipAccess))]
public sealed class AddPCAdminRelationshipAccessCommand : AdminRelationshipCmdlet
{
    /// <summary>The partner's security group (its object id).</summary>
    [Parameter(Mandatory = true)]
    [Alias("GroupId")]
    public Guid SecurityGroupId { get; set; }

    /// <summary>Entra built-in role names or template ids, each among the relationship's roles.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string[] Role { get; set; } = Array.Empty<string>();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string group = SecurityGroupId.ToString();
        if (!ShouldProcess("admin relationship " + AdminRelationshipId, "Give security group " + group + " the roles " + string.Join(", ", Role)))
        {
            return;
        }
        string request;
        using (var json = new JsonWriter())
        {
            json.BeginObject();
            json.Member("groupId", group);
            json.Member("roles", Role);
            json.EndObject();
            request = json.ToString();
        }
        string id = AdminRelationshipId;
        string? assigned = Call(() => Client!.AssignAdminRelationshipAccess(id, request), id, terminating: false);
        if (assigned is not null)
        {
            WriteObject(new AdminRelationshipAccess(JsonReader.ParseObject(assigned), id).ToPSObject());
        }
    }
}
