using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading.Tasks;

namespace PartnerCenterNative;

/// <summary>
/// What every PartnerCenterNative cmdlet shares: the session's client, stopping (Ctrl+C calls
/// pc_client_cancel / pc_device_code_cancel, so a blocked native call ends at once), long waits
/// that show progress, and the one error mapping.
/// </summary>
public abstract class PCCmdlet : PSCmdlet
{
    private readonly object stopGate = new();
    private ClientHandle? watchedClient;
    private DeviceCodeHandle? watchedFlow;
    private bool stopping;

    /// <summary>Whether the pipeline is being stopped.</summary>
    private protected bool IsStopping
    {
        get
        {
            lock (stopGate)
            {
                return stopping;
            }
        }
    }

    /// <summary>Cancels the native calls in flight; the cmdlet then ends with PipelineStoppedException.</summary>
    protected override void StopProcessing()
    {
        lock (stopGate)
        {
            stopping = true;
        }
        CancelWatched();
    }

    private void CancelWatched()
    {
        ClientHandle? client;
        DeviceCodeHandle? flow;
        lock (stopGate)
        {
            client = watchedClient;
            flow = watchedFlow;
        }
        try
        {
            client?.Cancel();
            flow?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Freed meanwhile: nothing is left to cancel.
        }
    }

    /// <summary>Makes <paramref name="client"/> the one a stop cancels.</summary>
    private protected void Watch(ClientHandle? client)
    {
        lock (stopGate)
        {
            watchedClient = client;
        }
    }

    /// <summary>Makes <paramref name="flow"/> the device-code sign-in a stop cancels.</summary>
    private protected void Watch(DeviceCodeHandle? flow)
    {
        lock (stopGate)
        {
            watchedFlow = flow;
        }
    }

    /// <summary>The session's client; without a connection the command stops with PartnerCenterNative.NotConnected.</summary>
    private protected ClientHandle RequireClient(string message = ErrorRecords.NotSignedIn)
    {
        Session? session = Sessions.Current;
        if (session is null)
        {
            ThrowTerminatingError(ErrorRecords.Create(message, "PartnerCenterNative.NotConnected",
                ErrorCategory.AuthenticationError, null, ErrorRecords.SignInAction));
        }
        Watch(session!.Client);
        return session.Client;
    }

    /// <summary>
    /// Runs a native call on this thread. A call cancelled by a stop ends the pipeline; any other
    /// failure stops the command (<paramref name="terminating"/>) or is written as a
    /// non-terminating error, and then the result is default.
    /// </summary>
    private protected T? Call<T>(Func<T> call, object? target, bool terminating)
    {
        ThrowIfStopping();
        try
        {
            return call();
        }
        catch (Exception e) when (e is PartnerCenterException or ObjectDisposedException or ArgumentException or FormatException)
        {
            Fail(e, target, terminating);
            return default;
        }
    }

    /// <summary>Reports a failure: a stop ends the pipeline, otherwise terminating or not.</summary>
    private protected void Fail(Exception e, object? target, bool terminating)
    {
        ThrowIfStopping();
        ErrorRecord record = ErrorRecords.FromException(e, target);
        if (terminating)
        {
            ThrowTerminatingError(record);
        }
        WriteError(record);
    }

    private protected void ThrowIfStopping()
    {
        if (IsStopping)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Ends a progress bar; during a stop nothing may be written, and the host clears it.</summary>
    private protected void CompleteProgress(int id, string activity)
    {
        if (!IsStopping)
        {
            WriteProgress(new ProgressRecord(id, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    /// <summary>
    /// Waits for a native wait running on another thread, showing progress on this one (the only
    /// thread that may write to the pipeline) every quarter second; a stop cancels the wait and
    /// ends the pipeline. Returns the wait's result, or throws its failure.
    /// </summary>
    private protected T WaitShowingProgress<T>(Task<T> wait, Action<TimeSpan> showProgress)
    {
        var clock = Stopwatch.StartNew();
        while (!((IAsyncResult)wait).AsyncWaitHandle.WaitOne(250))
        {
            if (IsStopping)
            {
                // A cancel reaches only calls blocked at that moment: repeat until the wait ends.
                CancelWatched();
                continue;
            }
            showProgress(clock.Elapsed);
        }
        ThrowIfStopping();
        return wait.GetAwaiter().GetResult();
    }
}
