using System.Collections.Generic;
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

    /// <summary>A profile from Get-PCCustomerBillingProfile, possibly changed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public BillingProfile? InputObject { get; set; }

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
        BillingProfile? source;
        string id;
        if (ParameterSetName == CustomerIdSet)
        {
            id = CustomerId;
            string? json = Call(() => client!.GetBillingProfile(id), id, terminating: false);
            if (json is null)
            {
                return;
            }
            source = new BillingProfile(JsonReader.ParseObject(json), id);
        }
        else
        {
            source = InputObject!;
            id = source.CustomerId;
            if (string.IsNullOrEmpty(id))
            {
                WriteError(ErrorRecords.Create(
                    "The billing profile has no CustomerId: pass a profile from Get-PCCustomerBillingProfile, or use -CustomerId.",
                    "PartnerCenterNative.InvalidArgument", ErrorCategory.InvalidArgument, InputObject));
                return;
            }
        }
        // For a piped profile, AsPSObject finds the wrapper's note properties again (the
        // service's unknown fields, and members added with Add-Member).
        PSObject wrapper = ParameterSetName == CustomerIdSet ? source.ToPSObject() : PSObject.AsPSObject(source);

        // A copy to change: the caller's object stays as it was read.
        OrderedDictionary changed;
        try
        {
            changed = source.ToTree(wrapper, 0);
        }
        catch (System.InvalidOperationException e)
        {
            WriteError(ErrorRecords.FromException(e, id));
            return;
        }
        List<string> names = ApplyParameters(changed);
        if (ParameterSetName == CustomerIdSet && names.Count == 0)
        {
            WriteVerbose("No field to change in the billing profile of customer " + id + "; nothing was sent.");
            WriteObject(wrapper);
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
            stored = client!.UpdateBillingProfile(id, body);
        }
        catch (PartnerCenterException e)
        {
            ThrowIfStopping();
            ErrorRecord record = ErrorRecords.FromException(e, id);
            if (e.Kind == nameof(Status.Conflict))
            {
                string message = string.Format(CultureInfo.InvariantCulture,
                    "The billing profile of customer {0} changed on the service since it was read (ETag {1}); nothing was overwritten. {2}",
                    id, source.ETag, record.ErrorDetails?.Message);
                record.ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "Get the profile again with Get-PCCustomerBillingProfile, reapply the change and set it again.",
                };
            }
            WriteError(record);
            return;
        }
        WriteObject(new BillingProfile(JsonReader.ParseObject(stored), id).ToPSObject());
    }

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
