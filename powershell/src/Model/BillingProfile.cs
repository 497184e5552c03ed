using System.Collections.Generic;

namespace PartnerCenterNative;

/// <summary>
/// A customer's billing (bill-to) profile (PartnerCenterNative.BillingProfile): the whole
/// service object, unknown fields and attributes.etag included, plus the CustomerId it belongs
/// to. Set-PCCustomerBillingProfile sends it back as it is then, minus CustomerId.
/// </summary>
public sealed class BillingProfile : ServiceObject
{
    /// <summary>The documented fields, as the service spells them.</summary>
    internal static readonly string[] Fields =
    {
        "id", "firstName", "lastName", "email", "culture", "language", "companyName", "defaultAddress", "links", "attributes",
    };

    /// <summary>The properties this module adds, never sent back.</summary>
    internal static readonly string[] Added = { nameof(CustomerId), nameof(ETag) };

    internal BillingProfile(Dictionary<string, object?> json, string customerId)
        : base(json, Fields)
    {
        CustomerId = customerId;
        Id = JsonReader.GetString(json, "id");
        FirstName = JsonReader.GetString(json, "firstName");
        LastName = JsonReader.GetString(json, "lastName");
        Email = JsonReader.GetString(json, "email");
        Culture = JsonReader.GetString(json, "culture");
        Language = JsonReader.GetString(json, "language");
        CompanyName = JsonReader.GetString(json, "companyName");
        DefaultAddress = Nested(json, "defaultAddress");
        Links = Nested(json, "links");
        Attributes = Nested(json, "attributes");
    }

    /// <summary>The customer this profile belongs to.</summary>
    public string CustomerId { get; }

    /// <summary>firstName.</summary>
    public string? FirstName { get; set; }

    /// <summary>lastName.</summary>
    public string? LastName { get; set; }

    /// <summary>email.</summary>
    public string? Email { get; set; }

    /// <summary>companyName.</summary>
    public string? CompanyName { get; set; }

    /// <summary>culture, e.g. en-US.</summary>
    public string? Culture { get; set; }

    /// <summary>language, e.g. en.</summary>
    public string? Language { get; set; }

    /// <summary>defaultAddress: country, region, city, state, addressLine1/2, postalCode, phoneNumber, ...</summary>
    public object? DefaultAddress { get; set; }

    /// <summary>id.</summary>
    public string? Id { get; set; }

    /// <summary>links.</summary>
    public object? Links { get; set; }

    /// <summary>attributes: etag (the version that was read) and objectType.</summary>
    public object? Attributes { get; set; }

    /// <summary>attributes.etag: the version an update is checked against, or null.</summary>
    public string? ETag => NestedString(Attributes, "etag");

    private protected override string[] Derived => Added;
}
