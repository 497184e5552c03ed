using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace PartnerCenterNative;

/// <summary>The connection Add-PCAuthentication made: a client and the application id it was made with.</summary>
internal sealed class Session
{
    internal Session(ClientHandle client, string? applicationId)
    {
        Client = client;
        ApplicationId = applicationId;
    }

    internal ClientHandle Client { get; }

    internal string? ApplicationId { get; }
}

/// <summary>
/// One connection per runspace, as a script module's $script: state was: a ThreadJob, a
/// [powershell]::Create() or another runspace of the same process signs in on its own.
/// A runspace that goes away takes its entry with it; the client's SafeHandle frees it.
/// </summary>
internal static class Sessions
{
    private sealed class Slot
    {
        internal Session? Session;
    }

    private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new();
    private static readonly object Gate = new();

    private static Slot? CurrentSlot(bool create)
    {
        Runspace? runspace = Runspace.DefaultRunspace;
        if (runspace is null)
        {
            return null;
        }
        if (create)
        {
            return Slots.GetValue(runspace, _ => new Slot());
        }
        return Slots.TryGetValue(runspace, out Slot? slot) ? slot : null;
    }

    /// <summary>This runspace's connection, or null.</summary>
    internal static Session? Current
    {
        get
        {
            lock (Gate)
            {
                return CurrentSlot(create: false)?.Session;
            }
        }
    }

    /// <summary>Makes <paramref name="session"/> this runspace's connection (null removes it), freeing the one it replaces.</summary>
    internal static void Replace(Session? session)
    {
        Session? previous;
        lock (Gate)
        {
            Slot? slot = CurrentSlot(create: session is not null);
            if (slot is null)
            {
                return;
            }
            previous = slot.Session;
            slot.Session = session;
        }
        if (previous is not null && !ReferenceEquals(previous.Client, session?.Client))
        {
            previous.Client.Dispose();
        }
    }
}
