using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Web.Security;

namespace OpenCIS.Tests.Web;

/// <summary>Which failures are "storage unavailable" (a 503 with Retry-After) and which stay a 500.</summary>
public sealed class StorageFailureTests
{
    [Fact]
    public void A_read_only_full_or_unreachable_database_is_storage_unavailable_and_a_bug_is_not()
    {
        Assert.Equal("the database is read-only", StorageUnavailableHandler.Cause(new SqliteException("attempt to write a readonly database", 8)));
        Assert.Equal("the disk is full", StorageUnavailableHandler.Cause(new DbUpdateException("save failed", new SqliteException("database or disk is full", 13))));
        Assert.Equal("the database file cannot be opened", StorageUnavailableHandler.Cause(new InvalidOperationException("outer", new SqliteException("unable to open database file", 14))));
        Assert.Equal("the disk is full", StorageUnavailableHandler.Cause(new IOException("No space left on device")));
        Assert.Null(StorageUnavailableHandler.Cause(new SqliteException("UNIQUE constraint failed: payments.id", 19)));
        Assert.Null(StorageUnavailableHandler.Cause(new InvalidOperationException("a bug")));
    }
}
