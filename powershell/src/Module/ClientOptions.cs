using System;
using System.Security;

namespace PartnerCenterNative;

/// <summary>
/// The options of pc_client_new, as the cmdlets gather them. Unset options are left out, so the
/// library's defaults apply. Secrets stay SecureStrings until they are written into the wiped
/// buffer handed to the library (<see cref="JsonWriter.SecretMember"/>).
/// </summary>
internal sealed class ClientOptions
{
    internal string Environment { get; set; } = "Global";

    internal string? BaseUrl { get; set; }

    internal string? GraphBaseUrl { get; set; }

    internal string? Authority { get; set; }

    internal string? Tenant { get; set; }

    internal string? ClientId { get; set; }

    internal string? CorrelationId { get; set; }

    internal SecureString? RefreshToken { get; set; }

    internal SecureString? ClientSecret { get; set; }

    internal SecureString? AccessToken { get; set; }

    /// <summary>pc_client_new with these options (no network traffic).</summary>
    internal ClientHandle CreateClient()
    {
        using JsonWriter json = Write(withSecrets: true);
        IntPtr native = json.ToNative();
        try
        {
            return ClientHandle.Create(native);
        }
        finally
        {
            Utf8.FreeNative(native);
        }
    }

    /// <summary>pc_device_code_start with these options (credentials are not used by it).</summary>
    internal DeviceCodeHandle StartDeviceCode()
    {
        using JsonWriter json = Write(withSecrets: false);
        return DeviceCodeHandle.Start(json.ToString());
    }

    private JsonWriter Write(bool withSecrets)
    {
        var json = new JsonWriter();
        json.BeginObject();
        json.Member("environment", Environment.ToLowerInvariant());
        json.Member("base_url", BaseUrl);
        json.Member("graph_base_url", GraphBaseUrl);
        json.Member("authority", Authority);
        json.Member("tenant", Tenant);
        json.Member("client_id", ClientId);
        json.Member("correlation_id", CorrelationId);
        if (withSecrets)
        {
            json.SecretMember("refresh_token", RefreshToken);
            json.SecretMember("client_secret", ClientSecret);
            json.SecretMember("access_token", AccessToken);
        }
        json.EndObject();
        return json;
    }
}
