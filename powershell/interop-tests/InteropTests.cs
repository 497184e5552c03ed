// Tests of the module's interop layer (powershell/src/Native, Json) against a running emulator,
// on the .NET runtime, through the public and internal API of PartnerCenterNative.dll.
//
// Built and run by powershell/run-interop-tests.sh (dotnet run of InteropTests.csproj).
// Usage: InteropTests <staged module folder> <emulator base URL>
//   (or the environment variables PARTNERCENTER_MODULE_ROOT and PARTNERCENTER_EMULATOR_URL).
// The last line printed is "N passed, N failed"; the exit code is 1 when anything failed.

using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading;
using PartnerCenterNative;

namespace PartnerCenterNative.InteropTests
{
    internal sealed class AssertionFailed : Exception
    {
        public AssertionFailed(string message)
            : base(message)
        {
        }
    }

    internal static class Program
    {
        private const string Tenant = "emulator.onmicrosoft.com";
        private const string ClientId = "00000000-0000-0000-0000-00000000e1e1";
        private const string ClientSecret = "emulator-client-secret";
        private const string RefreshToken = "emulator-refresh-token";
        private const string PartnerId = "e1e1e1e1-1111-4111-8111-00000000e1e1";
        private const int TestTimeoutMs = 90000;

        private static string baseUrl;
        private static string moduleRoot;
        private static int passed;
        private static int failed;

