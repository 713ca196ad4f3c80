using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.UseCases;

namespace OpenCIS.Tests.Architecture;

/// <summary>
/// The direction of use is one way: hosts (web, CLI) -> use cases -> storage -> core. Project
/// references make the compiler enforce most of it; these tests keep the references honest and catch
/// what references cannot: a host reaching past the use cases into the DbContext.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly Core = typeof(Money).Assembly;
    private static readonly Assembly Storage = typeof(OpenCisDbContext).Assembly;
    private static readonly Assembly UseCases = typeof(UseCaseServiceCollectionExtensions).Assembly;
    private static readonly Assembly Web = typeof(Program).Assembly;
    private static readonly Assembly Cli = typeof(OpenCIS.Cli.CliApp).Assembly;

    /// <summary>The composition roots build the service container; only they may name storage's DbContext.</summary>
    private static readonly string[] CompositionRoots = ["Program", "OpenCIS.Web.StartupTasks", "OpenCIS.Cli.CliHost"];

    [Theory]
    [InlineData("OpenCIS.Core", new string[0])]
    [InlineData("OpenCIS.Storage", new[] { "OpenCIS.Core" })]
    [InlineData("OpenCIS.UseCases", new[] { "OpenCIS.Core", "OpenCIS.Storage" })]
    [InlineData("OpenCIS.Web", new[] { "OpenCIS.Core", "OpenCIS.Storage", "OpenCIS.UseCases" })]
    [InlineData("opencis", new[] { "OpenCIS.Core", "OpenCIS.Storage", "OpenCIS.UseCases" })]
    public void Each_project_uses_only_the_layers_below_it(string assemblyName, string[] allowed)
    {
        var assembly = new[] { Core, Storage, UseCases, Web, Cli }.Single(a => a.GetName().Name == assemblyName);

        var ours = assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(name => name.StartsWith("OpenCIS", StringComparison.Ordinal) || name == "opencis").ToList();

        Assert.Empty(ours.Except(allowed));
    }

    [Fact]
    public void Storage_references_no_use_case_and_no_host()
    {
        var names = Storage.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain("OpenCIS.UseCases", names);
        Assert.DoesNotContain("OpenCIS.Web", names);
        Assert.DoesNotContain("opencis", names);
        Assert.Contains("OpenCIS.Core", names);
    }

    [Fact]
    public void The_web_host_uses_the_DbContext_only_in_its_composition_root()
    {
        var offenders = DbContextUses(Web).Where(use => !IsCompositionRoot(use.Type)).Select(use => use.Description).ToList();

        Assert.True(offenders.Count == 0, "Web code outside the composition root uses the DbContext:\n" + string.Join("\n", offenders));
        // Guard the guard: the composition root does register the DbContext with Identity, and the scan sees it.
        Assert.Contains(DbContextUses(Web), use => IsCompositionRoot(use.Type));
    }

    [Fact]
    public void The_command_line_host_never_uses_the_DbContext()
    {
        var offenders = DbContextUses(Cli).Where(use => !IsCompositionRoot(use.Type)).Select(use => use.Description).ToList();

        Assert.True(offenders.Count == 0, "CLI code outside the composition root uses the DbContext:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_scan_finds_a_DbContext_in_a_parameter_a_field_a_generic_argument_and_a_method_body()
    {
        var found = DbContextUses(typeof(LayeringTests).Assembly)
            .Where(use => use.Type.DeclaringType == typeof(Offender) || use.Type == typeof(Offender)).Select(use => use.Description).ToList();

        Assert.Contains(found, d => d.Contains("field", StringComparison.Ordinal));
        Assert.Contains(found, d => d.Contains("parameter", StringComparison.Ordinal));
        Assert.Contains(found, d => d.Contains(nameof(Offender.Resolve), StringComparison.Ordinal) && d.Contains("body", StringComparison.Ordinal));
        Assert.Contains(found, d => d.Contains(nameof(Offender.Count), StringComparison.Ordinal) && d.Contains("body", StringComparison.Ordinal));
    }

    private static bool IsCompositionRoot(Type type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (CompositionRoots.Contains(t.FullName))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Use(Type Type, string Description);

    private static List<Use> DbContextUses(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var uses = new List<Use>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var field in type.GetFields(all).Where(f => Names(f.FieldType)))
            {
                uses.Add(new Use(type, $"{type.FullName}: field {field.Name}"));
            }

            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                foreach (var parameter in method.GetParameters().Where(p => Names(p.ParameterType)))
                {
                    uses.Add(new Use(type, $"{type.FullName}.{method.Name}: parameter {parameter.Name}"));
                }

                if (BodyNames(method))
                {
                    uses.Add(new Use(type, $"{type.FullName}.{method.Name}: method body"));
                }
            }
        }

        return uses;
    }

    private static bool Names(Type? type) =>
        type is not null && (typeof(OpenCisDbContext).IsAssignableFrom(type)
            || (type.HasElementType && Names(type.GetElementType()))
            || (type.IsGenericType && type.GetGenericArguments().Any(Names)));

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Walks the method's IL and resolves every member, type and token operand it names.</summary>
    private static bool BodyNames(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return false;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[position++]));
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, position);
                    position += 4;
                    if (Resolves(method.Module, token, typeArguments, methodArguments))
                    {
                        return true;
                    }

                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    position += 4;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    position += 1;
                    break;
            }
        }

        return false;
    }

    private static bool Resolves(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        MemberInfo? member;
        try
        {
            member = module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            return false;
        }

        return member switch
        {
            Type type => Names(type),
            FieldInfo field => Names(field.DeclaringType) || Names(field.FieldType),
            MethodInfo called => Names(called.DeclaringType) || Names(called.ReturnType)
                || (called.IsGenericMethod && called.GetGenericArguments().Any(Names)) || called.GetParameters().Any(p => Names(p.ParameterType)),
            ConstructorInfo constructor => Names(constructor.DeclaringType),
            _ => false,
        };
    }

    /// <summary>Code a host must not contain; the scan has to find each of its uses.</summary>
    private sealed class Offender(OpenCisDbContext db)
    {
        private readonly OpenCisDbContext kept = db;

        public static OpenCisDbContext Resolve(IServiceProvider services) => services.GetRequiredService<OpenCisDbContext>();

        public int Count() => kept.ChangeTracker.Entries().Count();
    }
}
