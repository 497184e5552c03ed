using System;
using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace PartnerCenterNative;

/// <summary>
/// Writes JSON into a buffer this class owns and wipes, so that a secret (from a SecureString)
/// can go into the options JSON for the library without ever becoming a managed string.
/// Values: null, string, bool, integers, floating point, Guid, DateTime(Offset), enums,
/// dictionaries and lists; PowerShell objects are turned into those first (<see cref="PSJson.ToTree"/>).
/// </summary>
internal sealed class JsonWriter : IDisposable
{
    private const int MaxDepth = 160;
    private char[] buffer = new char[256];
    private int length;
    private bool needComma;

    /// <summary>The JSON written so far (for JSON without secrets).</summary>
    public override string ToString() => new(buffer, 0, length);

    /// <summary>The JSON as NUL-terminated UTF-8 in unmanaged memory; free it with Utf8.FreeNative.</summary>
    internal IntPtr ToNative() => Utf8.ToNativeAndWipe(Encoding.UTF8.GetBytes(buffer, 0, length));

    /// <summary>Wipes the buffer.</summary>
    public void Dispose()
    {
        Array.Clear(buffer, 0, buffer.Length);
        length = 0;
    }

    internal void BeginObject()
    {
        Separator();
        Append('{');
        needComma = false;
    }

    internal void EndObject()
    {
        Append('}');
        needComma = true;
    }

    internal void BeginArray()
    {
        Separator();
        Append('[');
        needComma = false;
    }

    internal void EndArray()
    {
        Append(']');
        needComma = true;
    }

    /// <summary>Writes a member name; the value follows.</summary>
    internal void Name(string name)
    {
        Separator();
        Quoted(name);
        Append(':');
        needComma = false;
    }

    /// <summary>Writes a member unless its value is null (the library's default then applies).</summary>
    internal void Member(string name, object? value)
    {
        if (value is null)
        {
            return;
        }
        Name(name);
        Value(value, 0);
    }

    /// <summary>Writes a member whose value is a secret, decoded from the SecureString straight into this buffer.</summary>
    internal void SecretMember(string name, SecureString? secret)
    {
        if (secret is null)
        {
            return;
        }
        Name(name);
        IntPtr chars = Marshal.SecureStringToGlobalAllocUnicode(secret);
        try
        {
            Append('"');
            for (int i = 0; i < secret.Length; i++)
            {
                Escaped((char)Marshal.ReadInt16(chars, i * 2));
            }
            Append('"');
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(chars);
        }
        needComma = true;
    }

    /// <summary>Writes any supported value.</summary>
    internal void Value(object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException("The object is nested deeper than " +
                MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels (a cycle?); it cannot be sent as JSON.");
        }
        switch (value)
        {
            case null:
                Raw("null");
                break;
            case string s:
                Separator();
                Quoted(s);
                needComma = true;
                break;
            case char c:
                Value(c.ToString(), depth);
                break;
            case bool b:
                Raw(b ? "true" : "false");
                break;
            case double d:
                Number(d);
                break;
            case float f:
                Number(f);
                break;
            case decimal m:
                Raw(m.ToString(CultureInfo.InvariantCulture));
                break;
            case Enum e:
                Value(e.ToString(), depth);
                break;
            case byte or sbyte or short or ushort or int or uint or long or ulong:
                Raw(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case Guid g:
                Value(g.ToString(), depth);
                break;
            case DateTimeOffset dto:
                Value(dto.ToString("o", CultureInfo.InvariantCulture), depth);
                break;
            case DateTime dt:
                Value(dt.ToString("o", CultureInfo.InvariantCulture), depth);
                break;
            case SecureString:
                throw new InvalidOperationException("A SecureString cannot be sent as a profile field.");
            case IDictionary dictionary:
                BeginObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    Name(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    Value(entry.Value, depth + 1);
                }
                EndObject();
                break;
            case IEnumerable list:
                BeginArray();
                foreach (object? item in list)
                {
                    Value(item, depth + 1);
                }
                EndArray();
                break;
            default:
                throw new InvalidOperationException("A " + value.GetType().FullName + " cannot be written as JSON.");
        }
    }

    private void Number(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            throw new InvalidOperationException("NaN and infinity cannot be sent as JSON numbers.");
        }
        Raw(d.ToString("R", CultureInfo.InvariantCulture));
    }

    private void Raw(string text)
    {
        Separator();
        foreach (char c in text)
        {
            Append(c);
        }
        needComma = true;
    }

    private void Separator()
    {
        if (needComma)
        {
            Append(',');
            needComma = false;
        }
    }

    private void Quoted(string s)
    {
        Append('"');
        foreach (char c in s)
        {
            Escaped(c);
        }
        Append('"');
    }

    private void Escaped(char c)
    {
        switch (c)
        {
            case '"': Append('\\'); Append('"'); break;
            case '\\': Append('\\'); Append('\\'); break;
            case '\n': Append('\\'); Append('n'); break;
            case '\r': Append('\\'); Append('r'); break;
            case '\t': Append('\\'); Append('t'); break;
            case '\b': Append('\\'); Append('b'); break;
            case '\f': Append('\\'); Append('f'); break;
            default:
                if (c < 0x20)
                {
                    foreach (char hex in "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture))
                    {
                        Append(hex);
                    }
                }
                else
                {
                    Append(c);
                }
                break;
        }
    }

    private void Append(char c)
    {
        if (length == buffer.Length)
        {
            char[] larger = new char[buffer.Length * 2];
            Array.Copy(buffer, larger, length);
            Array.Clear(buffer, 0, buffer.Length);
            buffer = larger;
        }
        buffer[length++] = c;
    }
}
