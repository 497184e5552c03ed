using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Remove-PCCustomerRelationship: ends the reseller relationship with a customer.</summary>
[Cmdlet(VerbsCommon.Remove, "PCCustomerRelationship", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Customer))]
public sealed class RemovePCCustomerRelationshipCommand : CustomerCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess("customer " + CustomerId, "Remove the reseller relationship"))
        {
            return;
        }
        string? json = Call(() => Client!.RemoveCustomerRelationship(CustomerId), CustomerId, terminating: false);
        if (json is not null)
        {
            WriteObject(new Customer(JsonReader.ParseObject(json)).ToPSObject());
        }
    }
}
