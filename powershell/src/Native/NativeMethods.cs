using System;
using System.Runtime.InteropServices;

namespace PartnerCenterNative;

/// <summary>
/// The P/Invoke declarations: every function of include/partnercenter.h. Strings cross as
/// pointers to NUL-terminated UTF-8 (<see cref="Utf8"/>); every string the library returns is
/// freed with <c>pc_string_free</c>.
/// </summary>
internal static class NativeMethods
{
    /// <summary>The DllImport name; NativeLoader binds it to the copy it loaded by absolute path.</summary>
    internal const string LibraryName = "partnercenter";

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_client_new(IntPtr optionsJson, out ClientHandle client);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void pc_client_free(IntPtr client);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_client_refresh_token(ClientHandle client, out IntPtr refreshToken);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_client_cancel(ClientHandle client);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_client_sign_in(ClientHandle client, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_client_info(ClientHandle client, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_customer_pages_new(ClientHandle client, IntPtr queryJson, out CustomerPagesHandle pages);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_customer_pages_next(CustomerPagesHandle pages, out IntPtr pageJson);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void pc_customer_pages_free(IntPtr pages);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_get_customer(ClientHandle client, IntPtr customerId, out IntPtr customerJson);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_remove_customer_relationship(ClientHandle client, IntPtr customerId, out IntPtr customerJson);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_wait_for_customer(ClientHandle client, IntPtr queryJson, out IntPtr customerJson);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_get_billing_profile(ClientHandle client, IntPtr customerId, out IntPtr profileJson);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_update_billing_profile(ClientHandle client, IntPtr customerId, IntPtr profileJson, out IntPtr storedProfileJson);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_device_code_start(IntPtr optionsJson, out DeviceCodeHandle flow, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_device_code_wait(DeviceCodeHandle flow, out ClientHandle client);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_device_code_cancel(DeviceCodeHandle flow);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void pc_device_code_free(IntPtr flow);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern IntPtr pc_last_error_message();

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern IntPtr pc_last_error_json();

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void pc_string_free(IntPtr s);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern IntPtr pc_status_name(int status);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern IntPtr pc_version();

    // Exported only by builds with the cargo feature `test-exports`; elsewhere a call raises
    // EntryPointNotFoundException.
    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_test_panic();

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_new_relationship_request(ClientHandle client, out IntPtr url, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_admin_relationship_create(ClientHandle client, IntPtr requestJson, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_admin_relationship_lock(ClientHandle client, IntPtr id, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_admin_relationship_get(ClientHandle client, IntPtr id, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_admin_relationship_pages_new(ClientHandle client, IntPtr queryJson, out AdminRelationshipPagesHandle pages);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_admin_relationship_pages_next(AdminRelationshipPagesHandle pages, out IntPtr pageJson);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void pc_admin_relationship_pages_free(IntPtr pages);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_admin_relationship_wait(ClientHandle client, IntPtr id, IntPtr queryJson, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_admin_relationship_assign(ClientHandle client, IntPtr id, IntPtr requestJson, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_admin_relationship_assignments(ClientHandle client, IntPtr id, out IntPtr json);

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int pc_admin_relationship_terminate(ClientHandle client, IntPtr id, out IntPtr json);
}
