using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PartnerCenterNative;

/// <summary>
/// A small JSON reader: netstandard2.0 has no System.Text.Json, and shipping a JSON assembly
/// would bring back the assembly conflicts this module exists to avoid. Objects become
/// Dictionary&lt;string, object?&gt; (members in document order), arrays List&lt;object?&gt;,
/// integers that fit long, other numbers double, plus string, bool and null.
/// </summary>
public sealed class JsonReader
{
    private const int MaxDepth = 128;
    private readonly string text;
    private int position;
    private int depth;

    private JsonReader(string text) => this.text = text;

    /// <summary>Parses one JSON value (a leading byte-order mark is allowed); FormatException on bad input.</summary>
    public static object? Parse(string text)
    {
        var reader = new JsonReader(text);
        reader.SkipWhitespace();
        object? value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader.position != text.Length)
        {
            throw reader.Error("unexpected text after the value");
        }
        return value;
    }

    /// <summary>Parses a JSON object; FormatException when the text is anything else.</summary>
    public static Dictionary<string, object?> ParseObject(string text) =>
        Parse(text) as Dictionary<string, object?> ?? throw new FormatException("JSON: expected an object");

    /// <summary>A member as a string (numbers in their invariant form), or null.</summary>
    public static string? GetString(Dictionary<string, object?>? obj, string key)
    {
        if (obj is null || !obj.TryGetValue(key, out object? value))
        {
            return null;
        }
        return value switch
        {
            string s => s,
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    /// <summary>A numeric member, or null.</summary>
    public static double? GetDouble(Dictionary<string, object?>? obj, string key)
    {
        if (obj is null || !obj.TryGetValue(key, out object? value))
        {
            return null;
        }
        return value switch
        {
            long l => l,
            double d => d,
            _ => null,
        };
    }

    /// <summary>A numeric member as an int (saturated), or null.</summary>
    public static int? GetInt(Dictionary<string, object?>? obj, string key)
    {
        double? value = GetDouble(obj, key);
        return value is null ? null : (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, value.Value));
    }

    /// <summary>A boolean member, or null.</summary>
    public static bool? GetBool(Dictionary<string, object?>? obj, string key) =>
        obj is not null && obj.TryGetValue(key, out object? value) && value is bool b ? b : null;

    /// <summary>An object member, or null.</summary>
    public static Dictionary<string, object?>? GetObject(Dictionary<string, object?>? obj, string key) =>
        obj is not null && obj.TryGetValue(key, out object? value) ? value as Dictionary<string, object?> : null;

    private FormatException Error(string what) =>
        new("JSON: " + what + " at offset " + position.ToString(CultureInfo.InvariantCulture));

    private void SkipWhitespace()
    {
        while (position < text.Length && text[position] is ' ' or '\t' or '\n' or '\r' or '\uFEFF')
        {
            position++;
        }
    }

    private char Peek() => position < text.Length ? text[position] : throw Error("unexpected end");

    private void Expect(string literal)
    {
        if (string.CompareOrdinal(text, position, literal, 0, literal.Length) != 0)
        {
            throw Error("expected " + literal);
        }
        position += literal.Length;
    }

    private object? ReadValue()
    {
        switch (Peek())
        {
            case '{':
                return Nested(ReadObject);
            case '[':
                return Nested(ReadArray);
            case '"':
                return ReadString();
            case 't':
                Expect("true");
                return true;
            case 'f':
                Expect("false");
                return false;
            case 'n':
                Expect("null");
                return null;
            default:
                return ReadNumber();
        }
    }

    private T Nested<T>(Func<T> read)
    {
        if (++depth > MaxDepth)
        {
            throw Error("nested deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
        }
        T value = read();
        depth--;
        return value;
    }

    private Dictionary<string, object?> ReadObject()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        position++;
        SkipWhitespace();
        if (Peek() == '}')
        {
            position++;
            return result;
        }
        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Error("expected a key");
            }
            string key = ReadString();
            SkipWhitespace();
            Expect(":");
            SkipWhitespace();
            result[key] = ReadValue();
            SkipWhitespace();
            char c = Peek();
            position++;
            if (c == '}')
            {
                return result;
            }
            if (c != ',')
            {
                throw Error("expected , or }");
            }
        }
    }

    private List<object?> ReadArray()
    {
        var result = new List<object?>();
        position++;
        SkipWhitespace();
        if (Peek() == ']')
        {
            position++;
            return result;
        }
        while (true)
        {
            SkipWhitespace();
            result.Add(ReadValue());
            SkipWhitespace();
            char c = Peek();
            position++;
            if (c == ']')
            {
                return result;
            }
            if (c != ',')
            {
                throw Error("expected , or ]");
            }
        }
    }

    private string ReadString()
    {
        var result = new StringBuilder();
        position++;
        while (true)
        {
            char c = Peek();
            position++;
            if (c == '"')
            {
                return result.ToString();
            }
            if (c != '\\')
            {
                result.Append(c);
                continue;
            }
            char escape = Peek();
            position++;
            switch (escape)
            {
                case '"': result.Append('"'); break;
                case '\\': result.Append('\\'); break;
                case '/': result.Append('/'); break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'u':
                    if (position + 4 > text.Length ||
                        !int.TryParse(text.Substring(position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        throw Error("bad \\u escape");
                    }
                    result.Append((char)code);
                    position += 4;
                    break;
                default:
                    throw Error("bad escape");
            }
        }
    }

    private object ReadNumber()
    {
        int start = position;
        while (position < text.Length && "+-0123456789.eE".IndexOf(text[position]) >= 0)
        {
            position++;
        }
        string number = text.Substring(start, position - start);
        if (number.IndexOfAny(new[] { '.', 'e', 'E' }) < 0 &&
            long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return integer;
        }
        if (number.Length == 0 || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            position = start;
            throw Error("expected a value");
        }
        return value;
    }
}
