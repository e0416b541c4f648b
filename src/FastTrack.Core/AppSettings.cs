using System.Reflection;
using FastTrack.Core.Storage;

namespace FastTrack.Core;

/// <summary>
/// Every setting the app reads, named as an app setting (<c>Section__Property</c>; <c>*</c> stands for any key of a
/// map). It is worked out, not listed: each options class (a public class with a <c>const string Section</c>, bound to
/// that section) of the assemblies given contributes its properties (the core's, and each host's own), and
/// <see cref="ReadByName"/> adds the settings read directly. A test checks that local.settings.sample.json, the infra's
/// app settings and the README name each of them, unless it is listed below as not belonging there, with the reason.
/// </summary>
public static class AppSettings
{
    /// <summary>Settings read by name rather than through an options class.</summary>
    private static readonly string[] ReadByName =
    [
        StorageAccount.Setting,
        $"{StorageAccount.Setting}__blobServiceUri",
        $"{StorageAccount.Setting}__queueServiceUri",
        $"{StorageAccount.Setting}__tableServiceUri",
        $"{StorageAccount.Setting}__clientId",
    ];

    /// <summary>Settings local.settings.sample.json leaves out, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotInLocalSettings = new Dictionary<string, string>
    {
        [$"{StorageAccount.Setting}__*"] = "Azure only: locally the connection string reaches Azurite",
        ["Mail__ManagedIdentityClientId"] = "Azure only: the identity Graph is called with",
        ["Mail__GraphBaseUrl"] = "unset, Development sends mail to the app's own local Graph endpoint",
        ["Mail__TenantId"] = "a client secret is the alternative to a managed identity, for Graph outside Azure",
        ["Mail__ClientId"] = "a client secret is the alternative to a managed identity, for Graph outside Azure",
        ["Mail__ClientSecret"] = "a client secret is the alternative to a managed identity, for Graph outside Azure",
        ["Triggers__Queues__*"] = "host.json's extensions.queues is the source; a setting only overrides it (tests)",
        ["Events__ServiceBusNamespace"] = "Azure only: locally events go to a Storage queue",
        ["Events__ManagedIdentityClientId"] = "Azure only: the identity Service Bus is reached with",
    };

    /// <summary>Settings the infra's app settings leave out, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotInAzure = new Dictionary<string, string>
    {
        [StorageAccount.Setting] = "a connection string carries a key; Azure uses the identity-based settings",
        ["Triggers__*"] = "the dev host's local triggers; the Functions host runs the triggers in Azure",
        ["DemoData__Enabled"] = "Development only",
        ["Mail__DevMailboxTable"] = "Development only",
        ["Mail__GraphBaseUrl"] = "unset is the public cloud's Graph; set it for a national cloud",
        ["Mail__TenantId"] = "Azure calls Graph with the managed identity, not a client secret",
        ["Mail__ClientId"] = "Azure calls Graph with the managed identity, not a client secret",
        ["Mail__ClientSecret"] = "Azure calls Graph with the managed identity, not a client secret",
    };

    /// <summary>The core's settings and those of the options classes in <paramref name="hostAssemblies"/>.</summary>
    public static IReadOnlyList<string> All(params Assembly[] hostAssemblies) =>
        ReadByName.Concat(hostAssemblies.Prepend(typeof(AppSettings).Assembly).Distinct().SelectMany(assembly => assembly.GetTypes()).SelectMany(OptionsSettings))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Whether <paramref name="setting"/> is <paramref name="pattern"/> or, for a pattern ending in <c>*</c>, starts like it.</summary>
    public static bool Matches(string pattern, string setting) =>
        pattern.EndsWith('*')
            ? setting.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, setting, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> OptionsSettings(Type type) =>
        type is { IsClass: true, IsPublic: true } &&
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } section
            ? Properties(type, (string)section.GetRawConstantValue()!)
            : [];

    /// <summary>What the configuration binder binds: settable simple values, maps, and the same within nested objects.</summary>
    private static IEnumerable<string> Properties(Type type, string prefix) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).SelectMany<PropertyInfo, string>(property =>
        {
            var name = $"{prefix}__{property.Name}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (valueType.IsGenericType && valueType.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            {
                return [name + "__*"];
            }

            var isValue = valueType.IsPrimitive || valueType.IsEnum ||
                valueType == typeof(string) || valueType == typeof(Uri) || valueType == typeof(TimeSpan);
            if (!isValue)
            {
                return Properties(valueType, name);
            }

            return property.CanWrite ? [name] : [];
        });
}
