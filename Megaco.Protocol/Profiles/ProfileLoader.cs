using System.Globalization;
using System.Text.Json;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>
/// Loads <c>profiles/packages/*.json</c> and <c>profiles/*.json</c> and lints them: names and ids
/// unique, <c>extends</c> chains resolvable and acyclic, types and defaults valid, every profile's
/// packages present. The first fault throws a <see cref="ProfileLoadException"/> that names the
/// file, the JSON path of the item and the fault, so a bad file stops start-up.
/// </summary>
public static class ProfileLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    private static readonly HashSet<string> KnownTransports = new(StringComparer.Ordinal) { "udp-alf", "tcp-tpkt", "sctp" };

    private static readonly HashSet<string> KnownEncodings = new(StringComparer.Ordinal) { "text", "binary" };

    /// <summary>Loads the directory holding <c>packages/</c> and the profile files.</summary>
    public static ProfileCatalog LoadDirectory(string directory)
    {
        var packagesDirectory = Path.Combine(directory, "packages");
        if (!Directory.Exists(packagesDirectory))
        {
            throw new ProfileLoadException(packagesDirectory, "$", "the packages directory is missing");
        }
        var raw = new List<RawPackage>();
        foreach (var file in SortedJson(packagesDirectory))
        {
            raw.Add(ReadPackage(file, Relative(directory, file)));
        }
        var packages = Resolve(raw);
        var profiles = new List<ProfileDefinition>();
        foreach (var file in SortedJson(directory))
        {
            profiles.Add(ReadProfile(file, Relative(directory, file), packages));
        }
        return new ProfileCatalog(packages.Values, profiles);
    }

    private static IEnumerable<string> SortedJson(string directory) =>
        Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal);

    private static string Relative(string root, string file) =>
        Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');

    private sealed record RawPackage(string File, PackageDefinition Own, PackageReference? Extends);

    private static RawPackage ReadPackage(string path, string file)
    {
        using var json = new JsonFile(file, Parse(path, file));
        var root = json.Root;
        json.OnlyKeys(root, "$", "$schema", "name", "id", "version", "title", "definedIn", "source", "extends", "note",
            "properties", "events", "signals", "statistics", "errorCodes");
        var name = json.Name(root, "$", "name");
        var stem = Path.GetFileNameWithoutExtension(path);
        if (!string.Equals(stem, name, StringComparison.Ordinal))
        {
            json.Fail("$.name", "package '" + name + "' must be in a file named " + name + ".json");
        }
        var id = json.Id(root, "$", "id");
        var version = json.Version(root, "$", "version");
        PackageReference? extends = null;
        if (root.TryGetProperty("extends", out var ext) && ext.ValueKind != JsonValueKind.Null)
        {
            json.OnlyKeys(ext, "$.extends", "name", "version");
            extends = new PackageReference(json.Name(ext, "$.extends", "name"), json.Version(ext, "$.extends", "version"));
        }

        var properties = new List<PropertyDefinition>();
        json.Items(root, "properties", (item, at) =>
        {
            json.OnlyKeys(item, at, "name", "id", "type", "values", "range", "unit", "default", "readOnly", "descriptors", "provisional", "note", "source", "secret");
            var domain = json.Domain(item, at);
            var allowedIn = json.Descriptors(item, at);
            var @default = json.Default(item, at, domain);
            properties.Add(new PropertyDefinition(json.Name(item, at, "name"), json.Id(item, at, "id"), domain, allowedIn,
                json.Bool(item, at, "readOnly"), @default, json.Bool(item, at, "provisional"), json.OptionalString(item, at, "note"),
                json.OptionalString(item, at, "source"), json.Bool(item, at, "secret")));
        });
        json.Unique(properties, "properties", p => p.Name, p => p.Id);

        var events = new List<EventDefinition>();
        json.Items(root, "events", (item, at) =>
        {
            json.OnlyKeys(item, at, "name", "id", "description", "parameters", "observedParameters", "provisional", "note", "source");
            events.Add(new EventDefinition(json.Name(item, at, "name"), json.Id(item, at, "id"), json.OptionalString(item, at, "description"),
                json.Parameters(item, at, "parameters"), json.Parameters(item, at, "observedParameters"),
                json.Bool(item, at, "provisional"), json.OptionalString(item, at, "note"), json.OptionalString(item, at, "source")));
        });
        json.Unique(events, "events", e => e.Name, e => e.Id);

        var signals = new List<SignalDefinition>();
        json.Items(root, "signals", (item, at) =>
        {
            json.OnlyKeys(item, at, "name", "id", "description", "signalType", "durationMs", "parameters", "provisional", "note", "source");
            var type = json.RequiredString(item, at, "signalType") switch
            {
                "onOff" => SignalType.OnOff,
                "timeOut" => SignalType.TimeOut,
                "brief" => SignalType.Brief,
                var other => json.Fail<SignalType>(at + ".signalType", "'" + other + "' is not onOff, timeOut or brief"),
            };
            int? duration = item.TryGetProperty("durationMs", out var d) ? (int)json.Int(d, at + ".durationMs", 0, int.MaxValue) : null;
            signals.Add(new SignalDefinition(json.Name(item, at, "name"), json.Id(item, at, "id"), json.OptionalString(item, at, "description"),
                type, duration, json.Parameters(item, at, "parameters"), json.Bool(item, at, "provisional"), json.OptionalString(item, at, "note"),
                json.OptionalString(item, at, "source")));
        });
        json.Unique(signals, "signals", s => s.Name, s => s.Id);

        var statistics = new List<StatisticDefinition>();
        json.Items(root, "statistics", (item, at) =>
        {
            json.OnlyKeys(item, at, "name", "id", "description", "type", "values", "range", "unit", "provisional", "note", "source");
            statistics.Add(new StatisticDefinition(json.Name(item, at, "name"), json.Id(item, at, "id"), json.OptionalString(item, at, "description"),
                json.Domain(item, at), json.Bool(item, at, "provisional"), json.OptionalString(item, at, "note"), json.OptionalString(item, at, "source")));
        });
        json.Unique(statistics, "statistics", s => s.Name, s => s.Id);

        var errors = new List<PackageErrorCode>();
        json.Items(root, "errorCodes", (item, at) =>
        {
            json.OnlyKeys(item, at, "code", "name", "provisional", "note");
            var code = json.Int(json.Required(item, at, "code"), at + ".code", 400, 999);
            errors.Add(new PackageErrorCode((ushort)code, json.RequiredString(item, at, "name"), json.Bool(item, at, "provisional"), json.OptionalString(item, at, "note")));
        });

        var own = new PackageDefinition(name, id, version, extends,
            new ValueList<PropertyDefinition>(properties), new ValueList<EventDefinition>(events),
            new ValueList<SignalDefinition>(signals), new ValueList<StatisticDefinition>(statistics),
            new ValueList<PackageErrorCode>(errors),
            json.OptionalString(root, "$", "title"), json.OptionalString(root, "$", "definedIn"),
            json.OptionalString(root, "$", "source"), json.OptionalString(root, "$", "note"));
        return new RawPackage(file, own, extends);
    }

    /// <summary>Unique names and ids across files, then each <c>extends</c> chain resolved with inherited items (H.248.1 §12.1.1).</summary>
    private static Dictionary<string, PackageDefinition> Resolve(List<RawPackage> raw)
    {
        var byName = new Dictionary<string, RawPackage>(StringComparer.OrdinalIgnoreCase);
        var byId = new Dictionary<ushort, RawPackage>();
        foreach (var package in raw)
        {
            if (byName.TryGetValue(package.Own.Name, out var first))
            {
                throw new ProfileLoadException(package.File, "$.name", "duplicate package name '" + package.Own.Name + "' (also in " + first.File + ")");
            }
            if (byId.TryGetValue(package.Own.Id, out var sameId))
            {
                throw new ProfileLoadException(package.File, "$.id", "duplicate package id " + Hex(package.Own.Id) + " (also " + sameId.Own.Name + " in " + sameId.File + ")");
            }
            byName.Add(package.Own.Name, package);
            byId.Add(package.Own.Id, package);
        }

        var resolved = new Dictionary<string, PackageDefinition>(StringComparer.OrdinalIgnoreCase);
        var visiting = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var package in raw)
        {
            ResolveOne(package, byName, resolved, visiting);
        }
        return resolved;
    }

    private static PackageDefinition ResolveOne(RawPackage package, Dictionary<string, RawPackage> byName,
        Dictionary<string, PackageDefinition> resolved, HashSet<string> visiting)
    {
        if (resolved.TryGetValue(package.Own.Name, out var done))
        {
            return done;
        }
        if (package.Extends is not { } extends)
        {
            resolved.Add(package.Own.Name, package.Own);
            return package.Own;
        }
        if (!byName.TryGetValue(extends.Name, out var parentRaw))
        {
            throw new ProfileLoadException(package.File, "$.extends.name", "extends '" + extends.Name + "', which no file in packages/ defines");
        }
        if (!visiting.Add(package.Own.Name))
        {
            throw new ProfileLoadException(package.File, "$.extends", "extends cycle through '" + package.Own.Name + "'");
        }
        if (extends.Version > parentRaw.Own.Version)
        {
            throw new ProfileLoadException(package.File, "$.extends.version",
                "extends " + extends + " but " + parentRaw.File + " defines version " + parentRaw.Own.Version.ToString(CultureInfo.InvariantCulture));
        }
        var parent = ResolveOne(parentRaw, byName, resolved, visiting);
        visiting.Remove(package.Own.Name);
        var own = package.Own;
        var merged = own with
        {
            Properties = Inherit(own.Properties, parent.Properties, static p => p.Name),
            Events = Inherit(own.Events, parent.Events, static e => e.Name),
            Signals = Inherit(own.Signals, parent.Signals, static s => s.Name),
            Statistics = Inherit(own.Statistics, parent.Statistics, static s => s.Name),
            ErrorCodes = Inherit(own.ErrorCodes, parent.ErrorCodes, static e => e.Code.ToString(CultureInfo.InvariantCulture)),
        };
        resolved.Add(own.Name, merged);
        return merged;
    }

    private static ValueList<T> Inherit<T>(ValueList<T> own, ValueList<T> inherited, Func<T, string> nameOf)
    {
        var names = new HashSet<string>(own.Select(nameOf), StringComparer.OrdinalIgnoreCase);
        return new ValueList<T>(own.Concat(inherited.Where(i => !names.Contains(nameOf(i)))));
    }

    private static ProfileDefinition ReadProfile(string path, string file, Dictionary<string, PackageDefinition> packages)
    {
        using var json = new JsonFile(file, Parse(path, file));
        var root = json.Root;
        json.OnlyKeys(root, "$", "$schema", "name", "title", "specification", "interface", "serviceChangeProfile", "private", "note",
            "transports", "encodings", "protocolVersions", "packages", "terminationClasses", "defaults", "defaultsSource", "procedures");
        var name = json.Name(root, "$", "name");
        if (!string.Equals(Path.GetFileNameWithoutExtension(path), name, StringComparison.Ordinal))
        {
            json.Fail("$.name", "profile '" + name + "' must be in a file named " + name + ".json");
        }
        var sc = json.Required(root, "$", "serviceChangeProfile");
        json.OnlyKeys(sc, "$.serviceChangeProfile", "name", "version", "provisional", "note");
        var identity = new ProfileIdentity(json.RequiredString(sc, "$.serviceChangeProfile", "name"),
            json.Version(sc, "$.serviceChangeProfile", "version"), json.Bool(sc, "$.serviceChangeProfile", "provisional"),
            json.OptionalString(sc, "$.serviceChangeProfile", "note"));

        var listed = new List<ProfilePackage>();
        json.Items(root, "packages", (item, at) =>
        {
            json.OnlyKeys(item, at, "name", "version", "support", "note");
            var packageName = json.Name(item, at, "name");
            var version = json.Version(item, at, "version");
            if (!packages.TryGetValue(packageName, out var package))
            {
                json.Fail(at + ".name", "package '" + packageName + "' is not defined in packages/");
            }
            else if (version > package.Version)
            {
                json.Fail(at + ".version", "profile asks for " + packageName + " version " + version.ToString(CultureInfo.InvariantCulture)
                    + " but packages/" + package.Name + ".json defines version " + package.Version.ToString(CultureInfo.InvariantCulture));
            }
            if (listed.Any(p => string.Equals(p.Name, packageName, StringComparison.OrdinalIgnoreCase)))
            {
                json.Fail(at + ".name", "package '" + packageName + "' listed twice");
            }
            var support = json.RequiredString(item, at, "support") switch
            {
                "mandatory" => PackageSupport.Mandatory,
                "optional" => PackageSupport.Optional,
                var other => json.Fail<PackageSupport>(at + ".support", "'" + other + "' is not mandatory or optional"),
            };
            listed.Add(new ProfilePackage(packageName, version, support, json.OptionalString(item, at, "note")));
        });

        bool Listed(string packageName) => listed.Any(p => string.Equals(p.Name, packageName, StringComparison.OrdinalIgnoreCase));

        var classes = new List<TerminationClass>();
        json.Items(root, "terminationClasses", (item, at) =>
        {
            json.OnlyKeys(item, at, "name", "termination", "ephemeral", "packages", "note");
            var names = json.Strings(item, at, "packages");
            for (var i = 0; i < names.Count; i++)
            {
                if (!Listed(names[i]))
                {
                    json.Fail(at + ".packages[" + i.ToString(CultureInfo.InvariantCulture) + "]", "package '" + names[i] + "' is not listed in this profile's packages");
                }
            }
            classes.Add(new TerminationClass(json.RequiredString(item, at, "name"), json.RequiredString(item, at, "termination"),
                json.Bool(item, at, "ephemeral"), names, json.OptionalString(item, at, "note")));
        });

        var defaults = new List<ProfileDefault>();
        if (root.TryGetProperty("defaults", out var defaultsElement))
        {
            json.Kind(defaultsElement, "$.defaults", JsonValueKind.Object);
            foreach (var entry in defaultsElement.EnumerateObject())
            {
                var at = "$.defaults['" + entry.Name + "']";
                var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0)
                {
                    json.Fail(at, "a default is keyed by package/property");
                }
                var property = new PkgdName(entry.Name[..slash], entry.Name[(slash + 1)..]);
                if (!Listed(property.Package) || !packages.TryGetValue(property.Package, out var package))
                {
                    json.Fail(at, "package '" + property.Package + "' is not listed in this profile's packages");
                    continue;
                }
                if (package.FindProperty(property.Item) is not { } definition)
                {
                    json.Fail(at, "package '" + package.Name + "' has no property '" + property.Item + "'");
                    continue;
                }
                var text = json.ScalarText(entry.Value, at);
                if (!definition.Domain.TryParse(text, out _))
                {
                    json.Fail(at, "default '" + text + "' is not a valid " + definition.Domain.Describe());
                }
                defaults.Add(new ProfileDefault(property, text));
            }
        }

        var procedures = new List<ProfileProcedure>();
        json.Items(root, "procedures", (item, at) =>
        {
            json.OnlyKeys(item, at, "name", "source", "supported", "note");
            procedures.Add(new ProfileProcedure(json.RequiredString(item, at, "name"), json.RequiredString(item, at, "source"),
                json.Bool(item, at, "supported"), json.OptionalString(item, at, "note")));
        });

        var transports = json.Strings(root, "$", "transports");
        for (var i = 0; i < transports.Count; i++)
        {
            if (!KnownTransports.Contains(transports[i]))
            {
                json.Fail("$.transports[" + i.ToString(CultureInfo.InvariantCulture) + "]", "unknown transport '" + transports[i] + "' (udp-alf, tcp-tpkt or sctp: H.248.1 Annex D, H.248.4)");
            }
        }
        var encodings = json.Strings(root, "$", "encodings");
        for (var i = 0; i < encodings.Count; i++)
        {
            if (!KnownEncodings.Contains(encodings[i]))
            {
                json.Fail("$.encodings[" + i.ToString(CultureInfo.InvariantCulture) + "]", "unknown encoding '" + encodings[i] + "' (text or binary)");
            }
        }
        var versions = new List<ushort>();
        if (root.TryGetProperty("protocolVersions", out var versionsElement))
        {
            json.Kind(versionsElement, "$.protocolVersions", JsonValueKind.Array);
            var i = 0;
            foreach (var v in versionsElement.EnumerateArray())
            {
                versions.Add((ushort)json.Int(v, "$.protocolVersions[" + i++.ToString(CultureInfo.InvariantCulture) + "]", 1, 3));
            }
        }

        return new ProfileDefinition(name, identity, new ValueList<ProfilePackage>(listed), transports, encodings,
            new ValueList<ushort>(versions), new ValueList<TerminationClass>(classes), new ValueList<ProfileDefault>(defaults),
            new ValueList<ProfileProcedure>(procedures), json.Bool(root, "$", "private"),
            json.OptionalString(root, "$", "title"), json.OptionalString(root, "$", "specification"),
            json.OptionalString(root, "$", "interface"), json.OptionalString(root, "$", "note"),
            json.OptionalString(root, "$", "defaultsSource"));
    }

    private static JsonDocument Parse(string path, string file)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ProfileLoadException(file, "$", "not valid JSON: " + e.Message);
        }
    }

    internal static string Hex(ushort id) => "0x" + id.ToString("x4", CultureInfo.InvariantCulture);
}
