using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Get-PCCustomerBillingProfile: a customer's whole billing profile, with its ETag.</summary>
[Cmdlet(VerbsCommon.Get, "PCCustomerBillingProfile")]
[OutputType(typeof(BillingProfile))]
public sealed class GetPCCustomerBillingProfileCommand : CustomerCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string? json = Call(() => Client!.GetBillingProfile(CustomerId), CustomerId, terminating: false);
        if (json is not null)
        {
            WriteObject(new BillingProfile(JsonReader.ParseObject(json), CustomerId).ToPSObject());
        }
    }
}
