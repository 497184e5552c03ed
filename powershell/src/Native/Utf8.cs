using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace PartnerCenterNative;

/// <summary>
/// UTF-8 both ways, and the one place strings returned by the library are freed. Memory handed
/// to the library is wiped before it is freed: option strings carry secrets.
/// </summary>
internal static class Utf8
{
    /// <summary>Copies a string into unmanaged memory as NUL-terminated UTF-8 (Zero for null).</summary>
    internal static IntPtr ToNative(string? value)
    {
        if (value is null)
        {
            return IntPtr.Zero;
        }
        if (value.IndexOf('\0') >= 0)
        {
            // C would see only the text before it.
            throw new ArgumentException("A string passed to the native library contains a NUL character.");
        }
        return ToNativeAndWipe(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Copies UTF-8 bytes into unmanaged memory with a NUL after them, then wipes the array.</summary>
    internal static IntPtr ToNativeAndWipe(byte[] bytes)
    {
        try
        {
            IntPtr native = Marshal.AllocHGlobal(bytes.Length + 1);
            Marshal.Copy(bytes, 0, native, bytes.Length);
            Marshal.WriteByte(native, bytes.Length, 0);
            return native;
        }
        finally
        {
            Array.Clear(bytes, 0, bytes.Length);
        }
    }

    /// <summary>Wipes and frees memory from <see cref="ToNative"/>.</summary>
    internal static void FreeNative(IntPtr native)
    {
        if (native == IntPtr.Zero)
        {
            return;
        }
        Wipe(native);
        Marshal.FreeHGlobal(native);
    }

    private static int Length(IntPtr native)
    {
        int length = 0;
        while (Marshal.ReadByte(native, length) != 0)
        {
            length++;
        }
        return length;
    }

    private static void Wipe(IntPtr native)
    {
        int length = Length(native);
        for (int i = 0; i < length; i++)
        {
            Marshal.WriteByte(native, i, 0);
        }
    }

    /// <summary>Decodes a NUL-terminated UTF-8 string without taking ownership.</summary>
    internal static string? FromNative(IntPtr native)
    {
        if (native == IntPtr.Zero)
        {
            return null;
        }
        int length = Length(native);
        byte[] bytes = new byte[length];
        Marshal.Copy(native, bytes, 0, length);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Decodes a string the library returned, then frees it with pc_string_free.</summary>
    internal static string? TakeString(IntPtr native)
    {
        try
        {
            return FromNative(native);
        }
        finally
        {
            NativeMethods.pc_string_free(native);
        }
    }

    /// <summary>Decodes a secret the library returned into a read-only SecureString, wiping every copy.</summary>
    internal static SecureString? TakeSecret(IntPtr native)
    {
        if (native == IntPtr.Zero)
        {
            return null;
        }
        byte[]? bytes = null;
        char[]? chars = null;
        try
        {
            bytes = new byte[Length(native)];
            Marshal.Copy(native, bytes, 0, bytes.Length);
            chars = Encoding.UTF8.GetChars(bytes);
            var secret = new SecureString();
            foreach (char c in chars)
            {
                secret.AppendChar(c);
            }
            secret.MakeReadOnly();
            return secret;
        }
        finally
        {
            if (bytes is not null)
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
            if (chars is not null)
            {
                Array.Clear(chars, 0, chars.Length);
            }
            Wipe(native);
            NativeMethods.pc_string_free(native);
        }
    }
}
