namespace PartnerCenterNative;

/// <summary>The GDAP admin relationship calls (Microsoft Graph) of a client.</summary>
public sealed partial class ClientHandle
{
    /// <summary>pc_admin_relationship_create: creates (and, unless the request says otherwise, locks) a relationship.</summary>
    public string CreateAdminRelationship(string requestJson) =>
        CallWithString(requestJson, NativeMethods.pc_admin_relationship_create, "pc_admin_relationship_create");

    /// <summary>pc_admin_relationship_lock: locks a created relationship for the customer's approval.</summary>
    public string LockAdminRelationship(string id) =>
        CallWithString(id, NativeMethods.pc_admin_relationship_lock, "pc_admin_relationship_lock");

    /// <summary>pc_admin_relationship_get: one relationship as JSON.</summary>
    public string GetAdminRelationship(string id) =>
        CallWithString(id, NativeMethods.pc_admin_relationship_get, "pc_admin_relationship_get");

    /// <summary>pc_admin_relationship_terminate: ends an active relationship.</summary>
    public string TerminateAdminRelationship(string id) =>
        CallWithString(id, NativeMethods.pc_admin_relationship_terminate, "pc_admin_relationship_terminate");

    /// <summary>pc_admin_relationship_assignments: every access assignment of a relationship, as a JSON array.</summary>
    public string AdminRelationshipAssignments(string id) =>
        CallWithString(id, NativeMethods.pc_admin_relationship_assignments, "pc_admin_relationship_assignments");

    /// <summary>pc_admin_relationship_wait: blocks until the relationship is active (cancel with <see cref="Cancel"/>).</summary>
    public string WaitForAdminRelationship(string id, string queryJson) =>
        CallWithTwoStrings(id, queryJson, NativeMethods.pc_admin_relationship_wait, "pc_admin_relationship_wait");

    /// <summary>pc_admin_relationship_assign: gives a security group some of the relationship's roles.</summary>
    public string AssignAdminRelationshipAccess(string id, string requestJson) =>
        CallWithTwoStrings(id, requestJson, NativeMethods.pc_admin_relationship_assign, "pc_admin_relationship_assign");

    /// <summary>pc_admin_relationship_pages_new: a cursor over the relationships (queryJson may be null).</summary>
    public AdminRelationshipPagesHandle ListAdminRelationships(string? queryJson) =>
        StartListing<AdminRelationshipPagesHandle>(queryJson, NativeMethods.pc_admin_relationship_pages_new);
}
