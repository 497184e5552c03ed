using System.Management.Automation;
using System.Security;

namespace PartnerCenterNative.Commands;

/// <summary>Get-PCAuthentication: the session's connection, with its newest refresh token.</summary>
[Cmdlet(VerbsCommon.Get, "PCAuthentication")]
[OutputType(typeof(Connection))]
public sealed class GetPCAuthenticationCommand : PCCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Session? session = Sessions.Current;
        if (session is null)
        {
            WriteError(ErrorRecords.Create(ErrorRecords.NotSignedIn, "PartnerCenterNative.NotConnected",
                ErrorCategory.ObjectNotFound, null, "Run Add-PCAuthentication."));
            return;
        }
        string? info = Call(session.Client.Info, null, terminating: true);
        var connection = new Connection(info!, session.ApplicationId);
        SecureString? refreshToken = connection.CredentialKind == "RefreshToken"
            ? Call(session.Client.RefreshToken, null, terminating: true)
            : null;
        PSObject output = PSObject.AsPSObject(connection);
        output.Properties.Add(new PSNoteProperty("RefreshToken", refreshToken));
        WriteObject(output);
    }
}
