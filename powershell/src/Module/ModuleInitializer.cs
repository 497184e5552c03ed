using System;
using System.IO;
using System.Management.Automation;

namespace PartnerCenterNative;

/// <summary>
/// Runs when the module is imported: finds the native library (runtimes/&lt;rid&gt;/native/ beside
/// the module, or PARTNERCENTER_NATIVE_PATH) and loads it by absolute path before any cmdlet
/// calls it. On removal, frees this runspace's connection.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <summary>The library's version, once loaded.</summary>
    public static string? NativeVersion { get; private set; }

    /// <inheritdoc/>
    public void OnImport()
    {
        string moduleRoot = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";
        try
        {
            NativeVersion = NativeLoader.Initialize(moduleRoot, System.Environment.GetEnvironmentVariable("PARTNERCENTER_NATIVE_PATH"));
        }
        catch (Exception e) when (e is FileNotFoundException or DllNotFoundException or BadImageFormatException
            or EntryPointNotFoundException or InvalidOperationException)
        {
            throw new ModuleImportException(e, moduleRoot);
        }
    }

    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo) => Sessions.Replace(null);
}

/// <summary>The import failed: the native library is missing or cannot be loaded. Carries the module's ErrorRecord.</summary>
public sealed class ModuleImportException : Exception, IContainsErrorRecord
{
    internal ModuleImportException(Exception reason, string moduleRoot)
        : base("PartnerCenterNative cannot be imported: " + reason.Message, reason)
    {
        bool missing = reason is FileNotFoundException;
        ErrorRecord = new ErrorRecord(this,
            missing ? "PartnerCenterNative.NativeLibraryNotFound" : "PartnerCenterNative.NativeLibraryNotLoaded",
            missing ? ErrorCategory.ObjectNotFound : reason is BadImageFormatException ? ErrorCategory.InvalidData : ErrorCategory.ResourceUnavailable,
            moduleRoot);
    }

    /// <inheritdoc/>
    public ErrorRecord ErrorRecord { get; }
}
