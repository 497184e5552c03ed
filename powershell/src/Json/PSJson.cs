using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;

namespace PartnerCenterNative;

/// <summary>
/// JSON values and PowerShell objects, both ways: service JSON becomes PSCustomObjects (note
/// properties in document order, arrays as object[]), and objects a user may have changed
/// become plain JSON trees (case-insensitive ordered dictionaries, lists, scalars) to send.
/// </summary>
internal static class PSJson
{
    private const int MaxDepth = 160;

    /// <summary>A parsed JSON value as PowerShell shows it: objects as PSCustomObject, arrays as object[].</summary>
    internal static object? ToPS(object? json) => json switch
    {
        Dictionary<string, object?> obj => ToPSObject(obj),
        List<object?> list => list.ConvertAll(ToPS).ToArray(),
        _ => json,
    };

    internal static PSObject ToPSObject(Dictionary<string, object?> obj)
    {
        var result = new PSObject();
        foreach (KeyValuePair<string, object?> member in obj)
        {
            AddNote(result, member.Key, ToPS(member.Value));
        }
        return result;
    }

    /// <summary>Adds a note property, or replaces the value of one of the same name.</summary>
    internal static void AddNote(PSObject target, string name, object? value)
    {
        PSPropertyInfo? existing = target.Properties[name];
        if (existing is not null)
        {
            existing.Value = value;
            return;
        }
        target.Properties.Add(new PSNoteProperty(name, value));
    }

    /// <summary>A new, independent case-insensitive JSON object.</summary>
    internal static OrderedDictionary NewObject() => new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Any value as a JSON tree: PSCustomObjects by their note properties, this module's objects
    /// by their service fields (<see cref="ServiceObject.ToTree"/>), dictionaries, lists and
    /// scalars as they are, other .NET objects by their readable properties. The tree is a copy.
    /// </summary>
    internal static object? ToTree(object? value, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException("The object is nested deeper than " + MaxDepth + " levels (a cycle?); it cannot be sent as JSON.");
        }
        PSObject? wrapper = value as PSObject;
        object? baseObject = wrapper is not null ? wrapper.BaseObject : value;
        switch (baseObject)
        {
            case null:
                return null;
            case PSCustomObject:
                return Properties(wrapper!, depth, skip: null);
            case ServiceObject service:
                return service.ToTree(wrapper ?? PSObject.AsPSObject(service), depth);
            case string or char or bool or Enum or Guid or DateTime or DateTimeOffset:
            case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                return baseObject;
            case IDictionary dictionary:
                OrderedDictionary obj = NewObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    obj[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? ""] = ToTree(entry.Value, depth + 1);
                }
                return obj;
            case IEnumerable list:
                var items = new List<object?>();
                foreach (object? item in list)
                {
                    items.Add(ToTree(item, depth + 1));
                }
                return items;
            default:
                return Properties(wrapper ?? PSObject.AsPSObject(baseObject), depth, skip: null);
        }
    }

    /// <summary>The readable properties of an object as a JSON object, minus those <paramref name="skip"/> names.</summary>
    internal static OrderedDictionary Properties(PSObject source, int depth, Func<PSPropertyInfo, bool>? skip)
    {
        OrderedDictionary obj = NewObject();
        foreach (PSPropertyInfo property in source.Properties)
        {
            if (!property.IsGettable || (skip is not null && skip(property)) || obj.Contains(property.Name))
            {
                continue;
            }
            obj[property.Name] = ToTree(property.Value, depth + 1);
        }
        return obj;
    }

    /// <summary>Sets a member of a JSON object, keeping the spelling of an existing member of that name.</summary>
    internal static void Set(OrderedDictionary obj, string name, object? value)
    {
        foreach (object? key in obj.Keys)
        {
            if (key is string existing && string.Equals(existing, name, StringComparison.OrdinalIgnoreCase))
            {
                obj[existing] = value;
                return;
            }
        }
        obj[name] = value;
    }
}
