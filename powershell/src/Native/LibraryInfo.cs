namespace PartnerCenterNative;

/// <summary>Calls into the library that need no client.</summary>
public static class LibraryInfo
{
    /// <summary>pc_version: the library's version, e.g. 0.1.0.</summary>
    public static string? Version() => Utf8.FromNative(NativeMethods.pc_version());

    /// <summary>pc_status_name: the constant's name of a status (a static string, not freed).</summary>
    public static string? StatusName(int status) => Utf8.FromNative(NativeMethods.pc_status_name(status));

    /// <summary>pc_last_error_message on this thread, or null.</summary>
    public static string? LastErrorMessage() => Utf8.TakeString(NativeMethods.pc_last_error_message());

    /// <summary>pc_last_error_json on this thread, or null.</summary>
    public static string? LastErrorJson() => Utf8.TakeString(NativeMethods.pc_last_error_json());

    /// <summary>pc_test_panic (test builds only): throws PartnerCenterException with kind Panic.</summary>
    public static void TestPanic() => PartnerCenterException.Check(NativeMethods.pc_test_panic());
}
