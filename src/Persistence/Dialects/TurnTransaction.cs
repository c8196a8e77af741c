using System.Data.Common;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// A transaction begun in a writer's turn (<see cref="WriteTurns"/>): the turn passes on as the transaction ends,
/// committed, rolled back or disposed, whichever comes first. Everything else is the transaction's own.
/// </summary>
internal sealed class TurnTransaction(IDbContextTransaction inner, WriteTurn turn) : IDbContextTransaction, IInfrastructure<DbTransaction>
{
    public Guid TransactionId => inner.TransactionId;

    public bool SupportsSavepoints => inner.SupportsSavepoints;

    DbTransaction IInfrastructure<DbTransaction>.Instance => inner.GetDbTransaction();

    public void Commit()
    {
        try { inner.Commit(); }
        finally { Pass(); }
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        try { await inner.CommitAsync(cancellationToken); }
        finally { Pass(); }
    }

    public void Rollback()
    {
        try { inner.Rollback(); }
        finally { Pass(); }
    }

    public async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        try { await inner.RollbackAsync(cancellationToken); }
        finally { Pass(); }
    }

    public void CreateSavepoint(string name) => inner.CreateSavepoint(name);

    public Task CreateSavepointAsync(string name, CancellationToken cancellationToken = default) => inner.CreateSavepointAsync(name, cancellationToken);

    public void RollbackToSavepoint(string name) => inner.RollbackToSavepoint(name);

    public Task RollbackToSavepointAsync(string name, CancellationToken cancellationToken = default) => inner.RollbackToSavepointAsync(name, cancellationToken);

    public void ReleaseSavepoint(string name) => inner.ReleaseSavepoint(name);

    public Task ReleaseSavepointAsync(string name, CancellationToken cancellationToken = default) => inner.ReleaseSavepointAsync(name, cancellationToken);

    public void Dispose()
    {
        try { inner.Dispose(); }
        finally { Pass(); }
    }

    public async ValueTask DisposeAsync()
    {
        try { await inner.DisposeAsync(); }
        finally { Pass(); }
    }

    private void Pass() => turn.Pass();
}
