using System;
using System.Collections.Generic;

namespace PartnerCenterNative;

/// <summary>
/// A Partner Center connection (PartnerCenterNative.Connection), never holding a secret:
/// Get-PCAuthentication adds the current refresh token as a SecureString note property.
/// </summary>
public sealed class Connection
{
    internal Connection(string infoJson, string? applicationId)
    {
        Dictionary<string, object?> info = JsonReader.ParseObject(infoJson);
        Tenant = JsonReader.GetString(info, "tenant");
        Environment = JsonReader.GetString(info, "environment") switch
        {
            "global" => "Global",
            "usgov" => "USGov",
            "china" => "China",
            string other => other,
            null => null,
        };
        CredentialKind = JsonReader.GetString(info, "credentialKind") switch
        {
            "refresh_token" => "RefreshToken",
            "app_only" => "ApplicationSecret",
            "access_token" => "AccessToken",
            string other => other,
            null => null,
        };
        ApplicationId = string.IsNullOrEmpty(applicationId) ? null : applicationId;
        double? expiresIn = JsonReader.GetDouble(info, "tokenExpiresInSeconds");
        ExpiresOn = expiresIn is null ? null : DateTimeOffset.Now.AddSeconds(Math.Min(expiresIn.Value, 1e9));
        BaseUrl = JsonReader.GetString(info, "baseUrl");
        GraphBaseUrl = JsonReader.GetString(info, "graphBaseUrl");
        CorrelationId = JsonReader.GetString(info, "correlationId");
    }

    /// <summary>The partner's tenant (id or domain), as signed in.</summary>
    public string? Tenant { get; }

    /// <summary>Global, USGov or China.</summary>
    public string? Environment { get; }

    /// <summary>RefreshToken (App+User), ApplicationSecret (app-only) or AccessToken.</summary>
    public string? CredentialKind { get; }

    /// <summary>The application (client) id, when the connection has one.</summary>
    public string? ApplicationId { get; }

    /// <summary>When the current access token expires, if one was got.</summary>
    public DateTimeOffset? ExpiresOn { get; }

    /// <summary>The Partner Center API address.</summary>
    public string? BaseUrl { get; }

    /// <summary>The Microsoft Graph address of the admin relationship (GDAP) cmdlets.</summary>
    public string? GraphBaseUrl { get; }

    /// <summary>The MS-CorrelationId of every request of this connection.</summary>
    public string? CorrelationId { get; }
}
