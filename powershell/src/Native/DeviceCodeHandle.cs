using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterNative;

/// <summary>A pc_device_code sign-in in progress. <see cref="Cancel"/> may be called from any thread.</summary>
public sealed class DeviceCodeHandle : SafeHandle
{
    /// <summary>Used by the marshaller for the out-parameter of pc_device_code_start.</summary>
    public DeviceCodeHandle()
        : base(IntPtr.Zero, true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>What to show the user: {"userCode","verificationUri","message","expiresIn","interval"}.</summary>
    public string PromptJson { get; private set; } = "{}";

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pc_device_code_free(handle);
        handle = IntPtr.Zero;
        return true;
    }

    /// <summary>pc_device_code_start: asks Entra ID for a user code.</summary>
    public static DeviceCodeHandle Start(string optionsJson)
    {
        IntPtr options = Utf8.ToNative(optionsJson);
        try
        {
            int status = NativeMethods.pc_device_code_start(options, out DeviceCodeHandle flow, out IntPtr json);
            string? prompt = PartnerCenterException.CheckAndTake(status, json);
            flow.PromptJson = ClientHandle.Required(prompt, "pc_device_code_start");
            return flow;
        }
        finally
        {
            Utf8.FreeNative(options);
        }
    }

    /// <summary>pc_device_code_wait: blocks until approved (a client), declined, expired or cancelled.</summary>
    public ClientHandle Wait()
    {
        int status = NativeMethods.pc_device_code_wait(this, out ClientHandle client);
        PartnerCenterException.Check(status);
        return client;
    }

    /// <summary>
    /// <see cref="Wait"/> on a thread of its own, so the caller's thread stays free to show
    /// progress and to be stopped. A failure is read on the waiting thread, where the last error belongs.
    /// </summary>
    public Task<ClientHandle> StartWait() =>
        Task.Factory.StartNew(Wait, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>pc_device_code_cancel: makes a Wait in progress (or the next one) fail with Cancelled.</summary>
    public void Cancel() => PartnerCenterException.Check(NativeMethods.pc_device_code_cancel(this));
}
