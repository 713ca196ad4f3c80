namespace OpenCIS.Core.Common;

/// <summary>
/// An illegal request or state change, stated in words a clerk understands. The hosts turn it
/// into a problem details response (API) or a message on the screen; it is never swallowed.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(string message, string? field = null) : base(message) => Field = field;

    public DomainException() : base("The request is not allowed.")
    {
    }

    public DomainException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The input field at fault, when there is one (for problem details).</summary>
    public string? Field { get; }
}