        private static int Main(string[] args)
        {
            moduleRoot = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("PARTNERCENTER_MODULE_ROOT");
            baseUrl = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("PARTNERCENTER_EMULATOR_URL");
            if (string.IsNullOrEmpty(moduleRoot) || string.IsNullOrEmpty(baseUrl))
            {
                Console.Error.WriteLine("usage: InteropTests.exe <staged module folder> <emulator base URL>");
                Console.WriteLine("0 passed, 1 failed");
                return 2;
            }
            baseUrl = baseUrl.TrimEnd('/');
            Console.WriteLine("runtime: " + RuntimeName() + ", rid " + NativeLoader.CurrentRid());
            try
            {
                Admin("POST", "/_emulator/reset", null);
                ClearFaults();
            }
            catch (Exception e)
            {
                Console.WriteLine("the emulator at " + baseUrl + " does not answer: " + Describe(e));
                Console.WriteLine("0 passed, 1 failed");
                return 1;
            }

            // Resolution and loading first: nothing may touch the library before the module's loader.
            Run("resolution: a missing library names every path tried", MissingLibraryNamesPaths);
            Run("resolution: a file that is not a library fails with its path", BrokenLibraryNamesPath);
            Run("resolution: PARTNERCENTER_NATIVE_PATH as a folder or a file", OverridePath);
            Run("resolution: the staged runtimes/<rid>/native/ copy is found and loaded", StagedLibraryLoads);

            Run("library: version and status names", VersionAndStatusNames);
            Run("library: a panic becomes PC_ERR_PANIC (test-exports builds only)", PanicIsCaught);
            Run("link: refresh-token client gets the invitation url", LinkWithRefreshToken);
            Run("link: access-token client gets the invitation url", LinkWithAccessToken);
            Run("sign-in: info before and after", SignInAndInfo);
            Run("error: app-only is Forbidden and says App+User", AppOnlyIsForbidden);
            Run("error: bad refresh token is Authentication with an AADSTS code", BadRefreshTokenIsAuthentication);
            Run("error: unknown option is InvalidOptions naming the key", UnknownOptionIsInvalidOptions);
            Run("error: a null options string is NullArgument", NullOptionsIsNullArgument);
            Run("utf-8: non-ASCII text crosses both ways intact", Utf8BothWays);
            Run("error: http to a non-loopback host is InsecureUrl", HttpNonLoopbackIsInsecure);
            Run("error: 500 past the retries is Service with a request id", ServerErrorIsService);
            Run("error: 429 with Retry-After is retried to success", ThrottleIsRetried);
            Run("error: 429 asking too long a wait is Throttled with RetryAfterSeconds", LongThrottleIsThrottled);
            Run("error: a stalled answer past the deadline is Timeout", StallIsTimeout);
            Run("error: a closed port is Network", ClosedPortIsNetwork);
            Run("error: the last error is per call and per thread", LastErrorIsCleared);
            Run("customers: bad arguments fail before any request", CustomerArguments);
            Run("customers: pages, get, billing profile with ETag, remove, wait", CustomerFlow);
            Run("customers: every seeded customer in pages of 500, and of 7, no duplicates or gaps", CustomersListedCompletely);
            Run("customers: a cursor freed mid-listing sends no more requests", CustomerCursorStopsEarly);
            Run("customers: domain and company-name prefix filters", CustomerFilters);
            Run("customers: get by id, 404 is NotFound", CustomerGetAndNotFound);
            Run("billing: update with the ETag; a stale ETag is Conflict and changes nothing", BillingStaleETagIsConflict);
            Run("billing: unknown fields survive a get-then-set", BillingKeepsUnknownFields);
            Run("wait: succeeds once an acceptance is posted (domain, then tenant id)", WaitSucceedsAfterAcceptance);
            Run("wait: times out when nobody accepts", WaitTimesOut);
            Run("wait: Cancel from another thread ends it, later calls run", WaitCancelled);
            Run("customers: remove relationship: unlisted, still readable, back after acceptance", RemoveRelationshipFlow);
            Run("gdap: create, get, list, approve, wait, assign, assignments, terminate", AdminRelationshipFlow);
            Run("gdap: bad arguments fail before any request", AdminRelationshipArguments);
            Run("gdap: Cancel from another thread ends a wait, later calls run", AdminRelationshipWaitCancelled);
            Run("rate limit: a tight loop is throttled and survives through Retry-After", RateLimitSurvived);
            Run("handle: dispose frees, use after dispose throws ObjectDisposedException", DisposeThenUse);
            Run("handle: finalizers free forgotten clients", FinalizersFree);
            Run("handle: 1,000 create/call/dispose cycles, no growth in memory or threads", CreateDisposeCycles);
            Run("threads: 8 threads share one client", EightThreadsShareOneClient);
            Run("refresh token: rotation is visible and the new token works", RefreshTokenRotates);
            Run("refresh token: app-only client has none (InvalidArgument)", AppOnlyHasNoRefreshToken);
            Run("device code: approved through the emulator, the client gets the link", DeviceCodeApproved);
            Run("device code: StartWait (the module's way) approved", DeviceCodeStartWaitApproved);
            Run("device code: declined", DeviceCodeDeclined);
            Run("device code: cancelled from another thread", DeviceCodeCancelled);

            Console.WriteLine(passed + " passed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        }

        // ---- harness -------------------------------------------------------------------------

        private static void Run(string name, Action test)
        {
            Exception failure = null;
            Thread worker = new Thread(delegate ()
            {
                try
                {
                    test();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            worker.IsBackground = true;
            worker.Start();
            if (!worker.Join(TestTimeoutMs))
            {
                failure = new TimeoutException("did not finish within " + TestTimeoutMs + " ms");
            }
            if (failure == null)
            {
                passed++;
                Console.WriteLine("ok   " + name);
            }
            else
            {
                failed++;
                Console.WriteLine("FAIL " + name);
                Console.WriteLine("     " + Describe(failure).Replace("\n", "\n     "));
            }
        }

        private static string Describe(Exception e)
        {
            if (e is AssertionFailed)
            {
                return e.Message;
            }
            PartnerCenterException pc = e as PartnerCenterException;
            if (pc != null)
            {
                return "PartnerCenterException " + pc.Kind + " (" + pc.StatusName + "): " + pc.Message;
            }
            return e.ToString();
        }

        private static void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new AssertionFailed(what);
            }
        }

        private static void Equal(object expected, object actual, string what)
        {
            if (!object.Equals(expected, actual))
            {
                throw new AssertionFailed(what + ": expected <" + expected + ">, got <" + actual + ">");
            }
        }

        private static void Contains(string haystack, string needle, string what)
        {
            if (haystack == null || haystack.IndexOf(needle, StringComparison.Ordinal) < 0)
            {
                throw new AssertionFailed(what + ": <" + haystack + "> does not contain <" + needle + ">");
            }
        }

        private static T Throws<T>(Action action, string what) where T : Exception
        {
            try
            {
                action();
            }
            catch (T e)
            {
                return e;
            }
            catch (Exception e)
            {
                throw new AssertionFailed(what + ": expected " + typeof(T).Name + ", got " + Describe(e));
            }
            throw new AssertionFailed(what + ": expected " + typeof(T).Name + ", nothing was thrown");
        }

        private static PartnerCenterException Fails(string kind, Action action)
        {
            PartnerCenterException e = Throws<PartnerCenterException>(action, "expected kind " + kind);
            Equal(kind, e.Kind, "kind (message: " + e.Message + ")");
            Check(e.StatusName != null && e.StatusName.StartsWith("PC_ERR_", StringComparison.Ordinal),
                "status name " + e.StatusName);
            Equal(LibraryInfo.StatusName(e.Status), e.StatusName, "status name matches pc_status_name");
            Check(!string.IsNullOrEmpty(e.Message), "a message");
            return e;
        }

        private static string RuntimeName()
        {
            return Type.GetType("Mono.Runtime") != null ? "Mono " + Environment.Version : ".NET Core " + Environment.Version;
        }

        // ---- emulator helpers ------------------------------------------------------------------

        private static string Quote(string value)
        {
            StringBuilder quoted = new StringBuilder("\"");
            foreach (char c in value)
            {
                if (c == '"' || c == '\\')
                {
                    quoted.Append('\\').Append(c);
                }
                else if (c < ' ')
                {
                    quoted.Append("\\u").Append(((int)c).ToString("x4"));
                }
                else
                {
                    quoted.Append(c);
                }
            }
            return quoted.Append('"').ToString();
        }

        private static string Options(params string[] pairs)
        {
            StringBuilder json = new StringBuilder("{");
            for (int i = 0; i < pairs.Length; i += 2)
            {
                if (i > 0)
                {
                    json.Append(',');
                }
                string value = pairs[i + 1];
                bool raw = IsInteger(value) || value == "true" || value == "false";
                json.Append(Quote(pairs[i])).Append(':').Append(raw ? value : Quote(value));
            }
            return json.Append('}').ToString();
        }

        private static bool IsInteger(string value)
        {
            if (value.Length == 0 || value.Length > 9)
            {
                return false;
            }
            foreach (char c in value)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }
            return true;
        }

        private static string[] Endpoint()
        {
            return new string[] { "base_url", baseUrl, "authority", baseUrl, "tenant", Tenant };
        }

        private static string[] Join(string[] first, params string[] rest)
        {
            string[] all = new string[first.Length + rest.Length];
            first.CopyTo(all, 0);
            rest.CopyTo(all, first.Length);
            return all;
        }

        private static ClientHandle AppUserClient(params string[] extra)
        {
            return ClientHandle.Create(Options(Join(Join(Endpoint(), "client_id", ClientId,
                "client_secret", ClientSecret, "refresh_token", RefreshToken), extra)));
        }

        private static string Admin(string method, string path, string body)
        {
            return Send(method, path, "application/json", body);
        }

        private static string Post(string path, string contentType, string body)
        {
            return Send("POST", path, contentType, body);
        }

        private static string Send(string method, string path, string contentType, string body)
        {
            HttpWebRequest request = (HttpWebRequest)WebRequest.Create(baseUrl + path);
            request.Method = method;
            request.Timeout = 10000;
            request.Proxy = null;
            if (body != null)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(body);
                request.ContentType = contentType;
                request.ContentLength = bytes.Length;
                using (Stream stream = request.GetRequestStream())
                {
                    stream.Write(bytes, 0, bytes.Length);
                }
            }
            try
            {
                using (HttpWebResponse response = (HttpWebResponse)request.GetResponse())
                using (StreamReader reader = new StreamReader(response.GetResponseStream()))
                {
                    return reader.ReadToEnd();
                }
            }
            catch (WebException e)
            {
                string detail = "";
                if (e.Response != null)
                {
                    using (StreamReader reader = new StreamReader(e.Response.GetResponseStream()))
                    {
                        detail = reader.ReadToEnd();
                    }
                }
                throw new AssertionFailed(method + " " + path + " failed: " + e.Message + " " + detail);
            }
        }

        private static void Fault(string json)
        {
            Admin("POST", "/_emulator/faults", json);
        }

        private static void ClearFaults()
        {
            Admin("DELETE", "/_emulator/faults", null);
        }

        private static string Plain(SecureString secret)
        {
            IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
            try
            {
                return Marshal.PtrToStringUni(unmanaged);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            }
        }

        private static void CheckLink(Dictionary<string, object> link)
        {
            string url = JsonReader.GetString(link, "url");
            Check(url != null && url.StartsWith("https://", StringComparison.Ordinal), "url is https: " + url);
            Contains(url, PartnerId, "url names the partner");
            Contains(url, "ResellerRelationship", "url is a reseller invitation");
            string objectType = JsonReader.GetString(JsonReader.GetObject(link, "attributes"), "objectType");
            Check(!string.IsNullOrEmpty(objectType), "attributes.objectType present");
            Contains(objectType, "RelationshipRequest", "objectType");
        }

        // ---- resolution ------------------------------------------------------------------------

        private static string TempFolder()
        {
            string folder = Path.Combine(Path.GetTempPath(), "pcn-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return folder;
        }

        private static void MissingLibraryNamesPaths()
        {
            string empty = TempFolder();
            LibraryResolution found = NativeLoader.Resolve(empty, null);
            Check(found.Path == null, "nothing found in an empty module folder");
            string expected = Path.Combine(Path.Combine(Path.Combine(Path.Combine(empty, "runtimes"),
                NativeLoader.CurrentRid()), "native"), NativeLoader.LibraryFileName());
            Check(Array.IndexOf(found.Tried, expected) >= 0, "tried " + expected + "; tried: " + string.Join(", ", found.Tried));
            FileNotFoundException e = Throws<FileNotFoundException>(delegate
            {
                NativeLoader.Initialize(empty, null);
            }, "Initialize on an empty folder");
            Contains(e.Message, expected, "message names the path tried");
            Contains(e.Message, "PARTNERCENTER_NATIVE_PATH", "message names the override");
            Check(NativeLoader.LoadedPath == null, "nothing loaded");
        }

        private static void BrokenLibraryNamesPath()
        {
            string root = TempFolder();
            string native = Path.Combine(Path.Combine(Path.Combine(root, "runtimes"), NativeLoader.CurrentRid()), "native");
            Directory.CreateDirectory(native);
            string library = Path.Combine(native, NativeLoader.LibraryFileName());
            File.WriteAllText(library, "this is not a shared library");
            Exception e = Throws<Exception>(delegate
            {
                NativeLoader.Initialize(root, null);
            }, "Initialize with a broken library");
            Check(e is DllNotFoundException || e is BadImageFormatException, "DllNotFound or BadImageFormat, got " + e.GetType().Name);
            Contains(e.Message, library, "message names the path");
            Check(NativeLoader.LoadedPath == null, "nothing loaded");
        }

        private static void OverridePath()
        {
            string staged = NativeLoader.Resolve(moduleRoot, null).Path;
            Check(staged != null, "the staged module has a library");
            string folder = Path.GetDirectoryName(staged);
            Equal(staged, NativeLoader.Resolve("/nonexistent", folder).Path, "override as a folder");
            Equal(staged, NativeLoader.Resolve("/nonexistent", staged).Path, "override as a file");
            LibraryResolution missing = NativeLoader.Resolve(moduleRoot, Path.Combine(folder, "nope.so"));
            Check(missing.Path == null, "an override is the only place looked at");
            Equal(1, missing.Tried.Length, "one path tried");
        }

        private static void StagedLibraryLoads()
        {
            Equal("linux-x64", NativeLoader.CurrentRid(), "rid on this machine");
            LibraryResolution found = NativeLoader.Resolve(moduleRoot, null);
            string expected = Path.Combine(Path.Combine(Path.Combine(Path.Combine(Path.GetFullPath(moduleRoot),
                "runtimes"), "linux-x64"), "native"), "libpartnercenter.so");
            Equal(expected, found.Path, "resolved path");
            string version = NativeLoader.Initialize(moduleRoot, null);
            Check(!string.IsNullOrEmpty(version), "a version");
            Equal(expected, NativeLoader.LoadedPath, "loaded path");
            Equal(version, NativeLoader.Initialize(moduleRoot, null), "a second Initialize is a no-op");
            bool mono = Type.GetType("Mono.Runtime") != null;
            Equal(mono ? "dlopen" : "NativeLibrary", NativeLoader.LoadedWith, "the loader used");
            Equal(!mono, NativeLoader.ResolverRegistered, "a DllImportResolver exactly where NativeLibrary exists");
            Console.WriteLine("     loaded " + version + " with " + NativeLoader.LoadedWith);
            if (File.Exists("/proc/self/maps"))
            {
                string maps = File.ReadAllText("/proc/self/maps");
                Contains(maps, expected, "the process mapped the staged copy");
                foreach (string line in maps.Split('\n'))
                {
                    if (line.EndsWith("/libpartnercenter.so", StringComparison.Ordinal))
                    {
                        Check(line.EndsWith(expected, StringComparison.Ordinal), "only the staged copy is mapped: " + line);
                    }
                }
            }
        }

        // ---- library ----------------------------------------------------------------------------

        private static void VersionAndStatusNames()
        {
            Check(LibraryInfo.Version().Split('.').Length >= 3, "version looks like x.y.z: " + LibraryInfo.Version());
            Equal("PC_OK", LibraryInfo.StatusName(0), "status 0");
            Equal("PC_ERR_FORBIDDEN", LibraryInfo.StatusName((int)Status.Forbidden), "status 201");
            Equal("PC_ERR_DEVICE_CODE_DECLINED", LibraryInfo.StatusName((int)Status.DeviceCodeDeclined), "status 202");
            Equal("PC_UNKNOWN_STATUS", LibraryInfo.StatusName(12345), "unknown status");
        }

        private static void PanicIsCaught()
        {
            try
            {
                LibraryInfo.TestPanic();
                throw new AssertionFailed("pc_test_panic returned PC_OK");
            }
            catch (EntryPointNotFoundException)
            {
                Console.WriteLine("     (pc_test_panic not exported: not a test-exports build)");
            }
            catch (PartnerCenterException e)
            {
                Equal("Panic", e.Kind, "kind");
                Equal("PC_ERR_PANIC", e.StatusName, "status name");
            }
            Equal("PC_OK", LibraryInfo.StatusName(0), "the library still answers after the panic");
        }

        // ---- the link ----------------------------------------------------------------------------

        private static void LinkWithRefreshToken()
        {
            using (ClientHandle client = AppUserClient())
            {
                Dictionary<string, object> link = JsonReader.ParseObject(client.NewRelationshipRequest());
                CheckLink(link);
                Check(!string.IsNullOrEmpty(JsonReader.GetString(link, "requestId")), "requestId present");
                Check(!string.IsNullOrEmpty(JsonReader.GetString(link, "correlationId")), "correlationId present");
                Equal(JsonReader.GetString(link, "url"), client.NewRelationshipRequestUrl(), "the url alone");
            }
        }

        private static void LinkWithAccessToken()
        {
            // An App+User access token obtained outside the library, then used on its own.
            string form = "grant_type=refresh_token&client_id=" + Uri.EscapeDataString(ClientId) +
                "&client_secret=" + Uri.EscapeDataString(ClientSecret) +
                "&refresh_token=" + Uri.EscapeDataString(RefreshToken) +
                "&scope=" + Uri.EscapeDataString("https://api.partnercenter.microsoft.com/user_impersonation offline_access");
            string answer = Post("/" + Tenant + "/oauth2/v2.0/token", "application/x-www-form-urlencoded", form);
            string token = JsonReader.GetString(JsonReader.ParseObject(answer), "access_token");
            Check(!string.IsNullOrEmpty(token), "the emulator issued an access token");
            using (ClientHandle client = ClientHandle.Create(Options("base_url", baseUrl, "access_token", token)))
            {
                Equal("access_token", JsonReader.GetString(JsonReader.ParseObject(client.Info()), "credentialKind"), "credential kind");
                CheckLink(JsonReader.ParseObject(client.NewRelationshipRequest()));
                Fails("InvalidArgument", delegate
                {
                    client.RefreshToken();
                });
            }
        }

        private static void SignInAndInfo()
        {
            string correlation = Guid.NewGuid().ToString();
            using (ClientHandle client = AppUserClient("correlation_id", correlation))
            {
                Dictionary<string, object> before = JsonReader.ParseObject(client.Info());
                Equal("refresh_token", JsonReader.GetString(before, "credentialKind"), "credential kind");
                Equal(Tenant, JsonReader.GetString(before, "tenant"), "tenant");
                Equal(correlation, JsonReader.GetString(before, "correlationId"), "correlation id");
                Check(JsonReader.GetDouble(before, "tokenExpiresInSeconds") == null, "no token before sign-in");
                Dictionary<string, object> after = JsonReader.ParseObject(client.SignIn());
                double? expires = JsonReader.GetDouble(after, "tokenExpiresInSeconds");
                Check(expires != null && expires.Value > 0, "token lifetime after sign-in: " + expires);
                Check(!after.ContainsKey("refreshToken") && !after.ContainsKey("refresh_token"), "no secret in the info");
            }
        }

        // ---- errors ------------------------------------------------------------------------------

        private static void AppOnlyIsForbidden()
        {
            using (ClientHandle client = ClientHandle.Create(Options(Join(Endpoint(), "client_id", ClientId, "client_secret", ClientSecret))))
            {
                Equal("app_only", JsonReader.GetString(JsonReader.ParseObject(client.Info()), "credentialKind"), "credential kind");
                PartnerCenterException e = Fails("Forbidden", delegate
                {
                    client.NewRelationshipRequest();
                });
                Equal("PC_ERR_FORBIDDEN", e.StatusName, "status name");
                Equal((int)Status.Forbidden, e.Status, "status");
                Equal((int?)403, e.HttpStatus, "http status");
                Contains(e.Message, "App+User", "message explains App+User");
                Check(!string.IsNullOrEmpty(e.RequestId), "request id");
                Check(!string.IsNullOrEmpty(e.CorrelationId), "correlation id");
            }
        }

        private static void BadRefreshTokenIsAuthentication()
        {
            using (ClientHandle client = ClientHandle.Create(Options(Join(Endpoint(), "client_id", ClientId,
                "client_secret", ClientSecret, "refresh_token", "not-a-valid-refresh-token"))))
            {
                PartnerCenterException e = Fails("Authentication", delegate
                {
                    client.SignIn();
                });
                Check(e.ServiceCode != null && e.ServiceCode.StartsWith("AADSTS", StringComparison.Ordinal),
                    "AADSTS service code: " + e.ServiceCode);
                Check(e.Message.IndexOf("not-a-valid-refresh-token", StringComparison.Ordinal) < 0, "no secret in the message");
                Fails("Authentication", delegate
                {
                    client.NewRelationshipRequest();
                });
            }
        }

        private static void UnknownOptionIsInvalidOptions()
        {
            PartnerCenterException e = Fails("InvalidOptions", delegate
            {
                ClientHandle.Create(Options(Join(Endpoint(), "client_id", ClientId, "refresh_token", RefreshToken,
                    "bogus_option", "secret-looking-value")));
            });
            Contains(e.Message, "bogus_option", "message names the key");
            Check(e.Message.IndexOf("secret-looking-value", StringComparison.Ordinal) < 0, "message does not echo the value");
            Fails("InvalidOptions", delegate
            {
                ClientHandle.Create("{not json");
            });
        }

        private static void Utf8BothWays()
        {
            string key = "b\u00f6gus_\u00fcnicode_\u2713_\U0001F600";
            PartnerCenterException e = Fails("InvalidOptions", delegate
            {
                ClientHandle.Create("{" + Quote(key) + ":1}");
            });
            Contains(e.Message, key, "the key comes back decoded as it was encoded");
        }

        private static void NullOptionsIsNullArgument()
        {
            Fails("NullArgument", delegate
            {
                ClientHandle.Create(null);
            });
        }

        private static void HttpNonLoopbackIsInsecure()
        {
            Fails("InsecureUrl", delegate
            {
                ClientHandle.Create(Options("base_url", "http://api.example.com", "authority", baseUrl,
                    "tenant", Tenant, "client_id", ClientId, "refresh_token", RefreshToken));
            });
            Fails("InsecureUrl", delegate
            {
                ClientHandle.Create(Options("base_url", baseUrl, "authority", "http://login.example.com",
                    "tenant", Tenant, "client_id", ClientId, "refresh_token", RefreshToken));
            });
        }

        private static void ServerErrorIsService()
        {
            try
            {
                Fault("{\"method\":\"GET\",\"path\":\"/v1/customers/relationshiprequests\",\"status\":500,\"count\":10}");
                using (ClientHandle client = AppUserClient("max_retries", "1"))
                {
                    PartnerCenterException e = Fails("Service", delegate
                    {
                        client.NewRelationshipRequest();
                    });
                    Equal((int?)500, e.HttpStatus, "http status");
                    Check(!string.IsNullOrEmpty(e.RequestId), "request id for support");
                }
            }
            finally
            {
                ClearFaults();
            }
        }

        private static void ThrottleIsRetried()
        {
            try
            {
                Fault("{\"method\":\"GET\",\"path\":\"/v1/customers/relationshiprequests\",\"status\":429,\"retryAfter\":1,\"count\":1}");
                using (ClientHandle client = AppUserClient())
                {
                    DateTime start = DateTime.UtcNow;
                    CheckLink(JsonReader.ParseObject(client.NewRelationshipRequest()));
                    double waited = (DateTime.UtcNow - start).TotalSeconds;
                    Check(waited >= 0.9, "waited for Retry-After (" + waited + " s)");
                }
            }
            finally
            {
                ClearFaults();
            }
        }

        private static void LongThrottleIsThrottled()
        {
            try
            {
                Fault("{\"method\":\"GET\",\"path\":\"/v1/customers/relationshiprequests\",\"status\":429,\"retryAfter\":120,\"count\":1}");
                using (ClientHandle client = AppUserClient("max_retry_after_ms", "2000"))
                {
                    PartnerCenterException e = Fails("Throttled", delegate
                    {
                        client.NewRelationshipRequest();
                    });
                    Equal((double?)120, e.RetryAfterSeconds, "retry after");
                    Equal((int?)429, e.HttpStatus, "http status");
                }
            }
            finally
            {
                ClearFaults();
            }
        }

        private static void StallIsTimeout()
        {
            try
            {
                Fault("{\"method\":\"GET\",\"path\":\"/v1/customers/relationshiprequests\",\"stallMs\":10000,\"count\":10}");
                using (ClientHandle client = AppUserClient("timeout_ms", "1500", "attempt_timeout_ms", "1000", "max_retries", "0"))
                {
                    client.SignIn();
                    Fails("Timeout", delegate
                    {
                        client.NewRelationshipRequest();
                    });
                }
            }
            finally
            {
                ClearFaults();
            }
        }

        private static void ClosedPortIsNetwork()
        {
            using (ClientHandle client = ClientHandle.Create(Options("base_url", "http://127.0.0.1:1", "authority", "http://127.0.0.1:1",
                "tenant", Tenant, "client_id", ClientId, "refresh_token", RefreshToken, "max_retries", "0")))
            {
                Fails("Network", delegate
                {
                    client.SignIn();
                });
            }
        }

        private static void LastErrorIsCleared()
        {
            Fails("InvalidOptions", delegate
            {
                ClientHandle.Create("{\"nope\":1}");
            });
            Check(LibraryInfo.LastErrorJson() != null, "the error is readable after the call");
            Contains(LibraryInfo.LastErrorMessage(), "nope", "pc_last_error_message");
            string otherThread = "unset";
            Thread other = new Thread(delegate ()
            {
                otherThread = LibraryInfo.LastErrorJson();
            });
            other.Start();
            other.Join();
            Check(otherThread == null, "another thread has no last error: " + otherThread);
            using (ClientHandle client = AppUserClient())
            {
                client.Info();
            }
            Check(LibraryInfo.LastErrorJson() == null, "a successful call clears it");
        }

        // ---- customers ---------------------------------------------------------------------------

        private static void CustomerArguments()
        {
            using (ClientHandle client = AppUserClient())
            {
                PartnerCenterException e = Fails("InvalidArgument", delegate
                {
                    client.ListCustomers("{\"bogusKey\":\"x\"}").Dispose();
                });
                Contains(e.Message, "bogusKey", "the message names the key");
                Fails("NullArgument", delegate
                {
                    client.GetCustomer(null);
                });
                Fails("NullArgument", delegate
                {
                    client.GetBillingProfile(null);
                });
                Fails("NullArgument", delegate
                {
                    client.UpdateBillingProfile("x", null);
                });
                Fails("NullArgument", delegate
                {
                    client.RemoveCustomerRelationship(null);
                });
                Fails("NullArgument", delegate
                {
                    client.WaitForCustomer(null);
                });
                CustomerPagesHandle pages = client.ListCustomers(null);
                pages.Dispose();
                Check(pages.IsClosed && pages.IsInvalid, "a cursor closes");
                Throws<ObjectDisposedException>(delegate
                {
                    pages.Next();
                }, "next after dispose");
            }
        }

        private static void CustomerFlow()
        {
            using (ClientHandle client = AppUserClient())
            {
                // The first pages only: the listing is stopped early (every customer is listed by
                // CustomersListedCompletely).
                List<object> customers = new List<object>();
                using (CustomerPagesHandle pages = client.ListCustomers("{\"pageSize\":2}"))
                {
                    string page = pages.Next();
                    int pageCount = 0;
                    while (page != null && pageCount < 3)
                    {
                        pageCount++;
                        List<object> items = JsonReader.Parse(page) as List<object>;
                        Check(items != null, "a page is a JSON array");
                        Check(items.Count <= 2, "page size honoured");
                        customers.AddRange(items);
                        page = pages.Next();
                    }
                    Check(pageCount >= 1, "at least one page");
                }
                Check(customers.Count > 0, "the emulator lists customers");
                Dictionary<string, object> first = (Dictionary<string, object>)customers[0];
                string id = JsonReader.GetString(first, "id");
                Dictionary<string, object> customer = JsonReader.ParseObject(client.GetCustomer(id));
                Equal(id, JsonReader.GetString(customer, "id"), "get by id");

                Dictionary<string, object> profile = JsonReader.ParseObject(client.GetBillingProfile(id));
                string etag = JsonReader.GetString(JsonReader.GetObject(profile, "attributes"), "etag");
                Check(!string.IsNullOrEmpty(etag), "the profile has an etag");
                string original = client.GetBillingProfile(id);
                Dictionary<string, object> stored = JsonReader.ParseObject(client.UpdateBillingProfile(id, original));
                string newEtag = JsonReader.GetString(JsonReader.GetObject(stored, "attributes"), "etag");
                Check(!string.IsNullOrEmpty(newEtag), "the stored profile has an etag");
                if (newEtag != etag)
                {
                    Fails("Conflict", delegate
                    {
                        client.UpdateBillingProfile(id, original);
                    });
                }

                Fails("NotFound", delegate
                {
                    client.GetCustomer(Guid.NewGuid().ToString());
                });
                Fails("Timeout", delegate
                {
                    client.WaitForCustomer("{\"domain\":\"nobody-" + Guid.NewGuid().ToString("N") + ".onmicrosoft.com\",\"timeoutMs\":1500,\"pollIntervalMs\":200}");
                });
                Dictionary<string, object> removed = JsonReader.ParseObject(client.RemoveCustomerRelationship(id));
                Equal("none", JsonReader.GetString(removed, "relationshipToPartner"), "relationship removed");
            }
            Admin("POST", "/_emulator/reset", null);
        }

        // ---- customers against the seeded store ----------------------------------------------
        // run-interop-tests.sh starts the emulator with --customers 1200 and a tight rate limit,
        // and says so through PARTNERCENTER_EMULATOR_CUSTOMERS and _RATE_LIMIT.

        private static int? EnvironmentInt(string name)
        {
            string text = Environment.GetEnvironmentVariable(name);
            int value;
            if (string.IsNullOrEmpty(text) || !int.TryParse(text, out value))
            {
                return null;
            }
            return value;
        }

        private static List<Dictionary<string, object>> ListAll(ClientHandle client, string queryJson, List<int> pageSizes)
        {
            List<Dictionary<string, object>> all = new List<Dictionary<string, object>>();
            using (CustomerPagesHandle pages = client.ListCustomers(queryJson))
            {
                string page = pages.Next();
                while (page != null)
                {
                    List<object> items = JsonReader.Parse(page) as List<object>;
                    Check(items != null, "a page is a JSON array");
                    if (pageSizes != null)
                    {
                        pageSizes.Add(items.Count);
                    }
                    foreach (object item in items)
                    {
                        Dictionary<string, object> customer = item as Dictionary<string, object>;
                        Check(customer != null, "a customer is a JSON object");
                        all.Add(customer);
                    }
                    page = pages.Next();
                }
            }
            return all;
        }

        private static string Field(Dictionary<string, object> obj, string path)
        {
            string[] parts = path.Split('.');
            Dictionary<string, object> current = obj;
            for (int i = 0; i < parts.Length - 1; i++)
            {
                current = JsonReader.GetObject(current, parts[i]);
            }
            return JsonReader.GetString(current, parts[parts.Length - 1]);
        }

        private static string FirstCustomerId(ClientHandle client)
        {
            using (CustomerPagesHandle pages = client.ListCustomers("{\"pageSize\":1}"))
            {
                List<object> items = (List<object>)JsonReader.Parse(pages.Next());
                return JsonReader.GetString((Dictionary<string, object>)items[0], "id");
            }
        }

        private static int CountRequests(string method, string path)
        {
            List<object> requests = (List<object>)JsonReader.Parse(Admin("GET", "/_emulator/requests", null));
            int count = 0;
            foreach (object entry in requests)
            {
                Dictionary<string, object> request = (Dictionary<string, object>)entry;
                if (JsonReader.GetString(request, "method") == method && JsonReader.GetString(request, "path") == path)
                {
                    count++;
                }
            }
            return count;
        }

        /// <summary>JSON text of what JsonReader reads (the tests change profiles and send them back), keys sorted.</summary>
        private static string ToJson(object value)
        {
            StringBuilder json = new StringBuilder();
            WriteJson(json, value);
            return json.ToString();
        }

        private static void WriteJson(StringBuilder json, object value)
        {
            if (value == null)
            {
                json.Append("null");
            }
            else if (value is string)
            {
                json.Append(Quote((string)value));
            }
            else if (value is bool)
            {
                json.Append((bool)value ? "true" : "false");
            }
            else if (value is long)
            {
                json.Append(((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (value is double)
            {
                json.Append(((double)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (value is Dictionary<string, object>)
            {
                // Keys in ordinal order, so that equal objects give equal text whatever order the
                // service keeps them in.
                Dictionary<string, object> obj = (Dictionary<string, object>)value;
                List<string> keys = new List<string>(obj.Keys);
                keys.Sort(StringComparer.Ordinal);
                json.Append('{');
                bool first = true;
                foreach (string key in keys)
                {
                    if (!first)
                    {
                        json.Append(',');
                    }
                    first = false;
                    json.Append(Quote(key)).Append(':');
                    WriteJson(json, obj[key]);
                }
                json.Append('}');
            }
            else if (value is List<object>)
            {
                json.Append('[');
                bool first = true;
                foreach (object item in (List<object>)value)
                {
                    if (!first)
                    {
                        json.Append(',');
                    }
                    first = false;
                    WriteJson(json, item);
                }
                json.Append(']');
            }
            else
            {
                throw new ArgumentException("cannot write " + value.GetType().Name + " as JSON");
            }
        }

        private static void CustomersListedCompletely()
        {
            Admin("POST", "/_emulator/reset", null);
            using (ClientHandle client = AppUserClient())
            {
                List<int> sizes = new List<int>();
                List<Dictionary<string, object>> all = ListAll(client, null, sizes);
                int? expected = EnvironmentInt("PARTNERCENTER_EMULATOR_CUSTOMERS");
                if (expected.HasValue)
                {
                    Equal(expected.Value, all.Count, "every seeded customer is listed");
                    Check(expected.Value > 1000, "the emulator holds more than two pages of 500");
                }
                Equal((all.Count + 499) / 500, sizes.Count, "pages of 500");
                for (int i = 0; i < sizes.Count - 1; i++)
                {
                    Equal(500, sizes[i], "page " + (i + 1) + " is full");
                }
                HashSet<string> ids = new HashSet<string>();
                foreach (Dictionary<string, object> customer in all)
                {
                    string id = JsonReader.GetString(customer, "id");
                    Check(ids.Add(id), "customer " + id + " is listed once");
                    Equal(id, Field(customer, "companyProfile.tenantId"), "tenantId is the id");
                    Check(!string.IsNullOrEmpty(Field(customer, "companyProfile.domain")), "a domain");
                    Check(!string.IsNullOrEmpty(Field(customer, "companyProfile.companyName")), "a company name");
                    Equal("reseller", JsonReader.GetString(customer, "relationshipToPartner"), "listed customers are resold");
                }

                List<int> smallSizes = new List<int>();
                List<Dictionary<string, object>> small = ListAll(client, "{\"pageSize\":7}", smallSizes);
                Equal(all.Count, small.Count, "the same customers in pages of 7");
                for (int i = 0; i < all.Count; i++)
                {
                    Equal(JsonReader.GetString(all[i], "id"), JsonReader.GetString(small[i], "id"), "customer " + i + " in the same order");
                }
                Console.WriteLine("     " + all.Count + " customers: " + sizes.Count + " pages of 500, " + smallSizes.Count + " pages of 7");
            }
        }

        private static void CustomerCursorStopsEarly()
        {
            Admin("POST", "/_emulator/reset", null);
            using (ClientHandle client = AppUserClient())
            {
                client.SignIn();
                Admin("DELETE", "/_emulator/requests", null);
                CustomerPagesHandle pages = client.ListCustomers("{\"pageSize\":5}");
                Check(pages.Next() != null && pages.Next() != null, "two pages");
                pages.Dispose();
                Equal(2, CountRequests("GET", "/v1/customers"), "two page requests, none after the cursor was freed");
                Throws<ObjectDisposedException>(delegate
                {
                    pages.Next();
                }, "next after dispose");
            }
        }

        private static void CustomerFilters()
        {
            Admin("POST", "/_emulator/reset", null);
            using (ClientHandle client = AppUserClient())
            {
                List<Dictionary<string, object>> all = ListAll(client, null, null);
                Dictionary<string, object> sample = all[all.Count / 2];
                string domain = Field(sample, "companyProfile.domain");
                string name = Field(sample, "companyProfile.companyName");
                string domainPrefix = domain.Substring(0, domain.IndexOf('.') - 1);
                string namePrefix = name.Substring(0, Math.Min(name.Length, name.IndexOf(' ') + 3));

                string[][] cases = new string[][]
                {
                    new string[] { "domain", domainPrefix.ToUpperInvariant(), "companyProfile.domain", domainPrefix },
                    new string[] { "companyName", namePrefix.ToLowerInvariant(), "companyProfile.companyName", namePrefix },
                    new string[] { "domain", domain, "companyProfile.domain", domain }
                };
                foreach (string[] filter in cases)
                {
                    List<string> expected = new List<string>();
                    foreach (Dictionary<string, object> customer in all)
                    {
                        if (Field(customer, filter[2]).StartsWith(filter[3], StringComparison.OrdinalIgnoreCase))
                        {
                            expected.Add(JsonReader.GetString(customer, "id"));
                        }
                    }
                    List<Dictionary<string, object>> found = ListAll(client, "{" + Quote(filter[0]) + ":" + Quote(filter[1]) + ",\"pageSize\":3}", null);
                    Check(found.Count > 0, filter[0] + " " + filter[1] + " finds the sample");
                    Equal(expected.Count, found.Count, filter[0] + " starts with " + filter[1]);
                    for (int i = 0; i < found.Count; i++)
                    {
                        Equal(expected[i], JsonReader.GetString(found[i], "id"), filter[0] + " " + filter[1] + ": customer " + i);
                    }
                }
                Equal(0, ListAll(client, "{\"domain\":\"no-such-prefix-" + Guid.NewGuid().ToString("N") + "\"}", null).Count, "a prefix nobody has");
                PartnerCenterException e = Fails("InvalidArgument", delegate
                {
                    client.ListCustomers("{\"pageSize\":501}").Dispose();
                });
                Contains(e.Message, "pageSize", "the message names the key");
            }
        }

        private static void CustomerGetAndNotFound()
        {
            Admin("POST", "/_emulator/reset", null);
            using (ClientHandle client = AppUserClient())
            {
                Dictionary<string, object> listed;
                using (CustomerPagesHandle pages = client.ListCustomers("{\"pageSize\":1}"))
                {
                    listed = (Dictionary<string, object>)((List<object>)JsonReader.Parse(pages.Next()))[0];
                }
                string id = JsonReader.GetString(listed, "id");
                Dictionary<string, object> customer = JsonReader.ParseObject(client.GetCustomer(id));
                Equal(id, JsonReader.GetString(customer, "id"), "get by id");
                Equal(Field(listed, "companyProfile.domain"), Field(customer, "companyProfile.domain"), "the same domain");
                Equal(true, customer["allowDelegatedAccess"], "allowDelegatedAccess");
                PartnerCenterException e = Fails("NotFound", delegate
                {
                    client.GetCustomer(Guid.NewGuid().ToString());
                });
                Equal((int?)404, e.HttpStatus, "HTTP status");
                Fails("NotFound", delegate
                {
                    client.GetBillingProfile(Guid.NewGuid().ToString());
                });
            }
        }

        private static void BillingStaleETagIsConflict()
        {
            Admin("POST", "/_emulator/reset", null);
            using (ClientHandle client = AppUserClient())
            {
                string id = FirstCustomerId(client);
                Dictionary<string, object> read = JsonReader.ParseObject(client.GetBillingProfile(id));
                string etag = Field(read, "attributes.etag");
                Check(!string.IsNullOrEmpty(etag), "the profile has an etag");

                string city = "Interop " + Guid.NewGuid().ToString("N").Substring(0, 8);
                JsonReader.GetObject(read, "defaultAddress")["city"] = city;
                Dictionary<string, object> stored = JsonReader.ParseObject(client.UpdateBillingProfile(id, ToJson(read)));
                string newEtag = Field(stored, "attributes.etag");
                Check(newEtag != etag, "the update bumped the etag (" + etag + " -> " + newEtag + ")");
                Equal(city, Field(stored, "defaultAddress.city"), "the stored profile has the change");

                // The same version again (its ETag is now stale): refused, nothing overwritten.
                JsonReader.GetObject(read, "defaultAddress")["city"] = "Overwritten";
                read["email"] = "overwritten@example.com";
                PartnerCenterException e = Fails("Conflict", delegate
                {
                    client.UpdateBillingProfile(id, ToJson(read));
                });
                Equal((int?)412, e.HttpStatus, "HTTP status of a stale If-Match");
                Dictionary<string, object> after = JsonReader.ParseObject(client.GetBillingProfile(id));
                Equal(newEtag, Field(after, "attributes.etag"), "the etag is unchanged");
                Equal(city, Field(after, "defaultAddress.city"), "the city is unchanged");
                Equal(Field(stored, "email"), Field(after, "email"), "the email is unchanged");

                // Read again, change again: accepted.
                JsonReader.GetObject(after, "defaultAddress")["city"] = city + " 2";
                Dictionary<string, object> again = JsonReader.ParseObject(client.UpdateBillingProfile(id, ToJson(after)));
                Equal(city + " 2", Field(again, "defaultAddress.city"), "an update from a fresh read is stored");
                Check(Field(again, "attributes.etag") != newEtag, "and bumps the etag");

                read.Remove("attributes");
                Fails("InvalidArgument", delegate
                {
                    client.UpdateBillingProfile(id, ToJson(read));
                });
            }
        }

        private static void BillingKeepsUnknownFields()
        {
            Admin("POST", "/_emulator/reset", null);
            using (ClientHandle client = AppUserClient())
            {
                string id = FirstCustomerId(client);
                Dictionary<string, object> read = JsonReader.ParseObject(client.GetBillingProfile(id));
                Check(read.ContainsKey("purchaseOrderReference"), "the emulator's profile has a field beyond the documented ones");
                Dictionary<string, object> extension = JsonReader.ParseObject(
                    "{\"nested\":{\"list\":[1,\"two\",true,null,{\"deep\":[[\"x\"]]}]},\"amount\":42.5,\"text\":\"\\u00e9\\u4e2d\"}");
                read["interopExtension"] = extension;
                client.UpdateBillingProfile(id, ToJson(read));

                Dictionary<string, object> after = JsonReader.ParseObject(client.GetBillingProfile(id));
                Check(after.ContainsKey("interopExtension"), "the unknown field was stored");
                Equal(ToJson(extension), ToJson(after["interopExtension"]), "the unknown field, nested, intact");
                Equal(Field(read, "purchaseOrderReference"), Field(after, "purchaseOrderReference"), "purchaseOrderReference kept");
                Equal(Field(read, "defaultAddress.addressLine3"), Field(after, "defaultAddress.addressLine3"), "unknown address fields kept");

                // A get-then-set without changes keeps every field as well.
                Dictionary<string, object> reread = JsonReader.ParseObject(client.GetBillingProfile(id));
                string beforeJson = ToJson(WithoutServerFields(reread));
                client.UpdateBillingProfile(id, ToJson(reread));
                Equal(beforeJson, ToJson(WithoutServerFields(JsonReader.ParseObject(client.GetBillingProfile(id)))), "a round trip changes nothing but the etag");
            }
        }

        private static Dictionary<string, object> WithoutServerFields(Dictionary<string, object> profile)
        {
            Dictionary<string, object> copy = new Dictionary<string, object>(profile, StringComparer.Ordinal);
            copy.Remove("attributes");
            return copy;
        }

        private static string AcceptJson(string tenantId, string domain, string companyName, int delayMs)
        {
            return "{" + (tenantId != null ? "\"tenantId\":" + Quote(tenantId) + "," : "") +
                "\"domain\":" + Quote(domain) + ",\"companyName\":" + Quote(companyName) +
                (delayMs > 0 ? ",\"delayMs\":" + delayMs : "") + "}";
        }

        private static void WaitSucceedsAfterAcceptance()
        {
            Admin("POST", "/_emulator/reset", null);
            using (ClientHandle client = AppUserClient())
            {
                string domain = "interop-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".onmicrosoft.com";
                string waited = null;
                Exception failure = null;
                Thread waiter = new Thread(delegate ()
                {
                    try
                    {
                        waited = client.WaitForCustomer("{\"domain\":" + Quote(domain) + ",\"timeoutMs\":30000,\"pollIntervalMs\":200,\"maxPollIntervalMs\":400}");
                    }
                    catch (Exception e)
                    {
                        failure = e;
                    }
                });
                waiter.IsBackground = true;
                waiter.Start();
                Thread.Sleep(800);
                Check(waiter.IsAlive, "still waiting before anyone accepted");
                Admin("POST", "/_emulator/invitations/accept", AcceptJson(null, domain, "Interop Waiters Ltd", 0));
                Check(waiter.Join(30000), "the wait ended after the acceptance");
                if (failure != null)
                {
                    throw failure;
                }
                Dictionary<string, object> customer = JsonReader.ParseObject(waited);
                Equal(domain, Field(customer, "companyProfile.domain"), "the accepted customer");
                Equal("Interop Waiters Ltd", Field(customer, "companyProfile.companyName"), "its company name");
                Equal("reseller", JsonReader.GetString(customer, "relationshipToPartner"), "with a reseller relationship");

                // By tenant id, the acceptance taking effect a little later.
                string tenant = Guid.NewGuid().ToString();
                Admin("POST", "/_emulator/invitations/accept", AcceptJson(tenant, "interop-t-" + tenant.Substring(0, 8) + ".onmicrosoft.com", "Interop Tenant Ltd", 1200));
                System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
                Dictionary<string, object> byTenant = JsonReader.ParseObject(client.WaitForCustomer("{\"tenantId\":" + Quote(tenant) + ",\"timeoutMs\":30000,\"pollIntervalMs\":200}"));
                Check(clock.ElapsedMilliseconds >= 900, "it waited for the delayed acceptance (" + clock.ElapsedMilliseconds + " ms)");
                Equal(tenant, JsonReader.GetString(byTenant, "id"), "the customer id is the tenant id");
                Equal(tenant, Field(byTenant, "companyProfile.tenantId"), "tenantId");
                Equal(byTenant["id"], JsonReader.ParseObject(client.GetCustomer(tenant))["id"], "then readable by id");
            }
        }

        private static void WaitTimesOut()
        {
            using (ClientHandle client = AppUserClient())
            {
                System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
                Fails("Timeout", delegate
                {
                    client.WaitForCustomer("{\"domain\":\"nobody-" + Guid.NewGuid().ToString("N") + ".onmicrosoft.com\",\"timeoutMs\":1500,\"pollIntervalMs\":200}");
                });
                Check(clock.ElapsedMilliseconds >= 1000 && clock.ElapsedMilliseconds < 20000, "timed out after about 1.5 s (" + clock.ElapsedMilliseconds + " ms)");
                Fails("InvalidArgument", delegate
                {
                    client.WaitForCustomer("{\"timeoutMs\":1000}");
                });
            }
        }

        /// <summary>
        /// Runs <paramref name="wait"/> on another thread, cancels the client until it returns and
        /// checks that it ended promptly with Cancelled.
        /// </summary>
        private static void CancelledWhileWaiting(ClientHandle client, Action wait)
        {
            Exception error = null;
            Thread waiter = new Thread(delegate ()
            {
                try
                {
                    wait();
                }
                catch (Exception e)
                {
                    error = e;
                }
            });
            waiter.Start();
            Thread.Sleep(300);
            // A cancel reaches only a call already inside the library: repeated until the
            // wait ends (the waiting thread may get there late on a loaded machine).
            System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 600; i++)
            {
                client.Cancel();
                if (waiter.Join(50))
                {
                    break;
                }
            }
            Check(waiter.Join(30000), "the wait returned after Cancel");
            Check(clock.ElapsedMilliseconds < 4000, "promptly, not at the next poll (" + clock.ElapsedMilliseconds + " ms after the first Cancel)");
            PartnerCenterException pe = error as PartnerCenterException;
            Check(pe != null, "a PartnerCenterException, got " + (error == null ? "none" : Describe(error)));
            Equal("Cancelled", pe == null ? null : pe.Kind, "kind");
        }

        private static void WaitCancelled()
        {
            using (ClientHandle client = AppUserClient())
            {
                client.Cancel();
                CancelledWhileWaiting(client, delegate
                {
                    client.WaitForCustomer("{\"domain\":\"never.onmicrosoft.com\",\"timeoutMs\":60000,\"pollIntervalMs\":5000}");
                });
                CheckLink(JsonReader.ParseObject(client.NewRelationshipRequest()));
            }
        }

        // ---- GDAP admin relationships (Microsoft Graph at {emulator}/v1.0) --------------------

        private const string DirectoryReaders = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";

        private static ClientHandle GraphClient()
        {
            return AppUserClient("graph_base_url", baseUrl + "/v1.0");
        }

        private static Dictionary<string, object> NewAdminRelationship(ClientHandle client, string extra)
        {
            string name = "interop " + Guid.NewGuid().ToString("N").Substring(0, 12);
            return JsonReader.ParseObject(client.CreateAdminRelationship("{\"displayName\":" + Quote(name) +
                ",\"duration\":\"P30D\",\"roles\":[\"Directory Readers\",\"User Administrator\"]" + extra + "}"));
        }

        private static int GraphRequests()
        {
            int count = 0;
            foreach (object entry in (List<object>)JsonReader.Parse(Admin("GET", "/_emulator/requests", null)))
            {
                string path = JsonReader.GetString((Dictionary<string, object>)entry, "path");
                if (path != null && path.StartsWith("/v1.0/", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            return count;
        }

        private static void AdminRelationshipFlow()
        {
            using (ClientHandle client = GraphClient())
            {
                Dictionary<string, object> created = NewAdminRelationship(client, "");
                string id = JsonReader.GetString(created, "id");
                Equal("approvalPending", JsonReader.GetString(created, "status"), "created and locked");
                Equal("https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/" + id,
                    JsonReader.GetString(created, "approvalUrl"), "the approval link");
                Equal(id, JsonReader.GetString(JsonReader.ParseObject(client.GetAdminRelationship(id)), "id"), "get by id");

                bool listed = false;
                int pages = 0;
                using (AdminRelationshipPagesHandle cursor = client.ListAdminRelationships("{\"status\":\"approvalPending\",\"pageSize\":1}"))
                {
                    for (string page = cursor.Next(); page != null && pages < 1000; page = cursor.Next())
                    {
                        pages++;
                        foreach (object item in (List<object>)JsonReader.Parse(page))
                        {
                            Dictionary<string, object> relationship = (Dictionary<string, object>)item;
                            Equal("approvalPending", JsonReader.GetString(relationship, "status"), "filtered by status");
                            listed |= JsonReader.GetString(relationship, "id") == id;
                        }
                    }
                }
                Check(listed, "the new relationship is listed (" + pages + " pages of 1)");

                Admin("POST", "/_emulator/admin-relationships/" + id + "/approve", null);
                Dictionary<string, object> active = JsonReader.ParseObject(client.WaitForAdminRelationship(id, "{\"timeoutMs\":20000,\"pollIntervalMs\":200}"));
                Equal("active", JsonReader.GetString(active, "status"), "active after approval");
                Check(JsonReader.GetString(active, "endDateTime") != null, "an end date once active");

                string group = Guid.NewGuid().ToString();
                Dictionary<string, object> assigned = JsonReader.ParseObject(client.AssignAdminRelationshipAccess(id,
                    "{\"groupId\":" + Quote(group) + ",\"roles\":[\"" + DirectoryReaders + "\"]}"));
                Equal(group, Field(assigned, "accessContainer.accessContainerId"), "the security group");
                List<object> assignments = (List<object>)JsonReader.Parse(client.AdminRelationshipAssignments(id));
                Equal(1, assignments.Count, "one assignment listed");
                Equal(JsonReader.GetString(assigned, "id"), JsonReader.GetString((Dictionary<string, object>)assignments[0], "id"), "the one made");

                Dictionary<string, object> ended = JsonReader.ParseObject(client.TerminateAdminRelationship(id));
                Equal("terminationRequested", JsonReader.GetString(ended, "status"), "terminate requested");
                PartnerCenterException again = Fails("Conflict", delegate { client.TerminateAdminRelationship(id); });
                Equal("invalidStatusTransition", again.ServiceCode, "Graph's code");
            }
        }

        private static void AdminRelationshipArguments()
        {
            using (ClientHandle client = GraphClient())
            {
                Admin("DELETE", "/_emulator/requests", null);
                Fails("InvalidArgument", delegate { client.CreateAdminRelationship("{not json"); });
                Fails("InvalidArgument", delegate { client.CreateAdminRelationship("{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[]}"); });
                PartnerCenterException unknown = Fails("InvalidArgument", delegate
                {
                    client.CreateAdminRelationship("{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[\"Directory Reader\"]}");
                });
                Contains(unknown.Message, "Directory Readers", "near names");
                Fails("InvalidArgument", delegate
                {
                    client.CreateAdminRelationship("{\"displayName\":\"x\",\"duration\":\"P1D\",\"roles\":[\"Global Administrator\"],\"autoExtend\":true}");
                });
                Fails("InvalidArgument", delegate { client.GetAdminRelationship("../customers"); });
                Fails("InvalidArgument", delegate { client.WaitForAdminRelationship("abc", "{\"timeoutMs\":\"soon\"}"); });
                Fails("InvalidArgument", delegate { client.AssignAdminRelationshipAccess("abc", "{\"groupId\":\"not-a-guid\",\"roles\":[\"Directory Readers\"]}"); });
                Fails("InvalidArgument", delegate { client.ListAdminRelationships("{\"pageSize\":301}"); });
                Throws<ArgumentException>(delegate { client.GetAdminRelationship("abc\0def"); }, "a NUL in an id");
                Equal(0, GraphRequests(), "nothing sent to Graph");
                PartnerCenterException missing = Fails("NotFound", delegate { client.GetAdminRelationship("e1e1e1e1-0000-0000-0000-000000000000"); });
                Check(!string.IsNullOrEmpty(missing.RequestId), "Graph's request-id as RequestId");
            }
        }

        private static void AdminRelationshipWaitCancelled()
        {
            using (ClientHandle client = GraphClient())
            {
                string id = JsonReader.GetString(NewAdminRelationship(client, ""), "id");
                CancelledWhileWaiting(client, delegate
                {
                    client.WaitForAdminRelationship(id, "{\"timeoutMs\":60000,\"pollIntervalMs\":5000}");
                });
                Equal("approvalPending", JsonReader.GetString(JsonReader.ParseObject(client.GetAdminRelationship(id)), "status"), "later calls run");
            }
        }

        private static void RemoveRelationshipFlow()
        {
            Admin("POST", "/_emulator/reset", null);
            using (ClientHandle client = AppUserClient())
            {
                Dictionary<string, object> sample;
                using (CustomerPagesHandle pages = client.ListCustomers("{\"pageSize\":10}"))
                {
                    sample = (Dictionary<string, object>)((List<object>)JsonReader.Parse(pages.Next()))[3];
                }
                string id = JsonReader.GetString(sample, "id");
                string domain = Field(sample, "companyProfile.domain");
                string name = Field(sample, "companyProfile.companyName");

                Dictionary<string, object> removed = JsonReader.ParseObject(client.RemoveCustomerRelationship(id));
                Equal(id, JsonReader.GetString(removed, "id"), "the updated customer");
                Equal("none", JsonReader.GetString(removed, "relationshipToPartner"), "relationship removed");
                Dictionary<string, object> got = JsonReader.ParseObject(client.GetCustomer(id));
                Equal("none", JsonReader.GetString(got, "relationshipToPartner"), "still readable by id, without the relationship");
                Equal(false, got["allowDelegatedAccess"], "no delegated access");
                Equal(0, ListAll(client, "{\"domain\":" + Quote(domain) + "}", null).Count, "no longer listed");

                Admin("POST", "/_emulator/invitations/accept", AcceptJson(null, domain, name, 0));
                Dictionary<string, object> back = JsonReader.ParseObject(client.WaitForCustomer("{\"domain\":" + Quote(domain) + ",\"timeoutMs\":10000,\"pollIntervalMs\":200}"));
                Equal(id, JsonReader.GetString(back, "id"), "the same customer is back");
                Equal("reseller", JsonReader.GetString(back, "relationshipToPartner"), "with a reseller relationship");
                Equal(1, ListAll(client, "{\"domain\":" + Quote(domain) + "}", null).Count, "listed again");
            }
        }

        private static void RateLimitSurvived()
        {
            int? limit = EnvironmentInt("PARTNERCENTER_EMULATOR_RATE_LIMIT");
            if (!limit.HasValue)
            {
                Console.WriteLine("     (PARTNERCENTER_EMULATOR_RATE_LIMIT not set: the emulator's limit is unknown, skipped)");
                return;
            }
            Admin("POST", "/_emulator/reset", null);
            using (ClientHandle client = AppUserClient())
            {
                string id = FirstCustomerId(client);
                Admin("DELETE", "/_emulator/requests", null);
                int calls = limit.Value + 20;
                System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
                for (int i = 0; i < calls; i++)
                {
                    Equal(id, JsonReader.GetString(JsonReader.ParseObject(client.GetCustomer(id)), "id"), "call " + i + " succeeds");
                }
                int sent = CountRequests("GET", "/v1/customers/" + id);
                Check(sent > calls, "some requests were answered 429 and sent again after Retry-After (" + sent + " requests for " + calls + " calls)");
                Console.WriteLine("     " + calls + " calls, " + sent + " requests (" + (sent - calls) + " throttled), " + clock.ElapsedMilliseconds + " ms");
            }
            Admin("POST", "/_emulator/reset", null);
        }

        // ---- handles -----------------------------------------------------------------------------

        private static void CreateDisposeCycles()
        {
            Process self = Process.GetCurrentProcess();
            long memoryAt100 = 0;
            int threadsAt100 = 0;
            for (int i = 0; i < 1000; i++)
            {
                ClientHandle client = AppUserClient();
                if (i % 10 == 0)
                {
                    client.NewRelationshipRequestUrl();
                }
                client.Dispose();
                if (i == 99)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    self.Refresh();
                    memoryAt100 = self.WorkingSet64;
                    threadsAt100 = self.Threads.Count;
                }
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            self.Refresh();
            long growthKb = (self.WorkingSet64 - memoryAt100) / 1024;
            int threadGrowth = self.Threads.Count - threadsAt100;
            Console.WriteLine("    cycles: working set {0} KB at cycle 100, {1} KB growth by cycle 1000; threads {2} -> {3}",
                memoryAt100 / 1024, growthKb, threadsAt100, self.Threads.Count);
            Check(growthKb < 5 * 1024, "working set grew less than 5 MB over 900 cycles");
            Check(threadGrowth <= 0, "no new threads left behind");
        }

        private static void DisposeThenUse()
        {
            ClientHandle client = AppUserClient();
            Check(!client.IsInvalid && !client.IsClosed, "a live handle");
            client.NewRelationshipRequestUrl();
            client.Dispose();
            Check(client.IsClosed, "closed after Dispose");
            Check(client.IsInvalid, "invalid after Dispose");
            client.Dispose();
            Throws<ObjectDisposedException>(delegate
            {
                client.NewRelationshipRequestUrl();
            }, "use after dispose");
            Throws<ObjectDisposedException>(delegate
            {
                client.Info();
            }, "info after dispose");
            Throws<ObjectDisposedException>(delegate
            {
                client.RefreshToken();
            }, "refresh token after dispose");

            DeviceCodeHandle flow = DeviceCodeHandle.Start(Options(Join(Endpoint(), "client_id", ClientId)));
            flow.Dispose();
            Check(flow.IsClosed && flow.IsInvalid, "flow closed after Dispose");
            Throws<ObjectDisposedException>(delegate
            {
                flow.Cancel();
            }, "cancel after dispose");
            Admin("POST", "/_emulator/reset", null);
        }

        private static void FinalizersFree()
        {
            for (int i = 0; i < 50; i++)
            {
                AppUserClient();
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using (ClientHandle client = AppUserClient())
            {
                client.Info();
            }
        }

        private static void EightThreadsShareOneClient()
        {
            using (ClientHandle client = AppUserClient())
            {
                const int threads = 8;
                const int callsEach = 5;
                string[] urls = new string[threads * callsEach];
                Exception[] errors = new Exception[threads];
                Thread[] workers = new Thread[threads];
                ManualResetEvent go = new ManualResetEvent(false);
                for (int t = 0; t < threads; t++)
                {
                    int index = t;
                    workers[t] = new Thread(delegate ()
                    {
                        try
                        {
                            go.WaitOne();
                            for (int c = 0; c < callsEach; c++)
                            {
                                urls[index * callsEach + c] = client.NewRelationshipRequestUrl();
                            }
                        }
                        catch (Exception e)
                        {
                            errors[index] = e;
                        }
                    });
                    workers[t].Start();
                }
                go.Set();
                foreach (Thread worker in workers)
                {
                    Check(worker.Join(60000), "a worker finished");
                }
                for (int t = 0; t < threads; t++)
                {
                    Check(errors[t] == null, "thread " + t + ": " + (errors[t] == null ? "" : Describe(errors[t])));
                }
                foreach (string url in urls)
                {
                    Contains(url, PartnerId, "every thread got the link");
                }
            }
        }

        private static void RefreshTokenRotates()
        {
            string rotated;
            using (ClientHandle client = AppUserClient())
            {
                Equal(RefreshToken, Plain(client.RefreshToken()), "the given token before sign-in");
                client.SignIn();
                rotated = Plain(client.RefreshToken());
                Check(!string.IsNullOrEmpty(rotated), "a token after sign-in");
                Check(rotated != RefreshToken, "Entra ID (the emulator) rotated the token");
            }
            using (ClientHandle next = ClientHandle.Create(Options(Join(Endpoint(), "client_id", ClientId,
                "client_secret", ClientSecret, "refresh_token", rotated))))
            {
                CheckLink(JsonReader.ParseObject(next.NewRelationshipRequest()));
            }
        }

        private static void AppOnlyHasNoRefreshToken()
        {
            using (ClientHandle client = ClientHandle.Create(Options(Join(Endpoint(), "client_id", ClientId, "client_secret", ClientSecret))))
            {
                Fails("InvalidArgument", delegate
                {
                    client.RefreshToken();
                });
            }
        }

        // ---- device code -------------------------------------------------------------------------

        private sealed class WaitResult
        {
            public ClientHandle Client;
            public Exception Error;
        }

        private static Thread StartWaiting(DeviceCodeHandle flow, WaitResult result)
        {
            Thread waiter = new Thread(delegate ()
            {
                try
                {
                    result.Client = flow.Wait();
                }
                catch (Exception e)
                {
                    result.Error = e;
                }
            });
            waiter.IsBackground = true;
            waiter.Start();
            return waiter;
        }

        private static Dictionary<string, object> Prompt(DeviceCodeHandle flow)
        {
            Dictionary<string, object> prompt = JsonReader.ParseObject(flow.PromptJson);
            string userCode = JsonReader.GetString(prompt, "userCode");
            Check(!string.IsNullOrEmpty(userCode), "a user code");
            Check(!string.IsNullOrEmpty(JsonReader.GetString(prompt, "verificationUri")), "a verification address");
            Contains(JsonReader.GetString(prompt, "message"), userCode, "the message shows the code");
            Check(JsonReader.GetDouble(prompt, "expiresIn") > 0, "expiresIn");
            Check(JsonReader.GetDouble(prompt, "interval") > 0, "interval");
            return prompt;
        }

        private static void DeviceCodeApproved()
        {
            using (DeviceCodeHandle flow = DeviceCodeHandle.Start(Options(Join(Endpoint(), "client_id", ClientId))))
            {
                string userCode = JsonReader.GetString(Prompt(flow), "userCode");
                WaitResult result = new WaitResult();
                Thread waiter = StartWaiting(flow, result);
                Thread.Sleep(1500);
                Check(waiter.IsAlive, "wait blocks until the user acts");
                Admin("POST", "/_emulator/device/approve", "{\"userCode\":" + Quote(userCode) + "}");
                Check(waiter.Join(30000), "wait returned after approval");
                Check(result.Error == null, "approved: " + (result.Error == null ? "" : Describe(result.Error)));
                using (ClientHandle client = result.Client)
                {
                    Equal("refresh_token", JsonReader.GetString(JsonReader.ParseObject(client.Info()), "credentialKind"), "credential kind");
                    CheckLink(JsonReader.ParseObject(client.NewRelationshipRequest()));
                    Check(Plain(client.RefreshToken()).Length > 0, "a refresh token to persist");
                }
            }
        }

        private static void DeviceCodeStartWaitApproved()
        {
            using (DeviceCodeHandle flow = DeviceCodeHandle.Start(Options(Join(Endpoint(), "client_id", ClientId))))
            {
                string userCode = JsonReader.GetString(Prompt(flow), "userCode");
                System.Threading.Tasks.Task<ClientHandle> wait = flow.StartWait();
                Check(!wait.Wait(1200), "the task waits for the user");
                Admin("POST", "/_emulator/device/approve", "{\"userCode\":" + Quote(userCode) + "}");
                Check(wait.Wait(30000), "the task finished after approval");
                using (ClientHandle client = wait.Result)
                {
                    Contains(client.NewRelationshipRequestUrl(), PartnerId, "the link");
                }
            }
            using (DeviceCodeHandle flow = DeviceCodeHandle.Start(Options(Join(Endpoint(), "client_id", ClientId))))
            {
                System.Threading.Tasks.Task<ClientHandle> wait = flow.StartWait();
                flow.Cancel();
                AggregateException e = Throws<AggregateException>(delegate
                {
                    wait.Wait(30000);
                }, "a cancelled task");
                PartnerCenterException inner = e.InnerException as PartnerCenterException;
                Check(inner != null && inner.Kind == "Cancelled", "Cancelled inside: " + e.InnerException);
            }
        }

        private static void DeviceCodeDeclined()
        {
            using (DeviceCodeHandle flow = DeviceCodeHandle.Start(Options(Join(Endpoint(), "client_id", ClientId))))
            {
                string userCode = JsonReader.GetString(Prompt(flow), "userCode");
                WaitResult result = new WaitResult();
                Thread waiter = StartWaiting(flow, result);
                Thread.Sleep(500);
                Admin("POST", "/_emulator/device/decline", "{\"userCode\":" + Quote(userCode) + "}");
                Check(waiter.Join(30000), "wait returned after decline");
                PartnerCenterException e = result.Error as PartnerCenterException;
                Check(e != null, "a PartnerCenterException, got " + (result.Error == null ? "a client" : Describe(result.Error)));
                Equal("DeviceCodeDeclined", e.Kind, "kind");
                Equal("PC_ERR_DEVICE_CODE_DECLINED", e.StatusName, "status name");
            }
        }

        private static void DeviceCodeCancelled()
        {
            using (DeviceCodeHandle flow = DeviceCodeHandle.Start(Options(Join(Endpoint(), "client_id", ClientId))))
            {
                Prompt(flow);
                WaitResult result = new WaitResult();
                Thread waiter = StartWaiting(flow, result);
                Thread.Sleep(500);
                flow.Cancel();
                Check(waiter.Join(30000), "wait returned after cancel");
                PartnerCenterException e = result.Error as PartnerCenterException;
                Check(e != null, "a PartnerCenterException, got " + (result.Error == null ? "a client" : Describe(result.Error)));
                Equal("Cancelled", e.Kind, "kind");
            }
            Admin("POST", "/_emulator/reset", null);
        }
    }
}
