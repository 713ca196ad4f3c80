using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using OpenCIS.Core.Common;

namespace OpenCIS.Web.Api;

/// <summary>
/// Every date the API binds (a parameter, or a property of a request body) must lie within
/// <see cref="IsoDate.Earliest"/> and <see cref="IsoDate.Latest"/>; one outside is a 400 naming the field,
/// before any workflow sees it. Dates the API parses from text go through <see cref="IsoDate.TryParse"/>.
/// </summary>
public sealed class DateBoundsFilter : IEndpointFilter
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> DateProperties = new();

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var parameters = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>()?.GetParameters();
        for (var index = 0; index < context.Arguments.Count; index++)
        {
            var argument = context.Arguments[index];
            var name = parameters is not null && index < parameters.Length ? parameters[index].Name ?? "date" : "date";
            if (OutOfRange(argument, name) is { } problem)
            {
                return ValueTask.FromResult<object?>(DomainExceptionFilter.Problem(problem.Field, problem.Message));
            }
        }

        return next(context);
    }

    private static (string Field, string Message)? OutOfRange(object? argument, string name)
    {
        switch (argument)
        {
            case null or string or HttpContext or CancellationToken:
                return null;
            case DateOnly date:
                return IsoDate.InRange(date) ? null : (name, IsoDate.OutOfRange(date) + ".");
        }

        var type = argument.GetType();
        if (type.IsPrimitive || type.IsEnum || type.Namespace?.StartsWith("Microsoft", StringComparison.Ordinal) == true || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
        {
            return null;
        }

        foreach (var property in DateProperties.GetOrAdd(type, Dates))
        {
            if (property.GetValue(argument) is DateOnly value && !IsoDate.InRange(value))
            {
                return (JsonNamingPolicy.CamelCase.ConvertName(property.Name), IsoDate.OutOfRange(value) + ".");
            }
        }

        return null;
    }

    private static PropertyInfo[] Dates(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.PropertyType == typeof(DateOnly) || p.PropertyType == typeof(DateOnly?)))
            .ToArray();
}
