using System.Data.Common;
using BackpropService.Persistence.Dialects;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests.Dialects;

/// <summary>What the dialect tests share: a dialect for a provider, and errors as EF Core hands them over.</summary>
internal static class DialectErrors
{
    public static IDatabaseDialect For(DatabaseProvider provider, string connectionString) =>
        DatabaseDialect.For(new DatabaseSettings(provider, connectionString), busyTimeoutMilliseconds: 1_000);

    /// <summary>The provider's exception wrapped as SaveChanges throws it; the dialect has to look through the wrapping.</summary>
    public static DbUpdateException Wrapped(Exception inner) => new("An error occurred while saving the entity changes.", inner);

    /// <summary><paramref name="error"/>, wrapped, is a storage fault with <paramref name="reason"/> and not a unique violation.</summary>
    public static void AssertFault(IDatabaseDialect dialect, DbException error, string reason)
    {
        var fault = dialect.FindFault(Wrapped(error));
        Assert.NotNull(fault);
        Assert.Same(error, fault.Exception);
        Assert.Equal(reason, fault.Reason);
        Assert.False(dialect.IsUniqueViolation(Wrapped(error)));
    }

    public static void AssertNeitherFaultsNorUniqueViolations(IDatabaseDialect dialect, params Exception[] others)
    {
        foreach (var other in others)
        {
            Assert.Null(dialect.FindFault(other));
            Assert.False(dialect.IsUniqueViolation(other));
        }
    }
}
