using System;
using System.Management.Automation;
using System.Security;

namespace PartnerCenterNative.Commands;

/// <summary>New-PCRelationshipRequest: the reseller-relationship invitation link (it only reads).</summary>
[Cmdlet(VerbsCommon.New, "PCRelationshipRequest", DefaultParameterSetName = ConnectionSet)]
[OutputType(typeof(RelationshipRequest))]
public sealed class NewPCRelationshipRequestCommand : PCCmdlet
{
    private const string ConnectionSet = "Connection";
    private const string AccessTokenSet = "AccessToken";

    /// <summary>An App+User access token for a one-off call.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public SecureString? AccessToken { get; set; }

    /// <summary>With -AccessToken: Global, USGov or China.</summary>
    [Parameter(ParameterSetName = AccessTokenSet)]
    [ValidateSet("Global", "USGov", "China")]
    public string Environment { get; set; } = "Global";

    /// <summary>With -AccessToken: overrides the Partner Center API address.</summary>
    [Parameter(ParameterSetName = AccessTokenSet)]
    [ValidateNotNullOrEmpty]
    public string? BaseUrl { get; set; }

    /// <summary>With -AccessToken: the MS-CorrelationId to send.</summary>
    [Parameter(ParameterSetName = AccessTokenSet)]
    public Guid CorrelationId { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        ClientHandle? oneOff = null;
        ClientHandle client;
        if (ParameterSetName == AccessTokenSet)
        {
            var options = new ClientOptions
            {
                Environment = Environment,
                BaseUrl = BaseUrl,
                CorrelationId = MyInvocation.BoundParameters.ContainsKey(nameof(CorrelationId)) ? CorrelationId.ToString() : null,
                AccessToken = AccessToken,
            };
            oneOff = Call(options.CreateClient, BaseUrl, terminating: true);
            client = oneOff!;
            Watch(client);
        }
        else
        {
            client = RequireClient("Not signed in to Partner Center: run Add-PCAuthentication first (or pass -AccessToken).");
        }
        try
        {
            string? json = Call(client.NewRelationshipRequest, "relationshiprequests", terminating: true);
            WriteObject(new RelationshipRequest(JsonReader.ParseObject(json!)).ToPSObject());
        }
        finally
        {
            if (oneOff is not null)
            {
                Watch((ClientHandle?)null);
                oneOff.Dispose();
            }
        }
    }
}
