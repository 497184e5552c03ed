using System;
using System.Runtime.InteropServices;

namespace PartnerCenterNative;

/// <summary>A pc_admin_relationship_pages cursor. One thread at a time; it keeps its client alive natively.</summary>
public sealed class AdminRelationshipPagesHandle : SafeHandle
{
    /// <summary>Used by the marshaller for the out-parameter of pc_admin_relationship_pages_new.</summary>
    public AdminRelationshipPagesHandle()
        : base(IntPtr.Zero, true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pc_admin_relationship_pages_free(handle);
        handle = IntPtr.Zero;
        return true;
    }

    /// <summary>pc_admin_relationship_pages_next: the next page (a JSON array of relationships), or null at the end.</summary>
    public string? Next()
    {
        int status = NativeMethods.pc_admin_relationship_pages_next(this, out IntPtr page);
        return PartnerCenterException.CheckAndTake(status, page);
    }
}
