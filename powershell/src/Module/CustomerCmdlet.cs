using System.Management.Automation;

namespace PartnerCenterNative;

/// <summary>A cmdlet that acts on customers named by id, from the pipeline by property name.</summary>
public abstract class CustomerCmdlet : PCCmdlet
{
    /// <summary>The customer's id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string CustomerId { get; set; } = "";

    /// <summary>The session's client, taken once for the whole pipeline.</summary>
    private protected ClientHandle? Client { get; private set; }

    /// <inheritdoc/>
    protected override void BeginProcessing() => Client = RequireClient();
}
