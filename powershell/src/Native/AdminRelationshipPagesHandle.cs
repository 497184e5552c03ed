using System;

namespace PartnerCenterNative;

/// <summary>A pc_admin_relationship_pages cursor: pages of admin relationships.</summary>
public sealed class AdminRelationshipPagesHandle : PagesHandle
{
    /// <summary>Used by the marshaller for the out-parameter of pc_admin_relationship_pages_new.</summary>
    public AdminRelationshipPagesHandle()
    {
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pc_admin_relationship_pages_free(handle);
        handle = IntPtr.Zero;
        return true;
    }

    private protected override int NextPage(out IntPtr page) => NativeMethods.pc_admin_relationship_pages_next(this, out page);
}
