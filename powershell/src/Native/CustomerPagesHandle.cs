using System;

namespace PartnerCenterNative;

/// <summary>A pc_customer_pages cursor: pages of customers.</summary>
public sealed class CustomerPagesHandle : PagesHandle
{
    /// <summary>Used by the marshaller for the out-parameter of pc_customer_pages_new.</summary>
    public CustomerPagesHandle()
    {
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pc_customer_pages_free(handle);
        handle = IntPtr.Zero;
        return true;
    }

    private protected override int NextPage(out IntPtr page) => NativeMethods.pc_customer_pages_next(this, out page);
}
