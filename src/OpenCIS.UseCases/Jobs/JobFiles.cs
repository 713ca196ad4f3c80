using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Storage;

namespace OpenCIS.UseCases.Jobs;

/// <summary>A file a job works on, as uploaded: its name and its bytes.</summary>
public sealed record JobFile(string FileName, byte[] Content)
{
    /// <summary>The file's SHA-256 in hex: what names an import's work, so the same file is never imported twice at once.</summary>
    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(Content));

    /// <summary>The file's name as a job's description shows it: without its folder, and short.</summary>
    public string ShortName()
    {
        var name = Path.GetFileName(FileName);
        return name.Length <= 120 ? name : name[..117] + "...";
    }
}

/// <summary>Reads the file a job was started with (kept with the job until it ends).</summary>
public sealed class JobFiles(OpenCisDbContext db)
{
    public async Task<JobFile> ReadAsync(long jobId, CancellationToken cancellationToken = default) =>
        await db.JobFiles.AsNoTracking().Where(f => f.JobId == jobId).Select(f => new JobFile(f.FileName, f.Content)).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException($"Job {jobId} has no file left to work on; upload the file again.", "file");
}
