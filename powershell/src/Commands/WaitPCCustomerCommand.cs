using System;
using System.Globalization;
using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Wait-PCCustomer: waits, with progress, until a customer accepts the invitation.</summary>
[Cmdlet(VerbsLifecycle.Wait, "PCCustomer", DefaultParameterSetName = DomainSet)]
[OutputType(typeof(Customer))]
public sealed class WaitPCCustomerCommand : PCCmdlet
{
    private const string DomainSet = "Domain";
    private const string TenantIdSet = "TenantId";

    private ClientHandle? client;

    /// <summary>The customer's primary domain (exact, case-insensitive).</summary>
    [Parameter(Mandatory = true, ParameterSetName = DomainSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Domain { get; set; } = "";

    /// <summary>The customer's tenant id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TenantIdSet, ValueFromPipelineByPropertyName = true)]
    public Guid TenantId { get; set; }

    /// <summary>How long to wait in total, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSeconds { get; set; } = 600;

    /// <summary>How often to ask, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int PollIntervalSeconds { get; set; } = 5;

    /// <inheritdoc/>
    protected override void BeginProcessing() => client = RequireClient();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        bool byTenant = ParameterSetName == TenantIdSet;
        string target = byTenant ? TenantId.ToString() : Domain;
        long pollMs = PollIntervalSeconds * 1000L;
        string query;
        using (var json = new JsonWriter())
        {
            json.BeginObject();
            json.Member(byTenant ? "tenantId" : "domain", target);
            json.Member("timeoutMs", TimeoutSeconds * 1000L);
            json.Member("pollIntervalMs", pollMs);
            json.Member("maxPollIntervalMs", pollMs);
            json.EndObject();
            query = json.ToString();
        }

        ClientHandle session = client!;
        string found = TimedWait(() => session.WaitForCustomer(query),
            "Waiting for customer " + target + " to accept the reseller relationship", target, TimeoutSeconds,
            e => ErrorRecords.Explained(e, target,
                string.Format(CultureInfo.InvariantCulture, "Customer {0} did not appear with a reseller relationship within {1} seconds.", target, TimeoutSeconds),
                "Check that the customer's global administrator received and accepted the invitation link (New-PCRelationshipRequest), then wait again, with a longer -TimeoutSeconds if needed."));
        WriteObject(new Customer(JsonReader.ParseObject(found)).ToPSObject());
    }
}
