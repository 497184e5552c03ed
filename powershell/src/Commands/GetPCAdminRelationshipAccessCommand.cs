using System.Collections.Generic;
using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Get-PCAdminRelationshipAccess: the access assignments of admin relationships.</summary>
[Cmdlet(VerbsCommon.Get, "PCAdminRelationshipAccess")]
[OutputType(typeof(AdminRelationshipAccess))]
public sealed class GetPCAdminRelationshipAccessCommand : PCCmdlet
{
    private ClientHandle? client;

    /// <summary>The admin relationship's id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string AdminRelationshipId { get; set; } = "";

    /// <inheritdoc/>
    protected override void BeginProcessing() => client = RequireClient();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string id = AdminRelationshipId;
        string? json = Call(() => client!.AdminRelationshipAssignments(id), id, terminating: false);
        if (json is not null && JsonReader.Parse(json) is List<object?> assignments)
        {
            foreach (object? assignment in assignments)
            {
                if (assignment is Dictionary<string, object?> fields)
                {
                    WriteObject(new AdminRelationshipAccess(fields, id).ToPSObject());
                }
            }
        }
    }
}
