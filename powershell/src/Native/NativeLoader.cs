using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PartnerCenterNative;

/// <summary>Where the module looked for the native library, and what it found.</summary>
public sealed class LibraryResolution
{
    /// <summary>Records a lookup.</summary>
    public LibraryResolution(string? path, string rid, string[] tried)
    {
        Path = path;
        Rid = rid;
        Tried = tried;
    }

    /// <summary>The library's absolute path, or null when no candidate exists.</summary>
    public string? Path { get; }

    /// <summary>The runtime identifier of this process, e.g. linux-x64.</summary>
    public string Rid { get; }

    /// <summary>Every path looked at, in order.</summary>
    public string[] Tried { get; }
}

/// <summary>
/// Finds the native library beside the module and loads it by absolute path before the first
/// P/Invoke, so that DllImport("partnercenter") binds to that copy: on .NET Core through a
/// DllImportResolver, elsewhere because the preloaded library's soname / module name matches.
/// netstandard2.0 has no NativeLibrary, so it is found by reflection where the runtime has it.
/// </summary>
public static class NativeLoader
{
    private const int RtldNow = 2;
    private const int RtldGlobalLinux = 0x100;
    private const int RtldGlobalMac = 0x8;

    private static readonly object Gate = new();
    private static IntPtr loadedHandle;

