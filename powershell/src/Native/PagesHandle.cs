using System;
using System.Runtime.InteropServices;

namespace PartnerCenterNative;

/// <summary>
/// A page cursor of the library (pc_customer_pages, pc_admin_relationship_pages). One thread at a
/// time; it keeps its client alive natively; disposing it ends the listing early.
/// </summary>
public abstract class PagesHandle : SafeHandle
{
    /// <summary>An empty handle for the marshaller to fill.</summary>
    private protected PagesHandle()
        : base(IntPtr.Zero, true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The next page (a JSON array), or null at the end of the listing.</summary>
    public string? Next()
    {
        int status = NextPage(out IntPtr page);
        return PartnerCenterException.CheckAndTake(status, page);
    }

    /// <summary>The cursor's pc_*_pages_next.</summary>
    private protected abstract int NextPage(out IntPtr page);
}
