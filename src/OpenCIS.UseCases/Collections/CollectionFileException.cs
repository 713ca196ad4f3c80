using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Collections;

/// <summary>A collection policy or scenario file that cannot be read, with every problem named by line and field.</summary>
public sealed class CollectionFileException(IReadOnlyList<FileError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    public IReadOnlyList<FileError> Errors { get; } = errors;
}
