using System;
using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>
/// New-PCAdminRelationship: creates a GDAP admin relationship and locks it for the customer's
/// approval; the output's ApprovalUrl is the link to send.
/// </summary>
[Cmdlet(VerbsCommon.New, "PCAdminRelationship", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AdminRelationship))]
public sealed class NewPCAdminRelationshipCommand : PCCmdlet
{
    private ClientHandle? client;

    /// <summary>The relationship's name: unique among the partner's, at most 50 characters.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string DisplayName { get; set; } = "";

    /// <summary>Entra built-in role names or template ids.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string[] Role { get; set; } = Array.Empty<string>();

    /// <summary>How long the relationship lasts once active (ISO 8601, P1D to P730D).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Duration { get; set; } = "P730D";

    /// <summary>The customer's tenant id.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("TenantId")]
    public Guid CustomerTenantId { get; set; }

    /// <summary>Renew automatically by 180 days at the end.</summary>
    [Parameter]
    public SwitchParameter AutoExtend { get; set; }

    /// <summary>Create only; do not lock for approval.</summary>
    [Parameter]
    public SwitchParameter Draft { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing() => client = RequireClient();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        bool forCustomer = MyInvocation.BoundParameters.ContainsKey(nameof(CustomerTenantId)) && CustomerTenantId != Guid.Empty;
        string what = forCustomer ? "customer tenant " + CustomerTenantId : "any customer";
        if (!ShouldProcess(what, "Create the admin relationship '" + DisplayName + "' (" + string.Join(", ", Role) + ", " + Duration + ")" +
            (Draft ? "" : " and lock it for the customer's approval")))
        {
            return;
        }
        string request;
        using (var json = new JsonWriter())
        {
            json.BeginObject();
            json.Member("displayName", DisplayName);
            json.Member("duration", Duration);
            json.Member("roles", Role);
            json.Member("customerTenantId", forCustomer ? CustomerTenantId.ToString() : null);
            json.Member("autoExtend", AutoExtend.IsPresent);
            json.Member("lockForApproval", !Draft.IsPresent);
            json.EndObject();
            request = json.ToString();
        }
        string? created = Call(() => client!.CreateAdminRelationship(request), DisplayName, terminating: false);
        if (created is not null)
        {
            WriteObject(new AdminRelationship(JsonReader.ParseObject(created)).ToPSObject());
        }
    }
}
