using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
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
    private int nativeCalls;

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
        // pc_client_cancel reaches only the calls already blocked: one that was just entering
        // the library would miss it, so cancel again until no call is in flight (bounded).
        Task.Run(async () =>
        {
            for (int i = 0; i < 100 && Volatile.Read(ref nativeCalls) > 0; i++)
            {
                await Task.Delay(100).ConfigureAwait(false);
                CancelWatched();
            }
        });
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
            return Counted(call);
        }
        catch (Exception e) when (IsCallFailure(e))
        {
            Fail(e, target, terminating);
            return default;
        }
    }

    /// <summary>Runs a blocking native call, known to a stop as in flight (so it is cancelled until it returns).</summary>
    private protected T Counted<T>(Func<T> call)
    {
        Interlocked.Increment(ref nativeCalls);
        try
        {
            return call();
        }
        finally
        {
            Interlocked.Decrement(ref nativeCalls);
        }
    }

    /// <summary>The failures of a call that become the module's ErrorRecords.</summary>
    private protected static bool IsCallFailure(Exception e) =>
        e is PartnerCenterException or ObjectDisposedException or ArgumentException or FormatException or InvalidOperationException;

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
        try
        {
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
        }
        finally
        {
            // Left early (a progress write failed, e.g. $ProgressPreference = 'Stop'): the
            // native wait must not outlive the command, holding the client for hours.
            for (int i = 0; i < 120 && !wait.IsCompleted; i++)
            {
                CancelWatched();
                ((IAsyncResult)wait).AsyncWaitHandle.WaitOne(250);
            }
            _ = wait.Exception;
        }
        ThrowIfStopping();
        return wait.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Runs a long native wait (cancelled by a stop) on a thread of its own, showing its elapsed
    /// time against <paramref name="timeoutSeconds"/> as a progress bar. When the whole wait ran
    /// out, the command stops with the record <paramref name="timedOut"/> makes of the library's
    /// Timeout; a Timeout sooner is one request's, reported as any other failure.
    /// </summary>
    private protected string TimedWait(Func<string> call, string activity, object target, int timeoutSeconds,
        Func<PartnerCenterException, ErrorRecord> timedOut)
    {
        Task<string> wait = Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var clock = Stopwatch.StartNew();
        try
        {
            return WaitShowingProgress(wait, elapsed => WriteProgress(new ProgressRecord(1, activity,
                string.Format(CultureInfo.InvariantCulture, "{0:N0} s of {1:N0} s elapsed", Math.Floor(elapsed.TotalSeconds), timeoutSeconds))
            {
                PercentComplete = (int)Math.Min(100, elapsed.TotalSeconds * 100 / timeoutSeconds),
                SecondsRemaining = (int)Math.Max(0, Math.Ceiling(timeoutSeconds - elapsed.TotalSeconds)),
            }));
        }
        catch (PartnerCenterException e) when (e.Kind == nameof(Status.Timeout) && !IsStopping &&
            clock.Elapsed.TotalSeconds >= timeoutSeconds - 0.5)
        {
            ThrowTerminatingError(timedOut(e));
            throw;
        }
        catch (Exception e) when (IsCallFailure(e))
        {
            Fail(e, target, terminating: true);
            throw;
        }
        finally
        {
            CompleteProgress(1, activity);
        }
    }

    /// <summary>
    /// Runs a call that nothing can cancel on another thread and waits for it unless the
    /// pipeline is stopped; then the result, when it comes, is handed to <paramref name="discard"/>.
    /// </summary>
    private protected T WaitUnlessStopped<T>(Func<T> call, Action<T> discard)
    {
        Task<T> work = Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (!((IAsyncResult)work).AsyncWaitHandle.WaitOne(100))
        {
            if (IsStopping)
            {
                work.ContinueWith(done => discard(done.Result), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                work.ContinueWith(failed => _ = failed.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw new PipelineStoppedException();
            }
        }
        return work.GetAwaiter().GetResult();
    }
}
