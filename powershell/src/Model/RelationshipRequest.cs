using System.Collections.Generic;

namespace PartnerCenterNative;

/// <summary>
/// The reseller-relationship request (PartnerCenterNative.RelationshipRequest): url is the
/// invitation link to send to customers; RequestId and CorrelationId are for support tickets.
/// </summary>
public sealed class RelationshipRequest : ServiceObject
{
    internal RelationshipRequest(Dictionary<string, object?> json)
        : base(json, "url", "attributes", "requestId", "correlationId")
    {
        Url = JsonReader.GetString(json, "url");
        Attributes = Nested(json, "attributes");
        RequestId = JsonReader.GetString(json, "requestId");
        CorrelationId = JsonReader.GetString(json, "correlationId");
    }

    /// <summary>The invitation link: (New-PCRelationshipRequest).url.</summary>
    public string? Url { get; }

    /// <summary>attributes (objectType as the service reported it).</summary>
    public object? Attributes { get; }

    /// <summary>The MS-RequestId of the request.</summary>
    public string? RequestId { get; }

    /// <summary>The MS-CorrelationId of the connection.</summary>
    public string? CorrelationId { get; }

    /// <summary>The link.</summary>
    public override string ToString() => Url ?? "";
}
