using OpenCIS.UseCases.Jobs;

namespace OpenCIS.Tests.Persistence;

/// <summary>A host's job queue that takes jobs and runs none: the test runs them itself (<see cref="RunJob"/>) or only looks at what was started.</summary>
internal sealed class NoJobQueue : IJobQueue
{
    public Task EnqueueAsync(ActiveJob job, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
