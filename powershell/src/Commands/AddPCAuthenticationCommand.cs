using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using System.Threading.Tasks;

namespace PartnerCenterNative.Commands;

/// <summary>Add-PCAuthentication: signs in and makes the connection of this session (runspace).</summary>
[Cmdlet(VerbsCommon.Add, "PCAuthentication", DefaultParameterSetName = RefreshTokenSet)]
[OutputType(typeof(Connection))]
public sealed class AddPCAuthenticationCommand : PCCmdlet
{
    private const string RefreshTokenSet = "RefreshToken";
    private const string ApplicationSecretSet = "ApplicationSecret";
    private const string CredentialSet = "Credential";
    private const string AccessTokenSet = "AccessToken";
    private const string DeviceCodeSet = "DeviceCode";

    /// <summary>The application (client) id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RefreshTokenSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = ApplicationSecretSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = DeviceCodeSet, ValueFromPipelineByPropertyName = true)]
    [Alias("CspAppId", "ClientId", "AppId")]
    [ValidateNotNullOrEmpty]
    public string ApplicationId { get; set; } = "";

    /// <summary>The partner's tenant id or domain.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RefreshTokenSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = ApplicationSecretSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = DeviceCodeSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = AccessTokenSet, ValueFromPipelineByPropertyName = true)]
    [Alias("CspDomain", "TenantId", "Domain")]
    [ValidateNotNullOrEmpty]
    public string? Tenant { get; set; }

