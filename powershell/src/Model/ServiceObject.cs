using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;

namespace PartnerCenterNative;

/// <summary>
/// An object as Partner Center sent it: the documented fields as typed properties, every other
/// field kept and shown as a note property of the object's PSObject, so nothing the service
/// adds is lost. Nested objects are PSCustomObjects, arrays object[].
/// </summary>
public abstract class ServiceObject
{
    private readonly HashSet<string> present = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<KeyValuePair<string, object?>> unknown = new();

    /// <summary>Keeps the members of <paramref name="json"/> that are not among <paramref name="known"/>.</summary>
    private protected ServiceObject(Dictionary<string, object?> json, params string[] known)
    {
        var knownNames = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, object?> member in json)
        {
            present.Add(member.Key);
            if (!knownNames.Contains(member.Key))
            {
                unknown.Add(member);
            }
        }
    }

    /// <summary>Names of the properties this module adds (e.g. CustomerId): never sent back.</summary>
    private protected virtual string[] Derived => Array.Empty<string>();

    /// <summary>This object wrapped for the pipeline, with the unknown fields as note properties.</summary>
    internal PSObject ToPSObject()
    {
        PSObject wrapper = PSObject.AsPSObject(this);
        foreach (KeyValuePair<string, object?> member in unknown)
        {
            // A field named like one of the typed properties stays hidden (it is still sent back).
            if (wrapper.Properties[member.Key] is null)
            {
                wrapper.Properties.Add(new PSNoteProperty(member.Key, PSJson.ToPS(member.Value)));
            }
        }
        return wrapper;
    }

    /// <summary>
    /// The object as the service reads it, from its current state: typed properties under their
    /// camelCase JSON names (null ones only if the service sent them), then every note property
    /// (the service's unknown fields, changed or not, and members a user added with Add-Member).
    /// </summary>
    internal OrderedDictionary ToTree(PSObject wrapper, int depth)
    {
        var derived = new HashSet<string>(Derived, StringComparer.OrdinalIgnoreCase);
        OrderedDictionary tree = PSJson.NewObject();
        foreach (PSPropertyInfo property in wrapper.Properties)
        {
            if (!property.IsGettable || derived.Contains(property.Name))
            {
                continue;
            }
            object? value = property.Value;
            string name = property.Name;
            if (property is PSProperty)
            {
                name = char.ToLowerInvariant(name[0]) + name.Substring(1);
                if (value is null && !present.Contains(name))
                {
                    continue;
                }
            }
            if (!tree.Contains(name))
            {
                tree[name] = PSJson.ToTree(value, depth + 1);
            }
        }
        foreach (KeyValuePair<string, object?> member in unknown)
        {
            if (!tree.Contains(member.Key))
            {
                tree[member.Key] = PSJson.ToTree(PSJson.ToPS(member.Value), depth + 1);
            }
        }
        return tree;
    }

    private protected static object? Nested(Dictionary<string, object?> json, string key) =>
        json.TryGetValue(key, out object? value) ? PSJson.ToPS(value) : null;

    private protected static string? NestedString(object? nested, string key) =>
        nested is PSObject obj ? obj.Properties[key]?.Value as string : null;
}
