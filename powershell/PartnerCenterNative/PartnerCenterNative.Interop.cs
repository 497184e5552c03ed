// PartnerCenterNative interop: the C ABI of libpartnercenter (include/partnercenter.h) seen from .NET.
//
// C# 5 only: Windows PowerShell 5.1's Add-Type compiles nothing newer, so no interpolated strings,
// no `out var`, no expression-bodied members, no nameof, no null-conditional operators.
// It references mscorlib only, so it compiles the same under Add-Type (Desktop and Core), mcs
// and csc. Strings cross as UTF-8 bytes converted here by hand; every string the library returns is
// freed with pc_string_free in a finally block. No logic beyond conversion lives here: the module's
// library lookup is the one exception, kept here so that the tests run the module's real code.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterNative
{
    /// <summary>The status codes of the C ABI (pc_status_code).</summary>
    public enum Status
    {
        Ok = 0,
        NullArgument = 100,
        InvalidUtf8 = 101,
        InvalidOptions = 102,
        InsecureUrl = 103,
        InvalidArgument = 104,
        Authentication = 200,
        Forbidden = 201,
        DeviceCodeDeclined = 202,
        DeviceCodeExpired = 203,
        Cancelled = 204,
        BadRequest = 300,
        NotFound = 301,
        Conflict = 302,
        Throttled = 303,
        Service = 304,
        Timeout = 400,
        Network = 401,
        Tls = 402,
        BadResponse = 403,
        ResponseTooLarge = 404,
        Panic = 900,
        Internal = 901
    }

    /// <summary>The P/Invoke declarations: every function of include/partnercenter.h.</summary>
    internal static class NativeMethods
    {
        internal const string LibraryName = "partnercenter";

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_client_new")]
        internal static extern int pc_client_new(IntPtr optionsJson, out ClientHandle client);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_client_free")]
        internal static extern void pc_client_free(IntPtr client);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_client_refresh_token")]
        internal static extern int pc_client_refresh_token(ClientHandle client, out IntPtr refreshToken);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_client_cancel")]
        internal static extern int pc_client_cancel(ClientHandle client);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_client_sign_in")]
        internal static extern int pc_client_sign_in(ClientHandle client, out IntPtr json);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_client_info")]
        internal static extern int pc_client_info(ClientHandle client, out IntPtr json);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_customer_pages_new")]
        internal static extern int pc_customer_pages_new(ClientHandle client, IntPtr queryJson, out CustomerPagesHandle pages);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_customer_pages_next")]
        internal static extern int pc_customer_pages_next(CustomerPagesHandle pages, out IntPtr pageJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_customer_pages_free")]
        internal static extern void pc_customer_pages_free(IntPtr pages);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_get_customer")]
        internal static extern int pc_get_customer(ClientHandle client, IntPtr customerId, out IntPtr customerJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_remove_customer_relationship")]
        internal static extern int pc_remove_customer_relationship(ClientHandle client, IntPtr customerId, out IntPtr customerJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_wait_for_customer")]
        internal static extern int pc_wait_for_customer(ClientHandle client, IntPtr queryJson, out IntPtr customerJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_get_billing_profile")]
        internal static extern int pc_get_billing_profile(ClientHandle client, IntPtr customerId, out IntPtr profileJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_update_billing_profile")]
        internal static extern int pc_update_billing_profile(ClientHandle client, IntPtr customerId, IntPtr profileJson, out IntPtr storedProfileJson);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_device_code_start")]
        internal static extern int pc_device_code_start(IntPtr optionsJson, out DeviceCodeHandle flow, out IntPtr json);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_device_code_wait")]
        internal static extern int pc_device_code_wait(DeviceCodeHandle flow, out ClientHandle client);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_device_code_cancel")]
        internal static extern int pc_device_code_cancel(DeviceCodeHandle flow);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_device_code_free")]
        internal static extern void pc_device_code_free(IntPtr flow);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_last_error_message")]
        internal static extern IntPtr pc_last_error_message();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_last_error_json")]
        internal static extern IntPtr pc_last_error_json();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_string_free")]
        internal static extern void pc_string_free(IntPtr s);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_status_name")]
        internal static extern IntPtr pc_status_name(int status);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_version")]
        internal static extern IntPtr pc_version();

        // Exported only by builds with the cargo feature `test-exports`; calling it elsewhere
        // raises EntryPointNotFoundException.
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_test_panic")]
        internal static extern int pc_test_panic();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, EntryPoint = "pc_new_relationship_request")]
        internal static extern int pc_new_relationship_request(ClientHandle client, out IntPtr url, out IntPtr json);
    }

    /// <summary>UTF-8 both ways, by hand, and the one place returned strings are freed.</summary>
    internal static class Utf8
    {
        /// <summary>Copies a string into unmanaged memory as NUL-terminated UTF-8.</summary>
        internal static IntPtr ToNative(string value)
        {
            if (value == null)
            {
                return IntPtr.Zero;
            }
            if (value.IndexOf('\0') >= 0)
            {
                // C would see only the text before it.
                throw new ArgumentException("A string passed to the native library contains a NUL character.");
            }
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            IntPtr native = Marshal.AllocHGlobal(bytes.Length + 1);
            Marshal.Copy(bytes, 0, native, bytes.Length);
            Marshal.WriteByte(native, bytes.Length, 0);
            Array.Clear(bytes, 0, bytes.Length);
            return native;
        }

        /// <summary>Wipes and frees memory from ToNative (option strings may carry secrets).</summary>
        internal static void FreeNative(IntPtr native)
        {
            if (native == IntPtr.Zero)
            {
                return;
            }
            int length = Length(native);
            for (int i = 0; i < length; i++)
            {
                Marshal.WriteByte(native, i, 0);
            }
            Marshal.FreeHGlobal(native);
        }

        internal static int Length(IntPtr native)
        {
            int length = 0;
            while (Marshal.ReadByte(native, length) != 0)
            {
                length++;
            }
            return length;
        }

        /// <summary>Decodes a NUL-terminated UTF-8 string without taking ownership.</summary>
        internal static string FromNative(IntPtr native)
        {
            if (native == IntPtr.Zero)
            {
                return null;
            }
            int length = Length(native);
            byte[] bytes = new byte[length];
            Marshal.Copy(native, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Decodes a string the library returned, then frees it with pc_string_free.</summary>
        internal static string TakeString(IntPtr native)
        {
            try
            {
                return FromNative(native);
            }
            finally
            {
                NativeMethods.pc_string_free(native);
            }
        }

        /// <summary>Decodes a secret the library returned into a SecureString, wiping every copy.</summary>
        internal static SecureString TakeSecret(IntPtr native)
        {
            if (native == IntPtr.Zero)
            {
                return null;
            }
            byte[] bytes = null;
            char[] chars = null;
            int length = 0;
            try
            {
                length = Length(native);
                bytes = new byte[length];
                Marshal.Copy(native, bytes, 0, length);
                chars = Encoding.UTF8.GetChars(bytes);
                SecureString secret = new SecureString();
                for (int i = 0; i < chars.Length; i++)
                {
                    secret.AppendChar(chars[i]);
                }
                secret.MakeReadOnly();
                return secret;
            }
            finally
            {
                if (bytes != null)
                {
                    Array.Clear(bytes, 0, bytes.Length);
                }
                if (chars != null)
                {
                    Array.Clear(chars, 0, chars.Length);
                }
                for (int i = 0; i < length; i++)
                {
                    Marshal.WriteByte(native, i, 0);
                }
                NativeMethods.pc_string_free(native);
            }
        }
    }

    /// <summary>The one exception type: a failed call, with everything pc_last_error_json says.</summary>
    public class PartnerCenterException : Exception
    {
        private readonly int status;
        private readonly string statusName;
        private readonly string kind;
        private readonly int? httpStatus;
        private readonly string serviceCode;
        private readonly string requestId;
        private readonly string correlationId;
        private readonly double? retryAfterSeconds;

        public PartnerCenterException(int status, string statusName, string kind, string message,
            int? httpStatus, string serviceCode, string requestId, string correlationId,
            double? retryAfterSeconds)
            : base(message)
        {
            this.status = status;
            this.statusName = statusName;
            this.kind = kind;
            this.httpStatus = httpStatus;
            this.serviceCode = serviceCode;
            this.requestId = requestId;
            this.correlationId = correlationId;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /// <summary>The pc_status value, e.g. 201.</summary>
        public int Status { get { return status; } }

        /// <summary>The status constant's name, e.g. PC_ERR_FORBIDDEN.</summary>
        public string StatusName { get { return statusName; } }

        /// <summary>The error kind, e.g. Forbidden: the stable part of PowerShell ErrorIds.</summary>
        public string Kind { get { return kind; } }

        public int? HttpStatus { get { return httpStatus; } }

        public string ServiceCode { get { return serviceCode; } }

        /// <summary>The MS-RequestId of the failed request, for support tickets.</summary>
        public string RequestId { get { return requestId; } }

        /// <summary>The MS-CorrelationId of the session.</summary>
        public string CorrelationId { get { return correlationId; } }

        public double? RetryAfterSeconds { get { return retryAfterSeconds; } }

        /// <summary>Reads this thread's last error right after a call returned `status`.</summary>
        internal static PartnerCenterException FromLastError(int status)
        {
            string json = Utf8.TakeString(NativeMethods.pc_last_error_json());
            string fallbackName = Utf8.FromNative(NativeMethods.pc_status_name(status));
            string fallbackKind = Enum.IsDefined(typeof(Status), status)
                ? ((Status)status).ToString()
                : "Unknown";
            if (json == null)
            {
                return new PartnerCenterException(status, fallbackName, fallbackKind,
                    fallbackName, null, null, null, null, null);
            }
            Dictionary<string, object> error = JsonReader.ParseObject(json);
            return new PartnerCenterException(
                status,
                JsonReader.GetString(error, "statusName") ?? fallbackName,
                JsonReader.GetString(error, "kind") ?? fallbackKind,
                JsonReader.GetString(error, "message") ?? fallbackName,
                JsonReader.GetInt(error, "httpStatus"),
                JsonReader.GetString(error, "serviceCode"),
                JsonReader.GetString(error, "requestId"),
                JsonReader.GetString(error, "correlationId"),
                JsonReader.GetDouble(error, "retryAfterSeconds"));
        }

        internal static void Check(int status)
        {
            if (status != (int)PartnerCenterNative.Status.Ok)
            {
                throw FromLastError(status);
            }
        }

        /// <summary>
        /// Checks a call's status (reading the last error on this thread, right after the call),
        /// then decodes the string the call returned and frees it, whatever happened.
        /// </summary>
        internal static string CheckAndTake(int status, IntPtr native)
        {
            try
            {
                Check(status);
                return Utf8.FromNative(native);
            }
            finally
            {
                NativeMethods.pc_string_free(native);
            }
        }
    }

    /// <summary>A pc_client. Disposing it frees the client once every call on it has returned.</summary>
    public sealed class ClientHandle : SafeHandle
    {
        public ClientHandle()
            : base(IntPtr.Zero, true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override bool ReleaseHandle()
        {
            NativeMethods.pc_client_free(handle);
            handle = IntPtr.Zero;
            return true;
        }

        /// <summary>pc_client_new: a client from the options JSON (no network traffic).</summary>
        public static ClientHandle Create(string optionsJson)
        {
            IntPtr options = Utf8.ToNative(optionsJson);
            try
            {
                ClientHandle client;
                int status = NativeMethods.pc_client_new(options, out client);
                PartnerCenterException.Check(status);
                return client;
            }
            finally
            {
                Utf8.FreeNative(options);
            }
        }

        /// <summary>pc_client_sign_in: signs in now; returns the connection JSON.</summary>
        public string SignIn()
        {
            IntPtr json;
            int status = NativeMethods.pc_client_sign_in(this, out json);
            return PartnerCenterException.CheckAndTake(status, json);
        }

        /// <summary>pc_client_cancel: every call of this client blocked now (on any thread) fails with Cancelled; later calls run.</summary>
        public void Cancel()
        {
            PartnerCenterException.Check(NativeMethods.pc_client_cancel(this));
        }

        /// <summary>pc_client_info: the connection JSON, no network traffic.</summary>
        public string Info()
        {
            IntPtr json;
            int status = NativeMethods.pc_client_info(this, out json);
            return PartnerCenterException.CheckAndTake(status, json);
        }

        /// <summary>pc_client_refresh_token as a SecureString (the native copy is wiped).</summary>
        public SecureString RefreshToken()
        {
            IntPtr token;
            int status = NativeMethods.pc_client_refresh_token(this, out token);
            PartnerCenterException.Check(status);
            return Utf8.TakeSecret(token);
        }

        /// <summary>pc_new_relationship_request: the whole answer as JSON.</summary>
        public string NewRelationshipRequest()
        {
            IntPtr url;
            IntPtr json;
            int status = NativeMethods.pc_new_relationship_request(this, out url, out json);
            try
            {
                PartnerCenterException.Check(status);
                return Utf8.FromNative(json);
            }
            finally
            {
                NativeMethods.pc_string_free(url);
                NativeMethods.pc_string_free(json);
            }
        }

        /// <summary>pc_get_customer: one customer as JSON.</summary>
        public string GetCustomer(string customerId)
        {
            return CallWithString(customerId, NativeMethods.pc_get_customer);
        }

        /// <summary>pc_remove_customer_relationship: the updated customer as JSON.</summary>
        public string RemoveCustomerRelationship(string customerId)
        {
            return CallWithString(customerId, NativeMethods.pc_remove_customer_relationship);
        }

        /// <summary>pc_wait_for_customer: blocks until the customer appears with a reseller relationship.</summary>
        public string WaitForCustomer(string queryJson)
        {
            return CallWithString(queryJson, NativeMethods.pc_wait_for_customer);
        }

        /// <summary>pc_get_billing_profile: the customer's billing profile as JSON.</summary>
        public string GetBillingProfile(string customerId)
        {
            return CallWithString(customerId, NativeMethods.pc_get_billing_profile);
        }

        /// <summary>pc_update_billing_profile: stores a changed profile (If-Match its etag); returns the stored one.</summary>
        public string UpdateBillingProfile(string customerId, string profileJson)
        {
            IntPtr id = Utf8.ToNative(customerId);
            IntPtr profile = Utf8.ToNative(profileJson);
            try
            {
                IntPtr stored;
                int status = NativeMethods.pc_update_billing_profile(this, id, profile, out stored);
                return PartnerCenterException.CheckAndTake(status, stored);
            }
            finally
            {
                Utf8.FreeNative(id);
                Utf8.FreeNative(profile);
            }
        }

        /// <summary>pc_customer_pages_new: a cursor over the customers (query_json may be null).</summary>
        public CustomerPagesHandle ListCustomers(string queryJson)
        {
            IntPtr query = Utf8.ToNative(queryJson);
            try
            {
                CustomerPagesHandle pages;
                int status = NativeMethods.pc_customer_pages_new(this, query, out pages);
                PartnerCenterException.Check(status);
                return pages;
            }
            finally
            {
                Utf8.FreeNative(query);
            }
        }

        private delegate int StringCall(ClientHandle client, IntPtr argument, out IntPtr json);

        private string CallWithString(string argument, StringCall call)
        {
            IntPtr native = Utf8.ToNative(argument);
            try
            {
                IntPtr json;
                int status = call(this, native, out json);
                return PartnerCenterException.CheckAndTake(status, json);
            }
            finally
            {
                Utf8.FreeNative(native);
            }
        }

        /// <summary>pc_new_relationship_request: the invitation link only.</summary>
        public string NewRelationshipRequestUrl()
        {
            IntPtr url;
            IntPtr json;
            int status = NativeMethods.pc_new_relationship_request(this, out url, out json);
            try
            {
                PartnerCenterException.Check(status);
                return Utf8.FromNative(url);
            }
            finally
            {
                NativeMethods.pc_string_free(url);
                NativeMethods.pc_string_free(json);
            }
        }
    }

    /// <summary>
    /// A pc_customer_pages cursor. One thread at a time (it keeps its client alive natively).
    /// </summary>
    public sealed class CustomerPagesHandle : SafeHandle
    {
        public CustomerPagesHandle()
            : base(IntPtr.Zero, true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override bool ReleaseHandle()
        {
            NativeMethods.pc_customer_pages_free(handle);
            handle = IntPtr.Zero;
            return true;
        }

        /// <summary>pc_customer_pages_next: the next page (a JSON array of customers), or null at the end.</summary>
        public string Next()
        {
            IntPtr page;
            int status = NativeMethods.pc_customer_pages_next(this, out page);
            return PartnerCenterException.CheckAndTake(status, page);
        }
    }

    /// <summary>A pc_device_code sign-in in progress.</summary>
    public sealed class DeviceCodeHandle : SafeHandle
    {
        private string promptJson;

        public DeviceCodeHandle()
            : base(IntPtr.Zero, true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        /// <summary>What to show the user: {"userCode","verificationUri","message","expiresIn","interval"}.</summary>
        public string PromptJson
        {
            get { return promptJson; }
        }

        protected override bool ReleaseHandle()
        {
            NativeMethods.pc_device_code_free(handle);
            handle = IntPtr.Zero;
            return true;
        }

        /// <summary>pc_device_code_start: asks Entra ID for a user code.</summary>
        public static DeviceCodeHandle Start(string optionsJson)
        {
            IntPtr options = Utf8.ToNative(optionsJson);
            try
            {
                DeviceCodeHandle flow;
                IntPtr json;
                int status = NativeMethods.pc_device_code_start(options, out flow, out json);
                try
                {
                    PartnerCenterException.Check(status);
                    flow.promptJson = Utf8.FromNative(json);
                    return flow;
                }
                finally
                {
                    NativeMethods.pc_string_free(json);
                }
            }
            finally
            {
                Utf8.FreeNative(options);
            }
        }

        /// <summary>pc_device_code_wait: blocks until approved (a client), declined, expired or cancelled.</summary>
        public ClientHandle Wait()
        {
            ClientHandle client;
            int status = NativeMethods.pc_device_code_wait(this, out client);
            PartnerCenterException.Check(status);
            return client;
        }

        /// <summary>
        /// Wait on a thread of its own, so that a PowerShell caller can poll the task and stay
        /// interruptible (Ctrl+C runs its finally block, which calls Cancel). A failure is read
        /// on the waiting thread, where pc_last_error_json belongs.
        /// </summary>
        public Task<ClientHandle> StartWait()
        {
            return Task<ClientHandle>.Factory.StartNew(new Func<ClientHandle>(Wait), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <summary>pc_device_code_cancel: makes a Wait in progress (or the next one) fail with Cancelled.</summary>
        public void Cancel()
        {
            PartnerCenterException.Check(NativeMethods.pc_device_code_cancel(this));
        }
    }

    /// <summary>Calls that need no client.</summary>
    public static class LibraryInfo
    {
        /// <summary>pc_version.</summary>
        public static string Version()
        {
            return Utf8.FromNative(NativeMethods.pc_version());
        }

        /// <summary>pc_status_name.</summary>
        public static string StatusName(int status)
        {
            return Utf8.FromNative(NativeMethods.pc_status_name(status));
        }

        /// <summary>pc_last_error_message on this thread, or null.</summary>
        public static string LastErrorMessage()
        {
            return Utf8.TakeString(NativeMethods.pc_last_error_message());
        }

        /// <summary>pc_last_error_json on this thread, or null.</summary>
        public static string LastErrorJson()
        {
            return Utf8.TakeString(NativeMethods.pc_last_error_json());
        }

        /// <summary>pc_test_panic (test builds only): throws PartnerCenterException with kind Panic.</summary>
        public static void TestPanic()
        {
            PartnerCenterException.Check(NativeMethods.pc_test_panic());
        }
    }

    /// <summary>Where the module looked for the native library, and what it found.</summary>
    public sealed class LibraryResolution
    {
        private readonly string path;
        private readonly string rid;
        private readonly string[] tried;

        public LibraryResolution(string path, string rid, string[] tried)
        {
            this.path = path;
            this.rid = rid;
            this.tried = tried;
        }

        /// <summary>The library's absolute path, or null when no candidate exists.</summary>
        public string Path { get { return path; } }

        /// <summary>The runtime identifier of this process, e.g. linux-x64.</summary>
        public string Rid { get { return rid; } }

        /// <summary>Every path looked at, in order.</summary>
        public string[] Tried { get { return tried; } }
    }

    /// <summary>
    /// Finds the native library beside the module and loads it by absolute path before the first
    /// P/Invoke, so that DllImport("partnercenter") binds to that copy (the library's soname /
    /// module name matches the DllImport name).
    /// </summary>
    public static class NativeLoader
    {
        /// <summary>The version of this file; the module refuses a different copy already compiled in the session.</summary>
        public const string InteropVersion = "0.1.0";

        private const int RtldNow = 2;
        private const int RtldGlobalLinux = 0x100;
        private const int RtldGlobalMac = 0x8;

        private static readonly object Gate = new object();
        private static string loadedPath;
        private static string loadedWith;
        private static IntPtr loadedHandle;
        private static bool resolverRegistered;

        [DllImport("libdl.so.2", EntryPoint = "dlopen", CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr DlopenLibdl2(IntPtr fileName, int flags);

        [DllImport("libdl.so.2", EntryPoint = "dlerror", CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr DlerrorLibdl2();

        [DllImport("libdl.so", EntryPoint = "dlopen", CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr DlopenLibdl(IntPtr fileName, int flags);

        [DllImport("libdl.so", EntryPoint = "dlerror", CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr DlerrorLibdl();

        [DllImport("/usr/lib/libSystem.dylib", EntryPoint = "dlopen", CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr DlopenMac(IntPtr fileName, int flags);

        [DllImport("/usr/lib/libSystem.dylib", EntryPoint = "dlerror", CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr DlerrorMac();

        [DllImport("kernel32.dll", EntryPoint = "LoadLibraryW", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string fileName);

        /// <summary>The path the library was loaded from in this process, or null.</summary>
        public static string LoadedPath
        {
            get { return loadedPath; }
        }

        /// <summary>How the library was loaded: NativeLibrary, dlopen or LoadLibraryW; null before.</summary>
        public static string LoadedWith
        {
            get { return loadedWith; }
        }

        /// <summary>Whether DllImport("partnercenter") is answered by a DllImportResolver (.NET Core).</summary>
        public static bool ResolverRegistered
        {
            get { return resolverRegistered; }
        }

        /// <summary>"windows", "osx" or "linux".</summary>
        public static string CurrentOS()
        {
            if (Path.DirectorySeparatorChar == '\\')
            {
                return "windows";
            }
            object isOsx = CallIsOSPlatform("OSX");
            if (isOsx is bool)
            {
                return (bool)isOsx ? "osx" : "linux";
            }
            return File.Exists("/System/Library/CoreServices/SystemVersion.plist") ? "osx" : "linux";
        }

        /// <summary>The process architecture as a RID suffix: x64, x86, arm64 or arm.</summary>
        public static string CurrentArchitecture()
        {
            Type info = RuntimeInformationType();
            if (info != null)
            {
                PropertyInfo property = info.GetProperty("ProcessArchitecture", BindingFlags.Public | BindingFlags.Static);
                if (property != null)
                {
                    object value = property.GetValue(null, null);
                    if (value != null)
                    {
                        return value.ToString().ToLowerInvariant();
                    }
                }
            }
            return IntPtr.Size == 8 ? "x64" : "x86";
        }

        /// <summary>This process's runtime identifier, e.g. linux-x64, osx-arm64, win-x64.</summary>
        public static string CurrentRid()
        {
            string os = CurrentOS();
            return (os == "windows" ? "win" : os) + "-" + CurrentArchitecture();
        }

        /// <summary>The library's file name on this system.</summary>
        public static string LibraryFileName()
        {
            string os = CurrentOS();
            if (os == "windows")
            {
                return "partnercenter.dll";
            }
            return os == "osx" ? "libpartnercenter.dylib" : "libpartnercenter.so";
        }

        /// <summary>
        /// The module's library lookup. With an override (PARTNERCENTER_NATIVE_PATH: a file, or a
        /// folder holding the library) only the override is tried; otherwise
        /// moduleRoot/runtimes/&lt;rid&gt;/native/&lt;file&gt; (and runtimes/osx/native for a universal
        /// macOS build).
        /// </summary>
        public static LibraryResolution Resolve(string moduleRoot, string overridePath)
        {
            string rid = CurrentRid();
            string fileName = LibraryFileName();
            List<string> candidates = new List<string>();
            if (!string.IsNullOrEmpty(overridePath))
            {
                string full = System.IO.Path.GetFullPath(overridePath);
                candidates.Add(Directory.Exists(full) ? System.IO.Path.Combine(full, fileName) : full);
            }
            else
            {
                string root = System.IO.Path.GetFullPath(moduleRoot);
                List<string> rids = new List<string>();
                rids.Add(rid);
                if (rid.StartsWith("osx-", StringComparison.Ordinal))
                {
                    rids.Add("osx");
                }
                foreach (string candidateRid in rids)
                {
                    candidates.Add(System.IO.Path.Combine(System.IO.Path.Combine(System.IO.Path.Combine(
                        System.IO.Path.Combine(root, "runtimes"), candidateRid), "native"), fileName));
                }
            }
            foreach (string candidate in candidates)
            {
                if (File.Exists(candidate))
                {
                    return new LibraryResolution(candidate, rid, candidates.ToArray());
                }
            }
            return new LibraryResolution(null, rid, candidates.ToArray());
        }

        /// <summary>
        /// Resolves, preloads and checks the library once per process; returns its version.
        /// Throws FileNotFoundException (naming every path tried) when it is missing, and
        /// BadImageFormatException / DllNotFoundException (naming the path and the loader's
        /// reason) when it cannot be loaded, e.g. built for another architecture.
        /// </summary>
        public static string Initialize(string moduleRoot, string overridePath)
        {
            lock (Gate)
            {
                if (loadedPath == null)
                {
                    LibraryResolution found = Resolve(moduleRoot, overridePath);
                    if (found.Path == null)
                    {
                        throw new FileNotFoundException(
                            "The native library " + LibraryFileName() + " for " + found.Rid +
                            " was not found. Looked at: " + string.Join("; ", found.Tried) +
                            ". Stage the module with the library under runtimes/" + found.Rid +
                            "/native/, or set PARTNERCENTER_NATIVE_PATH to the library file or its folder.",
                            LibraryFileName());
                    }
                    Load(found.Path);
                }
                return VersionAfterLoad();
            }
        }

        /// <summary>Loads the library from an absolute path (NativeLibrary, dlopen or LoadLibraryW).</summary>
        public static IntPtr Load(string path)
        {
            lock (Gate)
            {
                string full = System.IO.Path.GetFullPath(path);
                if (loadedPath != null)
                {
                    if (string.Equals(loadedPath, full, StringComparison.Ordinal))
                    {
                        return loadedHandle;
                    }
                    throw new InvalidOperationException("The native library is already loaded from " +
                        loadedPath + "; a process can load only one copy, not also " + full + ".");
                }
                string loader = "NativeLibrary";
                IntPtr handle = LoadWithNativeLibrary(full);
                if (handle == IntPtr.Zero)
                {
                    loader = CurrentOS() == "windows" ? "LoadLibraryW" : "dlopen";
                    handle = LoadWithPlatformLoader(full);
                }
                loadedHandle = handle;
                loadedWith = loader;
                loadedPath = full;
                RegisterResolver();
                return handle;
            }
        }

        // The first P/Invoke into the library lives in its own method, not inlined, so that
        // Mono binds it only when it is first called: after the preload.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string VersionAfterLoad()
        {
            return Utf8.FromNative(NativeMethods.pc_version());
        }

        private static Type RuntimeInformationType()
        {
            const string name = "System.Runtime.InteropServices.RuntimeInformation";
            Type type = typeof(object).Assembly.GetType(name);
            if (type == null)
            {
                type = Type.GetType(name + ", System.Runtime.InteropServices.RuntimeInformation", false);
            }
            return type;
        }

        private static object CallIsOSPlatform(string platformName)
        {
            try
            {
                Type info = RuntimeInformationType();
                if (info == null)
                {
                    return null;
                }
                Type platform = info.Assembly.GetType("System.Runtime.InteropServices.OSPlatform");
                if (platform == null)
                {
                    return null;
                }
                PropertyInfo property = platform.GetProperty(platformName, BindingFlags.Public | BindingFlags.Static);
                MethodInfo isOs = info.GetMethod("IsOSPlatform", new Type[] { platform });
                if (property == null || isOs == null)
                {
                    return null;
                }
                return isOs.Invoke(null, new object[] { property.GetValue(null, null) });
            }
            catch (Exception)
            {
                return null;
            }
        }

        private static Type NativeLibraryType()
        {
            return typeof(Marshal).Assembly.GetType("System.Runtime.InteropServices.NativeLibrary");
        }

        // .NET Core 3+: NativeLibrary.Load(string), found by reflection. IntPtr.Zero where it does not exist.
        private static IntPtr LoadWithNativeLibrary(string path)
        {
            Type nativeLibrary = NativeLibraryType();
            if (nativeLibrary == null)
            {
                return IntPtr.Zero;
            }
            MethodInfo load = nativeLibrary.GetMethod("Load", new Type[] { typeof(string) });
            if (load == null)
            {
                return IntPtr.Zero;
            }
            try
            {
                return (IntPtr)load.Invoke(null, new object[] { path });
            }
            catch (TargetInvocationException e)
            {
                Exception inner = e.InnerException ?? e;
                if (inner is BadImageFormatException)
                {
                    throw new BadImageFormatException("Cannot load the native library " + path +
                        " (wrong architecture for " + CurrentRid() + ", or not a library): " + inner.Message, path, inner);
                }
                throw new DllNotFoundException("Cannot load the native library " + path + ": " + inner.Message, inner);
            }
        }

        private static IntPtr LoadWithPlatformLoader(string path)
        {
            string os = CurrentOS();
            IntPtr handle;
            string reason;
            if (os == "windows")
            {
                handle = LoadLibraryW(path);
                reason = handle == IntPtr.Zero ? WindowsError(Marshal.GetLastWin32Error()) : null;
            }
            else
            {
                handle = Dlopen(path, os == "osx", out reason);
            }
            if (handle == IntPtr.Zero)
            {
                throw new DllNotFoundException("Cannot load the native library " + path +
                    " (is it built for " + CurrentRid() + "?): " + reason);
            }
            return handle;
        }

        private static string WindowsError(int code)
        {
            Exception error = Marshal.GetExceptionForHR(unchecked((int)0x80070000) | (code & 0xFFFF));
            return "Windows error " + code.ToString(CultureInfo.InvariantCulture) +
                (error != null ? ": " + error.Message : "");
        }

        private static IntPtr Dlopen(string path, bool mac, out string reason)
        {
            IntPtr name = Utf8.ToNative(path);
            try
            {
                IntPtr handle;
                if (mac)
                {
                    handle = DlopenMac(name, RtldNow | RtldGlobalMac);
                    reason = handle == IntPtr.Zero ? Utf8.FromNative(DlerrorMac()) : null;
                    return handle;
                }
                try
                {
                    handle = DlopenLibdl2(name, RtldNow | RtldGlobalLinux);
                    reason = handle == IntPtr.Zero ? Utf8.FromNative(DlerrorLibdl2()) : null;
                }
                catch (DllNotFoundException)
                {
                    handle = DlopenLibdl(name, RtldNow | RtldGlobalLinux);
                    reason = handle == IntPtr.Zero ? Utf8.FromNative(DlerrorLibdl()) : null;
                }
                return handle;
            }
            finally
            {
                Marshal.FreeHGlobal(name);
            }
        }

        // .NET Core: make DllImport("partnercenter") in this assembly answer with the preloaded
        // handle, whatever the runtime's own probing would find. Registered once per assembly.
        private static void RegisterResolver()
        {
            if (resolverRegistered)
            {
                return;
            }
            Type nativeLibrary = NativeLibraryType();
            if (nativeLibrary == null)
            {
                return;
            }
            Type resolverType = nativeLibrary.Assembly.GetType("System.Runtime.InteropServices.DllImportResolver");
            MethodInfo setResolver = nativeLibrary.GetMethod("SetDllImportResolver");
            if (resolverType == null || setResolver == null)
            {
                return;
            }
            MethodInfo resolve = typeof(NativeLoader).GetMethod("ResolveImport", BindingFlags.NonPublic | BindingFlags.Static);
            Delegate resolver = Delegate.CreateDelegate(resolverType, resolve);
            try
            {
                setResolver.Invoke(null, new object[] { typeof(NativeLoader).Assembly, resolver });
                resolverRegistered = true;
            }
            catch (TargetInvocationException e)
            {
                // Another resolver is already set for this assembly: leave the runtime's probing,
                // which finds the preloaded copy by its name.
                if (!(e.InnerException is InvalidOperationException))
                {
                    throw;
                }
            }
        }

        private static IntPtr ResolveImport(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName == NativeMethods.LibraryName)
            {
                return loadedHandle;
            }
            return IntPtr.Zero;
        }
    }

    /// <summary>A small JSON reader (Windows PowerShell 5.1 has no System.Text.Json): objects become
    /// Dictionary&lt;string, object&gt;, arrays List&lt;object&gt;, numbers double, plus string, bool and null.</summary>
    public sealed class JsonReader
    {
        private readonly string text;
        private int position;

        private JsonReader(string text)
        {
            this.text = text;
        }

        public static object Parse(string text)
        {
            JsonReader reader = new JsonReader(text);
            reader.SkipWhitespace();
            object value = reader.ReadValue();
            reader.SkipWhitespace();
            if (reader.position != text.Length)
            {
                throw reader.Error("unexpected text after the value");
            }
            return value;
        }

        public static Dictionary<string, object> ParseObject(string text)
        {
            Dictionary<string, object> value = Parse(text) as Dictionary<string, object>;
            if (value == null)
            {
                throw new FormatException("JSON: expected an object");
            }
            return value;
        }

        public static string GetString(Dictionary<string, object> obj, string key)
        {
            object value;
            if (obj == null || !obj.TryGetValue(key, out value) || value == null)
            {
                return null;
            }
            if (value is double)
            {
                return ((double)value).ToString("R", CultureInfo.InvariantCulture);
            }
            return value as string;
        }

        public static double? GetDouble(Dictionary<string, object> obj, string key)
        {
            object value;
            if (obj == null || !obj.TryGetValue(key, out value) || !(value is double))
            {
                return null;
            }
            return (double)value;
        }

        public static int? GetInt(Dictionary<string, object> obj, string key)
        {
            double? value = GetDouble(obj, key);
            if (value == null)
            {
                return null;
            }
            return (int)value.Value;
        }

        public static Dictionary<string, object> GetObject(Dictionary<string, object> obj, string key)
        {
            object value;
            if (obj == null || !obj.TryGetValue(key, out value))
            {
                return null;
            }
            return value as Dictionary<string, object>;
        }

        private FormatException Error(string what)
        {
            return new FormatException("JSON: " + what + " at offset " + position.ToString(CultureInfo.InvariantCulture));
        }

        private void SkipWhitespace()
        {
            while (position < text.Length && (text[position] == ' ' || text[position] == '\t' ||
                text[position] == '\n' || text[position] == '\r' || text[position] == '\uFEFF'))
            {
                position++;
            }
        }

        private char Peek()
        {
            if (position >= text.Length)
            {
                throw Error("unexpected end");
            }
            return text[position];
        }

        private void Expect(string literal)
        {
            if (string.CompareOrdinal(text, position, literal, 0, literal.Length) != 0)
            {
                throw Error("expected " + literal);
            }
            position += literal.Length;
        }

        private object ReadValue()
        {
            char c = Peek();
            switch (c)
            {
                case '{':
                    return ReadObject();
                case '[':
                    return ReadArray();
                case '"':
                    return ReadString();
                case 't':
                    Expect("true");
                    return true;
                case 'f':
                    Expect("false");
                    return false;
                case 'n':
                    Expect("null");
                    return null;
                default:
                    return ReadNumber();
            }
        }

        private Dictionary<string, object> ReadObject()
        {
            Dictionary<string, object> result = new Dictionary<string, object>(StringComparer.Ordinal);
            position++;
            SkipWhitespace();
            if (Peek() == '}')
            {
                position++;
                return result;
            }
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("expected a key");
                }
                string key = ReadString();
                SkipWhitespace();
                Expect(":");
                SkipWhitespace();
                result[key] = ReadValue();
                SkipWhitespace();
                char c = Peek();
                position++;
                if (c == '}')
                {
                    return result;
                }
                if (c != ',')
                {
                    throw Error("expected , or }");
                }
            }
        }

        private List<object> ReadArray()
        {
            List<object> result = new List<object>();
            position++;
            SkipWhitespace();
            if (Peek() == ']')
            {
                position++;
                return result;
            }
            while (true)
            {
                SkipWhitespace();
                result.Add(ReadValue());
                SkipWhitespace();
                char c = Peek();
                position++;
                if (c == ']')
                {
                    return result;
                }
                if (c != ',')
                {
                    throw Error("expected , or ]");
                }
            }
        }

        private string ReadString()
        {
            StringBuilder result = new StringBuilder();
            position++;
            while (true)
            {
                char c = Peek();
                position++;
                if (c == '"')
                {
                    return result.ToString();
                }
                if (c != '\\')
                {
                    result.Append(c);
                    continue;
                }
                char escape = Peek();
                position++;
                switch (escape)
                {
                    case '"': result.Append('"'); break;
                    case '\\': result.Append('\\'); break;
                    case '/': result.Append('/'); break;
                    case 'b': result.Append('\b'); break;
                    case 'f': result.Append('\f'); break;
                    case 'n': result.Append('\n'); break;
                    case 'r': result.Append('\r'); break;
                    case 't': result.Append('\t'); break;
                    case 'u':
                        if (position + 4 > text.Length)
                        {
                            throw Error("short \\u escape");
                        }
                        result.Append((char)int.Parse(text.Substring(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        position += 4;
                        break;
                    default:
                        throw Error("bad escape");
                }
            }
        }

        private double ReadNumber()
        {
            int start = position;
            while (position < text.Length && "+-0123456789.eE".IndexOf(text[position]) >= 0)
            {
                position++;
            }
            double value;
            if (start == position || !double.TryParse(text.Substring(start, position - start),
                NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                position = start;
                throw Error("expected a value");
            }
            return value;
        }
    }
}
