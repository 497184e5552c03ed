using System.Collections.Generic;
using System.Linq;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Set-PCCustomerBillingProfile: stores a changed profile, guarded by its ETag.</summary>
[Cmdlet(VerbsCommon.Set, "PCCustomerBillingProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(BillingProfile))]
public sealed class SetPCCustomerBillingProfileCommand : PCCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string CustomerIdSet = "CustomerId";

    // Parameter -> field of the profile, and of its defaultAddress.
    private static readonly (string Parameter, string Field)[] ProfileFields =
    {
        (nameof(FirstName), "firstName"), (nameof(LastName), "lastName"), (nameof(Email), "email"),
        (nameof(Culture), "culture"), (nameof(Language), "language"), (nameof(CompanyName), "companyName"),
    };

    private static readonly (string Parameter, string Field)[] AddressFields =
    {
        (nameof(AddressLine1), "addressLine1"), (nameof(AddressLine2), "addressLine2"), (nameof(City), "city"),
        (nameof(State), "state"), (nameof(PostalCode), "postalCode"), (nameof(Country), "country"),
        (nameof(Region), "region"), (nameof(PhoneNumber), "phoneNumber"),
    };

    private ClientHandle? client;

    /// <summary>
    /// A profile from Get-PCCustomerBillingProfile, possibly changed (also a copy of one, e.g.
    /// from Select-Object, a job or Import-Clixml). Any other piped object with a CustomerId or
    /// Id (a customer) has its profile read first, as with -CustomerId.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>The customer whose profile is read, changed and stored.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CustomerIdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string CustomerId { get; set; } = "";

    /// <summary>firstName.</summary>
    [Parameter]
    public string? FirstName { get; set; }

    /// <summary>lastName.</summary>
    [Parameter]
    public string? LastName { get; set; }

    /// <summary>email.</summary>
    [Parameter]
    public string? Email { get; set; }

    /// <summary>culture.</summary>
    [Parameter]
    public string? Culture { get; set; }

    /// <summary>language.</summary>
    [Parameter]
    public string? Language { get; set; }

    /// <summary>companyName.</summary>
    [Parameter]
    public string? CompanyName { get; set; }

    /// <summary>defaultAddress.addressLine1.</summary>
    [Parameter]
    public string? AddressLine1 { get; set; }

    /// <summary>defaultAddress.addressLine2.</summary>
    [Parameter]
    public string? AddressLine2 { get; set; }

    /// <summary>defaultAddress.city.</summary>
    [Parameter]
    public string? City { get; set; }

    /// <summary>defaultAddress.state.</summary>
    [Parameter]
    public string? State { get; set; }

    /// <summary>defaultAddress.postalCode.</summary>
    [Parameter]
    public string? PostalCode { get; set; }

    /// <summary>defaultAddress.country.</summary>
    [Parameter]
    public string? Country { get; set; }

    /// <summary>defaultAddress.region.</summary>
    [Parameter]
    public string? Region { get; set; }

    /// <summary>defaultAddress.phoneNumber.</summary>
    [Parameter]
    public string? PhoneNumber { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing() => client = RequireClient();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string? id;
        OrderedDictionary? changed;
        PSObject? readFirst = null;
        string? pipedId = ParameterSetName == InputObjectSet && !IsBillingProfile(InputObject!) ? IdOf(InputObject!) : null;
        if (ParameterSetName == CustomerIdSet || pipedId is not null)
        {
            id = pipedId ?? CustomerId;
            string? json = Call(() => client!.GetBillingProfile(id), id, terminating: false);
            if (json is null)
            {
                return;
            }
            var read = new BillingProfile(JsonReader.ParseObject(json), id);
            readFirst = read.ToPSObject();
            changed = ToTree(readFirst, id);
        }
        else
        {
            id = IdOf(InputObject!);
            if (string.IsNullOrEmpty(id))
            {
                WriteError(ErrorRecords.Create(
                    "The billing profile has no CustomerId: pass a profile from Get-PCCustomerBillingProfile, or use -CustomerId.",
                    "PartnerCenterNative.InvalidArgument", ErrorCategory.InvalidArgument, InputObject));
                return;
            }
            // A copy to change: the caller's object stays as it was read.
            changed = ToTree(InputObject!, id!);
        }
        if (changed is null)
        {
            return;
        }
        List<string> names = ApplyParameters(changed);
        if (readFirst is not null && names.Count == 0)
        {
            WriteVerbose("No field to change in the billing profile of customer " + id + "; nothing was sent.");
            WriteObject(readFirst);
            return;
        }
        string action = names.Count > 0 ? "Set " + string.Join(", ", names) : "Store the billing profile as given";
        if (!ShouldProcess("billing profile of customer " + id, action))
        {
            return;
        }

        string body;
        using (var json = new JsonWriter())
        {
            try
            {
                json.Value(changed, 0);
            }
            catch (System.InvalidOperationException e)
            {
                WriteError(ErrorRecords.FromException(e, id));
                return;
            }
            body = json.ToString();
        }
        string? stored = null;
        try
        {
            ThrowIfStopping();
            stored = Counted(() => client!.UpdateBillingProfile(id!, body));
        }
        catch (System.Exception e) when (IsCallFailure(e))
        {
            ThrowIfStopping();
            ErrorRecord record = ErrorRecords.FromException(e, id);
            if (e is PartnerCenterException { Kind: nameof(Status.Conflict) })
            {
                string message = string.Format(CultureInfo.InvariantCulture,
                    "The billing profile of customer {0} changed on the service since it was read (ETag {1}); nothing was overwritten. {2}",
                    id, ETagOf(changed), record.ErrorDetails?.Message);
                record.ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "Get the profile again with Get-PCCustomerBillingProfile, reapply the change and set it again.",
                };
            }
            WriteError(record);
            return;
        }
        WriteObject(new BillingProfile(JsonReader.ParseObject(stored), id!).ToPSObject());
    }

    /// <summary>A profile of this module, or a copy of one (Selected., Deserialized.).</summary>
    private static bool IsBillingProfile(PSObject value) =>
        value.BaseObject is BillingProfile ||
        value.TypeNames.Any(name => name.EndsWith("PartnerCenterNative.BillingProfile", System.StringComparison.Ordinal));

    private static string? IdOf(PSObject value) =>
        value.BaseObject is BillingProfile profile ? profile.CustomerId
            : (value.Properties["CustomerId"]?.Value ?? value.Properties["Id"]?.Value)?.ToString();

    /// <summary>
    /// The profile as the service reads it: this module's object by its service fields, a copy
    /// by its properties (the documented fields back in the service's spelling); without the
    /// properties this module adds. Null (and an error written) when it cannot be sent.
    /// </summary>
    private OrderedDictionary? ToTree(PSObject value, string id)
    {
        try
        {
            if (value.BaseObject is BillingProfile profile)
            {
                return profile.ToTree(value, 0);
            }
            OrderedDictionary copy = PSJson.Properties(value, 0,
                property => BillingProfile.Added.Any(added => string.Equals(added, property.Name, System.StringComparison.OrdinalIgnoreCase)));
            OrderedDictionary tree = PSJson.NewObject();
            foreach (System.Collections.DictionaryEntry member in copy)
            {
                string name = (string)member.Key;
                string field = BillingProfile.Fields.FirstOrDefault(known => string.Equals(known, name, System.StringComparison.OrdinalIgnoreCase)) ?? name;
                tree[field] = member.Value;
            }
            return tree;
        }
        catch (System.InvalidOperationException e)
        {
            WriteError(ErrorRecords.FromException(e, id));
            return null;
        }
    }

    private static string? ETagOf(OrderedDictionary profile) =>
        profile["attributes"] is OrderedDictionary attributes ? attributes["etag"]?.ToString() : null;

    private List<string> ApplyParameters(OrderedDictionary profile)
    {
        Dictionary<string, object> bound = MyInvocation.BoundParameters;
        var names = new List<string>();
        foreach ((string parameter, string field) in ProfileFields)
        {
            if (bound.TryGetValue(parameter, out object? value))
            {
                PSJson.Set(profile, field, value);
                names.Add(field);
            }
        }
        foreach ((string parameter, string field) in AddressFields)
        {
            if (bound.TryGetValue(parameter, out object? value))
            {
                if (profile["defaultAddress"] is not OrderedDictionary address)
                {
                    address = PSJson.NewObject();
                    PSJson.Set(profile, "defaultAddress", address);
                }
                PSJson.Set(address, field, value);
                names.Add("defaultAddress." + field);
            }
        }
        return names;
    }
}
