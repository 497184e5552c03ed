using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Get-PCAdminRelationship: admin relationships streamed as their pages arrive, or relationships by id.</summary>
[Cmdlet(VerbsCommon.Get, "PCAdminRelationship", DefaultParameterSetName = ListSet)]
[OutputType(typeof(AdminRelationship))]
public sealed class GetPCAdminRelationshipCommand : PCCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    private ClientHandle? client;

    /// <summary>Admin relationship ids to get.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string AdminRelationshipId { get; set; } = "";

    /// <summary>Only relationships in this status.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("created", "approvalPending", "approved", "activating", "active", "expiring", "expired",
        "terminationRequested", "terminating", "terminated")]
    public string? Status { get; set; }

    /// <summary>Only relationships with this customer.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [Alias("TenantId")]
    public Guid CustomerTenantId { get; set; }

    /// <summary>Relationships per request, 1 to 300.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, 300)]
    public int PageSize { get; set; } = 100;

    /// <inheritdoc/>
    protected override void BeginProcessing() => client = RequireClient();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            string id = AdminRelationshipId;
            string? json = Call(() => client!.GetAdminRelationship(id), id, terminating: false);
            if (json is not null)
            {
                WriteObject(new AdminRelationship(JsonReader.ParseObject(json)).ToPSObject());
            }
            return;
        }
        List();
    }

    private void List()
    {
        bool byCustomer = MyInvocation.BoundParameters.ContainsKey(nameof(CustomerTenantId));
        string query;
        using (var json = new JsonWriter())
        {
            json.BeginObject();
            // ValidateSet ignores case; Graph's filter does not.
            json.Member("status", Status is null ? null : CanonicalStatus(Status));
            json.Member("customerTenantId", byCustomer ? CustomerTenantId.ToString() : null);
            json.Member("pageSize", PageSize);
            json.EndObject();
            query = json.ToString();
        }

        // Disposing the cursor however the loop ends (the last page, an error, or a downstream
        // Select-Object -First stopping this command inside WriteObject) frees it.
        using AdminRelationshipPagesHandle? pages = Call(() => client!.ListAdminRelationships(query), "admin relationships", terminating: true);
        int pageNumber = 0;
        while (true)
        {
            string? page = Call(pages!.Next, "admin relationships", terminating: true);
            if (page is null)
            {
                break;
            }
            pageNumber++;
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Admin relationships: page {0} received.", pageNumber));
            if (JsonReader.Parse(page) is List<object?> relationships)
            {
                foreach (object? relationship in relationships)
                {
                    if (relationship is Dictionary<string, object?> fields)
                    {
                        WriteObject(new AdminRelationship(fields).ToPSObject());
                    }
                }
            }
        }
    }

    private static string CanonicalStatus(string status)
    {
        foreach (string known in new[] { "created", "approvalPending", "approved", "activating", "active", "expiring", "expired",
            "terminationRequested", "terminating", "terminated" })
        {
            if (string.Equals(known, status, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }
        return status;
    }
}
