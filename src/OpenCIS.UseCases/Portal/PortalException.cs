namespace OpenCIS.UseCases.Portal;

/// <summary>
/// A customer's request the portal refuses, named by the key of its text (<see cref="PortalText"/>) so the customer reads it
/// in their language, and by the field at fault; the message is the English text, for logs and the API.
/// </summary>
public sealed class PortalException(string key, string? field = null, params object?[] args) : Exception(PortalText.Get("en", key, args))
{
    public string Key { get; } = key;

    public string? Field { get; } = field;

    public IReadOnlyList<object?> Args { get; } = args;

    /// <summary>The refusal in <paramref name="language"/>.</summary>
    public string In(string language) => PortalText.Get(language, Key, [.. Args]);
}

/// <summary>What a portal request asked for is not one of the signed-in customer's (or does not exist): answered as not found, never as "not yours".</summary>
public sealed class PortalNotFoundException(string what) : Exception($"{what} is not one of this login's.");
