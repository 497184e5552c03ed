using System;
using System.Runtime.InteropServices;
using System.Security;

namespace PartnerCenterNative;

/// <summary>
/// A pc_client: one connection (options, credentials, token cache). Safe to use from several
/// threads at once; disposing it frees the client once every call on it has returned.
/// </summary>
public sealed partial class ClientHandle : SafeHandle
{
    /// <summary>Used by the marshaller for the out-parameters of pc_client_new and pc_device_code_wait.</summary>
    public ClientHandle()
        : base(IntPtr.Zero, true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pc_client_free(handle);
        handle = IntPtr.Zero;
        return true;
    }

    /// <summary>pc_client_new: a client from the options JSON (no network traffic).</summary>
    public static ClientHandle Create(string? optionsJson)
    {
        IntPtr options = Utf8.ToNative(optionsJson);
        try
        {
            return Create(options);
        }
        finally
        {
            Utf8.FreeNative(options);
        }
    }

    /// <summary>pc_client_new from options already in unmanaged UTF-8 (the caller frees them).</summary>
    internal static ClientHandle Create(IntPtr options)
    {
        int status = NativeMethods.pc_client_new(options, out ClientHandle client);
        PartnerCenterException.Check(status);
        return client;
    }

    /// <summary>pc_client_sign_in: signs in now; returns the connection JSON.</summary>
    public string SignIn()
    {
        int status = NativeMethods.pc_client_sign_in(this, out IntPtr json);
        return Required(PartnerCenterException.CheckAndTake(status, json), "pc_client_sign_in");
    }

    /// <summary>pc_client_cancel: every call of this client blocked now (on any thread) fails with Cancelled; later calls run.</summary>
    public void Cancel() => PartnerCenterException.Check(NativeMethods.pc_client_cancel(this));

    /// <summary>pc_client_info: the connection JSON, no network traffic.</summary>
    public string Info()
    {
        int status = NativeMethods.pc_client_info(this, out IntPtr json);
        return Required(PartnerCenterException.CheckAndTake(status, json), "pc_client_info");
    }

    /// <summary>pc_client_refresh_token as a SecureString (the native copy is wiped).</summary>
    public SecureString? RefreshToken()
    {
        int status = NativeMethods.pc_client_refresh_token(this, out IntPtr token);
        PartnerCenterException.Check(status);
        return Utf8.TakeSecret(token);
    }

    /// <summary>pc_new_relationship_request: the whole answer as JSON.</summary>
    public string NewRelationshipRequest() => RelationshipRequestCall(json: true);

    /// <summary>pc_new_relationship_request: the invitation link only.</summary>
    public string NewRelationshipRequestUrl() => RelationshipRequestCall(json: false);

    private string RelationshipRequestCall(bool json)
    {
        int status = NativeMethods.pc_new_relationship_request(this, out IntPtr url, out IntPtr answer);
        try
        {
            PartnerCenterException.Check(status);
            return Required(Utf8.FromNative(json ? answer : url), "pc_new_relationship_request");
        }
        finally
        {
            NativeMethods.pc_string_free(url);
            NativeMethods.pc_string_free(answer);
        }
    }

    /// <summary>pc_get_customer: one customer as JSON.</summary>
    public string GetCustomer(string customerId) => CallWithString(customerId, NativeMethods.pc_get_customer, "pc_get_customer");

    /// <summary>pc_remove_customer_relationship: the updated customer as JSON.</summary>
    public string RemoveCustomerRelationship(string customerId) =>
        CallWithString(customerId, NativeMethods.pc_remove_customer_relationship, "pc_remove_customer_relationship");

    /// <summary>pc_wait_for_customer: blocks until the customer appears with a reseller relationship.</summary>
    public string WaitForCustomer(string queryJson) => CallWithString(queryJson, NativeMethods.pc_wait_for_customer, "pc_wait_for_customer");

    /// <summary>pc_get_billing_profile: the customer's billing profile as JSON.</summary>
    public string GetBillingProfile(string customerId) => CallWithString(customerId, NativeMethods.pc_get_billing_profile, "pc_get_billing_profile");

    /// <summary>pc_update_billing_profile: stores a changed profile (If-Match its etag); returns the stored one.</summary>
    public string UpdateBillingProfile(string customerId, string profileJson) =>
        CallWithTwoStrings(customerId, profileJson, NativeMethods.pc_update_billing_profile, "pc_update_billing_profile");

    /// <summary>pc_customer_pages_new: a cursor over the customers (queryJson may be null).</summary>
    public CustomerPagesHandle ListCustomers(string? queryJson) => StartListing<CustomerPagesHandle>(queryJson, NativeMethods.pc_customer_pages_new);

    private delegate int PagesNew<T>(ClientHandle client, IntPtr query, out T pages);

    private T StartListing<T>(string? queryJson, PagesNew<T> call)
        where T : PagesHandle
    {
        IntPtr query = Utf8.ToNative(queryJson);
        try
        {
            int status = call(this, query, out T pages);
            PartnerCenterException.Check(status);
            return pages;
        }
        finally
        {
            Utf8.FreeNative(query);
        }
    }

    private delegate int StringCall(ClientHandle client, IntPtr argument, out IntPtr json);

    private string CallWithString(string argument, StringCall call, string name)
    {
        IntPtr native = Utf8.ToNative(argument);
        try
        {
            int status = call(this, native, out IntPtr json);
            return Required(PartnerCenterException.CheckAndTake(status, json), name);
        }
        finally
        {
            Utf8.FreeNative(native);
        }
    }

    private delegate int TwoStringCall(ClientHandle client, IntPtr first, IntPtr second, out IntPtr json);

    private string CallWithTwoStrings(string first, string second, TwoStringCall call, string name)
    {
        IntPtr one = Utf8.ToNative(first);
        IntPtr two = IntPtr.Zero;
        try
        {
            two = Utf8.ToNative(second);
            int status = call(this, one, two, out IntPtr json);
            return Required(PartnerCenterException.CheckAndTake(status, json), name);
        }
        finally
        {
            Utf8.FreeNative(one);
            Utf8.FreeNative(two);
        }
    }

    internal static string Required(string? value, string function) =>
        value ?? throw new InvalidOperationException(function + " returned PC_OK without its result.");
}
