using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Get-PCCustomerBillingProfile: a customer's whole billing profile, with its ETag.</summary>
[Cmdlet(VerbsCommon.Get, "PCCustomerBillingProfile")]
[OutputType(typeof(BillingProfile))]
public sealed class GetPCCustomerBillingProfileCommand : PCCmdlet
{
    private ClientHandle? client;

    /// <summary>The customer's id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string CustomerId { get; set; } = "";

    /// <inheritdoc/>
    protected override void BeginProcessing() => client = RequireClient();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string? json = Call(() => client!.GetBillingProfile(CustomerId), CustomerId, terminating: false);
        if (json is not null)
        {
            WriteObject(new BillingProfile(JsonReader.ParseObject(json), CustomerId).ToPSObject());
        }
    }
}
