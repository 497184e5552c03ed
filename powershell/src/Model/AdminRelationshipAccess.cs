using System;
using System.Collections.Generic;

namespace PartnerCenterNative;

/// <summary>
/// An access assignment of a GDAP admin relationship (PartnerCenterNative.AdminRelationshipAccess):
/// a security group given some of the relationship's roles, as Microsoft Graph returned it (every
/// unknown field kept), plus the relationship it belongs to and the convenient SecurityGroupId and
/// RoleDefinitionId.
/// </summary>
public sealed class AdminRelationshipAccess : ServiceObject
{
    internal AdminRelationshipAccess(Dictionary<string, object?> json, string adminRelationshipId)
        : base(json, "id", "status", "accessContainer", "accessDetails", "@odata.etag", "createdDateTime", "lastModifiedDateTime")
    {
        Id = JsonReader.GetString(json, "id");
        Status = JsonReader.GetString(json, "status");
        AccessContainer = Nested(json, "accessContainer");
        AccessDetails = Nested(json, "accessDetails");
        ETag = JsonReader.GetString(json, "@odata.etag");
        CreatedDateTime = GraphFields.GetDate(json, "createdDateTime");
        LastModifiedDateTime = GraphFields.GetDate(json, "lastModifiedDateTime");
        AccessAssignmentId = Id;
        AdminRelationshipId = adminRelationshipId;
        SecurityGroupId = JsonReader.GetString(JsonReader.GetObject(json, "accessContainer"), "accessContainerId");
        RoleDefinitionId = GraphFields.RoleDefinitionIds(json);
    }

    /// <summary>The assignment's id (id).</summary>
    public string? AccessAssignmentId { get; }

    /// <summary>The id of the admin relationship the assignment belongs to.</summary>
    public string AdminRelationshipId { get; }

    /// <summary>The security group given the roles (accessContainer.accessContainerId).</summary>
    public string? SecurityGroupId { get; }

    /// <summary>The template ids of the roles given (accessDetails.unifiedRoles).</summary>
    public string[] RoleDefinitionId { get; }

    /// <summary>id.</summary>
    public string? Id { get; }

    /// <summary>status: pending, active, deleting, deleted or error.</summary>
    public string? Status { get; }

    /// <summary>accessContainer: accessContainerId and accessContainerType (securityGroup).</summary>
    public object? AccessContainer { get; }

    /// <summary>accessDetails: unifiedRoles[].roleDefinitionId.</summary>
    public object? AccessDetails { get; }

    /// <summary>@odata.etag.</summary>
    public string? ETag { get; }

    /// <summary>createdDateTime.</summary>
    public DateTimeOffset? CreatedDateTime { get; }

    /// <summary>lastModifiedDateTime.</summary>
    public DateTimeOffset? LastModifiedDateTime { get; }

    private protected override string[] Derived =>
        new[] { nameof(AccessAssignmentId), nameof(AdminRelationshipId), nameof(SecurityGroupId), nameof(RoleDefinitionId) };

    /// <summary>The assignment's id.</summary>
    public override string ToString() => Id ?? "";
}