    [DllImport("libdl.so.2", EntryPoint = "dlopen", CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr DlopenLibdl2(IntPtr fileName, int flags);

    [DllImport("libdl.so.2", EntryPoint = "dlerror", CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr DlerrorLibdl2();

    [DllImport("libdl.so", EntryPoint = "dlopen", CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr DlopenLibdl(IntPtr fileName, int flags);

    [DllImport("libdl.so", EntryPoint = "dlerror", CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr DlerrorLibdl();

    [DllImport("/usr/lib/libSystem.dylib", EntryPoint = "dlopen", CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr DlopenMac(IntPtr fileName, int flags);

    [DllImport("/usr/lib/libSystem.dylib", EntryPoint = "dlerror", CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr DlerrorMac();

    [DllImport("kernel32.dll", EntryPoint = "LoadLibraryW", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern IntPtr LoadLibraryW(string fileName);

    /// <summary>The path the library was loaded from in this process, or null.</summary>
    public static string? LoadedPath { get; private set; }

    /// <summary>How the library was loaded: NativeLibrary, dlopen or LoadLibraryW; null before.</summary>
    public static string? LoadedWith { get; private set; }

    /// <summary>Whether DllImport("partnercenter") is answered by a DllImportResolver (.NET Core).</summary>
    public static bool ResolverRegistered { get; private set; }

    /// <summary>"windows", "osx" or "linux".</summary>
    public static string CurrentOS()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return "windows";
        }
        return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" : "linux";
    }

    /// <summary>The process architecture as a RID suffix: x64, x86, arm64 or arm.</summary>
    public static string CurrentArchitecture() =>
        RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    /// <summary>This process's runtime identifier, e.g. linux-x64, osx-arm64, win-x64.</summary>
    public static string CurrentRid()
    {
        string os = CurrentOS();
        return (os == "windows" ? "win" : os) + "-" + CurrentArchitecture();
    }

    /// <summary>The library's file name on this system.</summary>
    public static string LibraryFileName() => CurrentOS() switch
    {
        "windows" => "partnercenter.dll",
        "osx" => "libpartnercenter.dylib",
        _ => "libpartnercenter.so",
    };

    /// <summary>
    /// The module's library lookup. With an override (PARTNERCENTER_NATIVE_PATH: a file, or a
    /// folder holding the library) only the override is tried; otherwise
    /// moduleRoot/runtimes/&lt;rid&gt;/native/&lt;file&gt; (and runtimes/osx/native for a universal
    /// macOS build).
    /// </summary>
    public static LibraryResolution Resolve(string moduleRoot, string? overridePath)
    {
        string rid = CurrentRid();
        string fileName = LibraryFileName();
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(overridePath))
        {
            string full = Path.GetFullPath(overridePath);
            candidates.Add(Directory.Exists(full) ? Path.Combine(full, fileName) : full);
        }
        else
        {
            string root = Path.GetFullPath(moduleRoot);
            var rids = new List<string> { rid };
            if (rid.StartsWith("osx-", StringComparison.Ordinal))
            {
                rids.Add("osx");
            }
            foreach (string candidateRid in rids)
            {
                candidates.Add(Path.Combine(Path.Combine(Path.Combine(Path.Combine(root, "runtimes"), candidateRid), "native"), fileName));
            }
        }
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return new LibraryResolution(candidate, rid, candidates.ToArray());
            }
        }
        return new LibraryResolution(null, rid, candidates.ToArray());
    }

    /// <summary>
    /// Resolves, preloads and checks the library once per process; returns its version.
    /// Throws FileNotFoundException (naming every path tried) when it is missing, and
    /// BadImageFormatException / DllNotFoundException (naming the path and the loader's
    /// reason) when it cannot be loaded, e.g. built for another architecture.
    /// </summary>
    public static string Initialize(string moduleRoot, string? overridePath)
    {
        lock (Gate)
        {
            if (LoadedPath is null)
            {
                LibraryResolution found = Resolve(moduleRoot, overridePath);
                if (found.Path is null)
                {
                    throw new FileNotFoundException(
                        "The native library " + LibraryFileName() + " for " + found.Rid +
                        " was not found. Looked at: " + string.Join("; ", found.Tried) +
                        ". Stage the module with the library under runtimes/" + found.Rid +
                        "/native/, or set PARTNERCENTER_NATIVE_PATH to the library file or its folder.",
                        LibraryFileName());
                }
                Load(found.Path);
            }
            return VersionAfterLoad();
        }
    }

    /// <summary>Loads the library from an absolute path (NativeLibrary, dlopen or LoadLibraryW).</summary>
    public static IntPtr Load(string path)
    {
        lock (Gate)
        {
            string full = Path.GetFullPath(path);
            if (LoadedPath is not null)
            {
                if (string.Equals(LoadedPath, full, StringComparison.Ordinal))
                {
                    return loadedHandle;
                }
                throw new InvalidOperationException("The native library is already loaded from " +
                    LoadedPath + "; a process can load only one copy, not also " + full + ".");
            }
            string loader = "NativeLibrary";
            IntPtr handle = LoadWithNativeLibrary(full);
            if (handle == IntPtr.Zero)
            {
                loader = CurrentOS() == "windows" ? "LoadLibraryW" : "dlopen";
                handle = LoadWithPlatformLoader(full);
            }
            loadedHandle = handle;
            LoadedWith = loader;
            LoadedPath = full;
            RegisterResolver();
            return handle;
        }
    }

    // The first P/Invoke into the library lives in its own method, not inlined, so that no
    // runtime binds it before the preload.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string VersionAfterLoad() => LibraryInfo.Version() ?? "unknown";

    private static Type? NativeLibraryType() =>
        typeof(Marshal).Assembly.GetType("System.Runtime.InteropServices.NativeLibrary");

    // .NET Core 3+: NativeLibrary.Load(string), found by reflection. IntPtr.Zero where it does not exist.
    private static IntPtr LoadWithNativeLibrary(string path)
    {
        MethodInfo? load = NativeLibraryType()?.GetMethod("Load", new[] { typeof(string) });
        if (load is null)
        {
            return IntPtr.Zero;
        }
        try
        {
            return (IntPtr)load.Invoke(null, new object[] { path })!;
        }
        catch (TargetInvocationException e)
        {
            Exception inner = e.InnerException ?? e;
            if (inner is BadImageFormatException)
            {
                throw new BadImageFormatException("Cannot load the native library " + path +
                    " (wrong architecture for " + CurrentRid() + ", or not a library): " + inner.Message, path, inner);
            }
            throw new DllNotFoundException("Cannot load the native library " + path + ": " + inner.Message, inner);
        }
    }

    private static IntPtr LoadWithPlatformLoader(string path)
    {
        string os = CurrentOS();
        IntPtr handle;
        string? reason;
        if (os == "windows")
        {
            handle = LoadLibraryW(path);
            reason = handle == IntPtr.Zero ? WindowsError(Marshal.GetLastWin32Error()) : null;
        }
        else
        {
            handle = Dlopen(path, os == "osx", out reason);
        }
        if (handle == IntPtr.Zero)
        {
            throw new DllNotFoundException("Cannot load the native library " + path +
                " (is it built for " + CurrentRid() + "?): " + reason);
        }
        return handle;
    }

    private static string WindowsError(int code)
    {
        Exception? error = Marshal.GetExceptionForHR(unchecked((int)0x80070000) | (code & 0xFFFF));
        return "Windows error " + code.ToString(CultureInfo.InvariantCulture) + (error is not null ? ": " + error.Message : "");
    }

    private static IntPtr Dlopen(string path, bool mac, out string? reason)
    {
        IntPtr name = Utf8.ToNative(path);
        try
        {
            IntPtr handle;
            if (mac)
            {
                handle = DlopenMac(name, RtldNow | RtldGlobalMac);
                reason = handle == IntPtr.Zero ? Utf8.FromNative(DlerrorMac()) : null;
                return handle;
            }
            try
            {
                handle = DlopenLibdl2(name, RtldNow | RtldGlobalLinux);
                reason = handle == IntPtr.Zero ? Utf8.FromNative(DlerrorLibdl2()) : null;
            }
            catch (DllNotFoundException)
            {
                handle = DlopenLibdl(name, RtldNow | RtldGlobalLinux);
                reason = handle == IntPtr.Zero ? Utf8.FromNative(DlerrorLibdl()) : null;
            }
            return handle;
        }
        finally
        {
            Marshal.FreeHGlobal(name);
        }
    }

    // .NET Core: make DllImport("partnercenter") in this assembly answer with the preloaded
    // handle, whatever the runtime's own probing would find. Registered once per assembly.
    private static void RegisterResolver()
    {
        if (ResolverRegistered)
        {
            return;
        }
        Type? nativeLibrary = NativeLibraryType();
        Type? resolverType = nativeLibrary?.Assembly.GetType("System.Runtime.InteropServices.DllImportResolver");
        MethodInfo? setResolver = nativeLibrary?.GetMethod("SetDllImportResolver");
        MethodInfo? resolve = typeof(NativeLoader).GetMethod(nameof(ResolveImport), BindingFlags.NonPublic | BindingFlags.Static);
        if (resolverType is null || setResolver is null || resolve is null)
        {
            return;
        }
        Delegate resolver = Delegate.CreateDelegate(resolverType, resolve);
        try
        {
            setResolver.Invoke(null, new object[] { typeof(NativeLoader).Assembly, resolver });
            ResolverRegistered = true;
        }
        catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException)
        {
            // Another resolver is already set for this assembly: leave the runtime's probing,
            // which finds the preloaded copy by its name.
        }
    }

    private static IntPtr ResolveImport(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NativeMethods.LibraryName ? loadedHandle : IntPtr.Zero;
}
