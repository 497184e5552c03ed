using System;
using System.Globalization;
using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Wait-PCAdminRelationship: waits, with progress, until the customer approved an admin relationship and it is active.</summary>
[Cmdlet(VerbsLifecycle.Wait, "PCAdminRelationship")]
[OutputType(typeof(AdminRelationship))]
public sealed class WaitPCAdminRelationshipCommand : AdminRelationshipCmdlet
{
    /// <summary>How long to wait in total, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 604800)]
    public int TimeoutSeconds { get; set; } = 600;

    /// <summary>How long to wait before the first check, in seconds; later intervals grow by half up to a minute.</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int PollIntervalSeconds { get; set; } = 10;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string id = AdminRelationshipId;
        long pollMs = PollIntervalSeconds * 1000L;
        string query;
        using (var json = new JsonWriter())
        {
            json.BeginObject();
            json.Member("timeoutMs", TimeoutSeconds * 1000L);
            json.Member("pollIntervalMs", pollMs);
            json.Member("maxPollIntervalMs", Math.Max(pollMs, 60000L));
            json.EndObject();
            query = json.ToString();
        }

        ClientHandle session = Client!;
        string active = TimedWait(() => session.WaitForAdminRelationship(id, query),
            "Waiting for admin relationship " + id + " to be approved and active", id, TimeoutSeconds,
            // The library's message gives the last status.
            e => ErrorRecords.Explained(e, id,
                string.Format(CultureInfo.InvariantCulture, "Admin relationship {0} was not active within {1} seconds: {2}", id, TimeoutSeconds, e.Message),
                "Check that the customer's global administrator opened the relationship's ApprovalUrl and approved it, then wait again, with a longer -TimeoutSeconds if needed."));
        WriteRelationship(active);
    }
}
