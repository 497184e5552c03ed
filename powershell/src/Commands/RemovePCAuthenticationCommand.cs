using System.Management.Automation;

namespace PartnerCenterNative.Commands;

/// <summary>Remove-PCAuthentication: frees the session's connection (nothing is revoked).</summary>
[Cmdlet(VerbsCommon.Remove, "PCAuthentication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(Connection))]
public sealed class RemovePCAuthenticationCommand : PCCmdlet
{
    /// <summary>Returns the connection that was removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Session? session = Sessions.Current;
        if (session is null)
        {
            WriteVerbose("No Partner Center connection to remove.");
            return;
        }
        Connection? connection = null;
        if (PassThru)
        {
            string? info = Call(session.Client.Info, null, terminating: false);
            connection = info is null ? null : new Connection(info, session.ApplicationId);
        }
        if (ShouldProcess("the Partner Center connection of this session", "Remove"))
        {
            Sessions.Replace(null);
            WriteVerbose("Removed the Partner Center connection.");
            if (connection is not null)
            {
                WriteObject(connection);
            }
        }
    }
}
