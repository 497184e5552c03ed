using System.Management.Automation;

namespace PartnerCenterNative;

/// <summary>A cmdlet that acts on one admin relationship named by id, from the pipeline by property name.</summary>
public abstract class AdminRelationshipCmdlet : PCCmdlet
{
    /// <summary>The admin relationship's id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string AdminRelationshipId { get; set; } = "";

    /// <summary>The session's client, taken once for the whole pipeline.</summary>
    private protected ClientHandle? Client { get; private set; }

    /// <inheritdoc/>
    protected override void BeginProcessing() => Client = RequireClient();

    /// <summary>Writes a relationship JSON object to the pipeline.</summary>
    private protected void WriteRelationship(string json) =>
        WriteObject(new AdminRelationship(JsonReader.ParseObject(json)).ToPSObject());

}
