using System;
using System.Collections.Generic;
using System.Globalization;

namespace PartnerCenterNative;

/// <summary>Readers for the fields Microsoft Graph's admin relationship objects share.</summary>
internal static class GraphFields
{
    /// <summary>An ISO 8601 timestamp member (Graph's are UTC), or null when absent, null or unreadable.</summary>
    internal static DateTimeOffset? GetDate(Dictionary<string, object?> json, string key) =>
        JsonReader.GetString(json, key) is string text &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value)
            ? value
            : null;

    /// <summary>The role template ids of accessDetails.unifiedRoles[].roleDefinitionId, in order.</summary>
    internal static string[] RoleDefinitionIds(Dictionary<string, object?> json)
    {
        var ids = new List<string>();
        if (JsonReader.GetObject(json, "accessDetails") is { } details &&
            details.TryGetValue("unifiedRoles", out object? roles) && roles is List<object?> list)
        {
            foreach (object? role in list)
            {
                if (JsonReader.GetString(role as Dictionary<string, object?>, "roleDefinitionId") is string id)
                {
                    ids.Add(id);
                }
            }
        }
        return ids.ToArray();
    }
}
