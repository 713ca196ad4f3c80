using System.Reflection;
using System.Runtime.CompilerServices;
using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Architecture;

/// <summary>The rules the compiler cannot enforce for the core: no I/O assemblies, no mutable public state.</summary>
public sealed class CoreIsPureTests
{
    private static readonly Assembly Core = typeof(Money).Assembly;

    private static readonly string[] ForbiddenPrefixes =
    [
        "Microsoft.EntityFrameworkCore",
        "Microsoft.AspNetCore",
        "Microsoft.Extensions.Logging",
        "Npgsql",
        "Microsoft.Data.Sqlite",
        "System.Net",
    ];

    [Fact]
    public void The_core_references_no_storage_web_logging_or_network_assembly()
    {
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var forbidden = references.Where(name => ForbiddenPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))).ToList();

        Assert.True(forbidden.Count == 0, $"OpenCIS.Core references {string.Join(", ", forbidden)}");
        // Guard the guard: the list really is the core's references, not an empty list from the wrong assembly.
        Assert.Contains("System.Runtime", references);
        Assert.Equal("OpenCIS.Core", Core.GetName().Name);
    }

    [Fact]
    public void No_public_core_type_has_a_public_setter_that_is_not_init_only()
    {
        var publicTypes = Core.GetExportedTypes();
        var mutable = (
            from type in publicTypes
            from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            let setter = property.GetSetMethod(nonPublic: false)
            where setter is not null && !IsInitOnly(setter)
            select $"{type.FullName}.{property.Name}").ToList();

        Assert.True(mutable.Count == 0, $"Public settable properties in OpenCIS.Core: {string.Join(", ", mutable)}");
        Assert.Contains(typeof(Money), publicTypes);
        Assert.True(publicTypes.Length > 20, "expected the core's public types to be found");
    }

    [Fact]
    public void No_public_core_type_has_a_public_field_that_is_not_read_only()
    {
        var mutable = (
            from type in Core.GetExportedTypes()
            from field in type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            where !field.IsInitOnly && !field.IsLiteral && !type.IsEnum
            select $"{type.FullName}.{field.Name}").ToList();

        Assert.True(mutable.Count == 0, $"Public writable fields in OpenCIS.Core: {string.Join(", ", mutable)}");
    }

    [Fact]
    public void The_init_only_check_tells_a_setter_from_an_init_accessor()
    {
        Assert.True(IsInitOnly(typeof(WithInit).GetProperty(nameof(WithInit.Value))!.GetSetMethod()!));
        Assert.False(IsInitOnly(typeof(WithSetter).GetProperty(nameof(WithSetter.Value))!.GetSetMethod()!));
    }

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private sealed class WithInit
    {
        public int Value { get; init; }
    }

    private sealed class WithSetter
    {
        public int Value { get; set; }
    }
}
