using System.Collections.Generic;

namespace PartnerCenterNative;

/// <summary>
/// A customer (PartnerCenterNative.Customer): the service's fields, every unknown one kept, plus
/// the convenient CustomerId, Domain, CompanyName and TenantId taken from them.
/// </summary>
public sealed class Customer : ServiceObject
{
    internal Customer(Dictionary<string, object?> json)
        : base(json, "id", "commerceId", "companyProfile", "relationshipToPartner", "allowDelegatedAccess",
            "billingProfile", "links", "attributes")
    {
        Id = JsonReader.GetString(json, "id");
        CommerceId = JsonReader.GetString(json, "commerceId");
        CompanyProfile = Nested(json, "companyProfile");
        RelationshipToPartner = JsonReader.GetString(json, "relationshipToPartner");
        AllowDelegatedAccess = JsonReader.GetBool(json, "allowDelegatedAccess");
        BillingProfile = Nested(json, "billingProfile");
        Links = Nested(json, "links");
        Attributes = Nested(json, "attributes");
        CustomerId = Id;
        Domain = NestedString(CompanyProfile, "domain");
        CompanyName = NestedString(CompanyProfile, "companyName");
        TenantId = NestedString(CompanyProfile, "tenantId");
    }

    /// <summary>The customer's id (id), for piping into the other cmdlets.</summary>
    public string? CustomerId { get; }

    /// <summary>The primary domain (companyProfile.domain).</summary>
    public string? Domain { get; }

    /// <summary>The company name (companyProfile.companyName).</summary>
    public string? CompanyName { get; }

    /// <summary>The customer's tenant id (companyProfile.tenantId).</summary>
    public string? TenantId { get; }

    /// <summary>The partner's relationship: reseller, advisor, none, ...</summary>
    public string? RelationshipToPartner { get; set; }

    /// <summary>id.</summary>
    public string? Id { get; set; }

    /// <summary>commerceId.</summary>
    public string? CommerceId { get; set; }

    /// <summary>companyProfile: tenantId, domain, companyName and what else the service sends.</summary>
    public object? CompanyProfile { get; set; }

    /// <summary>allowDelegatedAccess (only when the customer was got by id).</summary>
    public bool? AllowDelegatedAccess { get; set; }

    /// <summary>billingProfile, when the service includes it.</summary>
    public object? BillingProfile { get; set; }

    /// <summary>links.</summary>
    public object? Links { get; set; }

    /// <summary>attributes (objectType).</summary>
    public object? Attributes { get; set; }

    private protected override string[] Derived => new[] { nameof(CustomerId), nameof(Domain), nameof(CompanyName), nameof(TenantId) };

    /// <summary>The customer's id.</summary>
    public override string ToString() => CustomerId ?? "";
}
