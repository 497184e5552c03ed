using System;
using System.Collections.Generic;

namespace PartnerCenterNative;

/// <summary>
/// A GDAP admin relationship (PartnerCenterNative.AdminRelationship) as Microsoft Graph returned
/// it, every unknown field kept, plus ApprovalUrl (the link the customer approves at) and the
/// convenient AdminRelationshipId, CustomerTenantId and RoleDefinitionId taken from the fields.
/// </summary>
public sealed class AdminRelationship : ServiceObject
{
    internal AdminRelationship(Dictionary<string, object?> json)
        : base(json, "id", "displayName", "status", "duration", "autoExtendDuration", "customer", "accessDetails",
            "approvalUrl", "@odata.etag", "createdDateTime", "lastModifiedDateTime", "activatedDateTime", "endDateTime")
    {
        Id = JsonReader.GetString(json, "id");
        DisplayName = JsonReader.GetString(json, "displayName");
        Status = JsonReader.GetString(json, "status");
        Duration = JsonReader.GetString(json, "duration");
        AutoExtendDuration = JsonReader.GetString(json, "autoExtendDuration");
        Customer = Nested(json, "customer");
        AccessDetails = Nested(json, "accessDetails");
        ApprovalUrl = JsonReader.GetString(json, "approvalUrl");
        ETag = JsonReader.GetString(json, "@odata.etag");
        CreatedDateTime = GraphFields.GetDate(json, "createdDateTime");
        LastModifiedDateTime = GraphFields.GetDate(json, "lastModifiedDateTime");
        ActivatedDateTime = GraphFields.GetDate(json, "activatedDateTime");
        EndDateTime = GraphFields.GetDate(json, "endDateTime");
        AdminRelationshipId = Id;
        CustomerTenantId = JsonReader.GetString(JsonReader.GetObject(json, "customer"), "tenantId");
        RoleDefinitionId = GraphFields.RoleDefinitionIds(json);
    }

    /// <summary>The relationship's id (id), for piping into the other cmdlets.</summary>
    public string? AdminRelationshipId { get; }

    /// <summary>The customer's tenant id (customer.tenantId); null until the relationship names a customer.</summary>
    public string? CustomerTenantId { get; }

    /// <summary>The template ids of the relationship's roles (accessDetails.unifiedRoles).</summary>
    public string[] RoleDefinitionId { get; }

    /// <summary>The link the customer's global administrator opens to approve the relationship.</summary>
    public string? ApprovalUrl { get; }

    /// <summary>id.</summary>
    public string? Id { get; }

    /// <summary>displayName.</summary>
    public string? DisplayName { get; }

    /// <summary>status: created, approvalPending, approved, activating, active, expiring, expired, terminationRequested, terminating, terminated.</summary>
    public string? Status { get; }

    /// <summary>duration (ISO 8601, e.g. P730D).</summary>
    public string? Duration { get; }

    /// <summary>autoExtendDuration: PT0S (none) or P180D.</summary>
    public string? AutoExtendDuration { get; }

    /// <summary>customer: tenantId and displayName.</summary>
    public object? Customer { get; }

    /// <summary>accessDetails: unifiedRoles[].roleDefinitionId.</summary>
    public object? AccessDetails { get; }

    /// <summary>@odata.etag, the version Graph requires in If-Match.</summary>
    public string? ETag { get; }

    /// <summary>createdDateTime.</summary>
    public DateTimeOffset? CreatedDateTime { get; }

    /// <summary>lastModifiedDateTime.</summary>
    public DateTimeOffset? LastModifiedDateTime { get; }

    /// <summary>activatedDateTime: when the relationship became active.</summary>
    public DateTimeOffset? ActivatedDateTime { get; }

    /// <summary>endDateTime: when the relationship expires (activation plus duration).</summary>
    public DateTimeOffset? EndDateTime { get; }

    private protected override string[] Derived =>
        new[] { nameof(AdminRelationshipId), nameof(CustomerTenantId), nameof(RoleDefinitionId), nameof(ApprovalUrl) };

    /// <summary>The relationship's id.</summary>
    public override string ToString() => Id ?? "";
}