    /// <summary>An App+User refresh token (with a secret too, for a confidential application).</summary>
    [Parameter(Mandatory = true, ParameterSetName = RefreshTokenSet)]
    [Parameter(ParameterSetName = ApplicationSecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [ValidateNotNull]
    public SecureString? RefreshToken { get; set; }

    // The secret is mandatory in its own sets and absent from RefreshToken: had it been optional
    // there, the default set would win a call with the secret alone and demand a refresh token.

    /// <summary>The application's client secret.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ApplicationSecretSet)]
    [Alias("CspClientSecret", "ClientSecret")]
    [ValidateNotNull]
    public SecureString? ApplicationSecret { get; set; }

    /// <summary>The application secret as a PSCredential whose user name is the application id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>An access token obtained elsewhere.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    [ValidateNotNull]
    public SecureString? AccessToken { get; set; }

    /// <summary>Sign in with the device-code flow.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DeviceCodeSet)]
    [Alias("DeviceCode")]
    public SwitchParameter UseDeviceAuthentication { get; set; }

    /// <summary>Global, USGov or China.</summary>
    [Parameter]
    [ValidateSet("Global", "USGov", "China")]
    public string Environment { get; set; } = "Global";

    /// <summary>Overrides the Partner Center API address.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    /// <summary>Overrides the Microsoft Graph address of the admin relationship (GDAP) cmdlets.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GraphBaseUrl { get; set; }

    /// <summary>Overrides the Entra ID sign-in address.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Authority { get; set; }

    /// <summary>The MS-CorrelationId of the connection.</summary>
    [Parameter]
    public Guid CorrelationId { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string set = ParameterSetName;
        Dictionary<string, object> bound = MyInvocation.BoundParameters;
        SecureString? secret = ApplicationSecret;
        if (Credential is not null)
        {
            string userName = (Credential.UserName ?? "").TrimStart('\\');
            if (!string.Equals(userName, ApplicationId, StringComparison.OrdinalIgnoreCase))
            {
                ThrowTerminatingError(ErrorRecords.Create(
                    "Signing in with a user name and password (-Credential for " + userName + ") is not supported: Partner Center requires multi-factor authentication (MFA) for App+User access, and password sign-in cannot satisfy it. Sign in interactively with -UseDeviceAuthentication, or pass a refresh token from the secure application model with -RefreshToken. To give an application secret as a PSCredential instead, use the application id (" + ApplicationId + ") as its user name.",
                    "PartnerCenterNative.PasswordSignInNotSupported", ErrorCategory.InvalidArgument, userName,
                    "Use Add-PCAuthentication -UseDeviceAuthentication, or -RefreshToken."));
            }
            if (ApplicationSecret is not null)
            {
                ThrowTerminatingError(ErrorRecords.Create(
                    "Give the application secret once: with -ApplicationSecret or with -Credential, not both.",
                    "PartnerCenterNative.InvalidArgument", ErrorCategory.InvalidArgument, ApplicationId));
            }
            secret = Credential.Password;
        }

        string? applicationId = set == AccessTokenSet ? null : ApplicationId;
        var options = new ClientOptions
        {
            Environment = Environment,
            BaseUrl = BaseUrl,
            GraphBaseUrl = GraphBaseUrl,
            Authority = Authority,
            Tenant = Tenant,
            ClientId = applicationId,
            CorrelationId = bound.ContainsKey(nameof(CorrelationId)) ? CorrelationId.ToString() : null,
        };
        // A refresh token makes it App+User whatever the set; the secret then only says the
        // application is confidential.
        options.RefreshToken = RefreshToken;
        options.ClientSecret = secret;
        options.AccessToken = AccessToken;

        object? target = Tenant ?? BaseUrl;
        ClientHandle? client = null;
        string info;
        try
        {
            client = set == DeviceCodeSet ? SignInWithDeviceCode(options) : options.CreateClient();
            Watch(client);
            info = client.SignIn();
        }
        catch (Exception e) when (IsCallFailure(e))
        {
            client?.Dispose();
            Fail(e, target, terminating: true);
            return;
        }
        catch
        {
            client?.Dispose();
            throw;
        }
        finally
        {
            Watch((ClientHandle?)null);
        }

        Sessions.Replace(new Session(client, applicationId));
        WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Signed in to Partner Center ({0}) for tenant {1}.", Environment, Tenant));
        WriteObject(new Connection(info, applicationId));
    }

    private ClientHandle SignInWithDeviceCode(ClientOptions options)
    {
        // Asking Entra ID for a code is one request that nothing can cancel: wait for it on
        // another thread so that Ctrl+C still ends the command at once.
        using DeviceCodeHandle flow = WaitUnlessStopped(options.StartDeviceCode, started => started.Dispose());
        Dictionary<string, object?> prompt = JsonReader.ParseObject(flow.PromptJson);
        string message = JsonReader.GetString(prompt, "message") ?? "";
        ShowToUser(message);
        double expiresIn = JsonReader.GetDouble(prompt, "expiresIn") ?? 900;
        WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Waiting for the sign-in with code {0} at {1} (expires in {2} s).",
            JsonReader.GetString(prompt, "userCode"), JsonReader.GetString(prompt, "verificationUri"), expiresIn));

        Watch(flow);
        Task<ClientHandle> wait = flow.StartWait();
        const string activity = "Waiting for the device-code sign-in";
        bool returned = false;
        try
        {
            ClientHandle client = WaitShowingProgress(wait, elapsed =>
            {
                double left = Math.Max(0, expiresIn - elapsed.TotalSeconds);
                WriteProgress(new ProgressRecord(1, activity, message.Length > 0 ? message : activity)
                {
                    PercentComplete = (int)Math.Min(100, elapsed.TotalSeconds * 100 / Math.Max(1, expiresIn)),
                    SecondsRemaining = (int)Math.Ceiling(left),
                });
            });
            returned = true;
            return client;
        }
        finally
        {
            Watch((DeviceCodeHandle?)null);
            CompleteProgress(1, activity);
            // Not handed to the caller (a stop, a failed progress write): the wait may still
            // have produced a client, which holds a refresh token; free it now.
            if (!returned && wait.Status == TaskStatus.RanToCompletion)
            {
                wait.Result.Dispose();
            }
        }
    }

    /// <summary>
    /// The code and address must reach the user: on the information stream, shown by the host
    /// unless the caller chose otherwise with -InformationAction or $InformationPreference.
    /// </summary>
    private void ShowToUser(string message)
    {
        WriteInformation(new InformationRecord(message, "Add-PCAuthentication") { Tags = { "PartnerCenterNative.DeviceCode" } });
        bool chosen = MyInvocation.BoundParameters.ContainsKey("InformationAction");
        object? preference = GetVariableValue("InformationPreference");
        bool shownAnyway = preference is ActionPreference p && p is ActionPreference.Continue or ActionPreference.Inquire;
        if (!chosen && !shownAnyway)
        {
            Host.UI.WriteLine(message);
        }
    }
}
