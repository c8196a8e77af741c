using System.Data.Common;
using BackpropService.Persistence.Bulk;
using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BackpropService.Persistence.Admission;

/// <summary>
/// The admission writer's own connection, kept open, with its statements prepared once: the queue's counts, the
/// inserts, and a savepoint around each admission so one failing row leaves the rest of its batch alone. One batch
/// is one transaction (<see cref="IDatabaseDialect.BeginAdmissionAsync"/>: admissions are serialised, across
/// replicas too), so the counts read at its start stay exact while its jobs are added. No owner filter: the caller
/// passes owners explicitly.
/// </summary>
/// <remarks>NOTE: raw statements, not LINQ: EF rebuilt, looked up and parameterised each query's expression tree per
/// request, half of an admission's CPU (docs/performance.md, "admit").</remarks>
public sealed class AdmissionStore : IAsyncDisposable
{
    private const string Queued = nameof(JobStatus.Queued), Running = nameof(JobStatus.Running);

    private readonly BackpropDbContext _db;
    private readonly IDatabaseDialect _dialect;
    private readonly DbConnection _connection;
    private readonly DbCommand _totals, _places, _savepoint, _release, _rollback;
    private readonly Dictionary<Type, object> _inserts = [];
    private readonly Dictionary<DbParameter, ValueConverter?> _converters = [];
    private DbTransaction? _transaction;
    private WriteTurn? _turn;
    private InsertCommand<TrainingJob>? _savepointedJob;

    private AdmissionStore(BackpropDbContext db, IDatabaseDialect dialect)
    {
        _db = db;
        _dialect = dialect;
        _connection = db.Database.GetDbConnection();
        var jobs = db.Model.FindEntityType(typeof(TrainingJob))!;
        _totals = Command($"""
            SELECT
              (SELECT COUNT(*) FROM "Jobs" WHERE "Status" = '{Queued}' AND "SweepId" IS NULL),
              (SELECT COUNT(DISTINCT "SweepId") FROM "Jobs" WHERE "Status" = '{Queued}' AND "SweepId" IS NOT NULL),
              (SELECT COUNT(*) FROM "Jobs" WHERE "Status" = '{Running}' AND "LeaseExpiresAt" < @now),
              (SELECT COUNT(*) FROM "Jobs" WHERE "Status" = '{Queued}' AND ("CreatedAt" < @created OR ("CreatedAt" = @created AND "Id" < @id))),
              CASE WHEN EXISTS (SELECT 1 FROM "Jobs" j WHERE j."Status" = '{Queued}' AND j."SweepId" IS NOT NULL
                AND EXISTS (SELECT 1 FROM "Sweeps" s WHERE s."Id" = j."SweepId" AND s."MaxConcurrent" IS NOT NULL)) THEN 1 ELSE 0 END
            """);
        Add(_totals, "now", jobs.FindProperty(nameof(TrainingJob.LeaseExpiresAt))!);
        Add(_totals, "created", jobs.FindProperty(nameof(TrainingJob.CreatedAt))!);
        Add(_totals, "id", jobs.FindProperty(nameof(TrainingJob.Id))!);
        _places = Command($"""
            SELECT
              (SELECT COUNT(*) FROM "Jobs" WHERE "Status" = '{Queued}' AND "SweepId" IS NULL AND "Owner" = @owner),
              (SELECT COUNT(DISTINCT "SweepId") FROM "Jobs" WHERE "Status" = '{Queued}' AND "SweepId" IS NOT NULL AND "Owner" = @owner)
            """);
        Add(_places, "owner", jobs.FindProperty(nameof(TrainingJob.Owner))!);
        _savepoint = Command("SAVEPOINT admission");
        _release = Command("RELEASE SAVEPOINT admission");
        _rollback = Command("ROLLBACK TO SAVEPOINT admission");
    }

    public static async Task<AdmissionStore> OpenAsync(IDbContextFactory<BackpropDbContext> dbs, IDatabaseDialect dialect, CancellationToken ct)
    {
        var db = await dbs.CreateDbContextAsync(ct);
        try
        {
            await db.Database.OpenConnectionAsync(ct);
            return new AdmissionStore(db, dialect);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    public async Task BeginAsync(CancellationToken ct)
    {
        _turn = await _dialect.TakeWriteTurnAsync(ct);
        try
        {
            _transaction = await _dialect.BeginAdmissionAsync(_connection, ct);
        }
        catch
        {
            PassTurn();
            throw;
        }
    }

    /// <summary>The queue's places in all, and what is claimed before a job created at <paramref name="created"/> with id <paramref name="id"/>.</summary>
    public async Task<QueueTotals> TotalsAsync(DateTime now, DateTime created, string id, CancellationToken ct)
    {
        Set(_totals, 0, now);
        Set(_totals, 1, created);
        Set(_totals, 2, id);
        await using var reader = await Run(_totals).ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new QueueTotals(
            Places: (int)(Count(reader, 0) + Count(reader, 1)),
            Ahead: (int)(Count(reader, 2) + Count(reader, 3)),
            BoundedSweepsWait: Count(reader, 4) != 0);
    }

    /// <summary>One owner's places in the queue: queued jobs of their own plus one per sweep with queued trials.</summary>
    public async Task<int> PlacesAsync(string owner, CancellationToken ct)
    {
        Set(_places, 0, owner);
        await using var reader = await Run(_places).ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (int)(Count(reader, 0) + Count(reader, 1));
    }

    // COUNT is a bigint on PostgreSQL and the CASE an integer; SQLite has one integer type.
    private static long Count(DbDataReader reader, int column) => Convert.ToInt64(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Inserts <paramref name="rows"/> in order (parents first) under a savepoint: all of them, or none when a row
    /// breaks the idempotency key's uniqueness or refers to a deleted network or dataset. Other errors propagate.
    /// </summary>
    public async Task<InsertOutcome> InsertAsync(IReadOnlyList<object> rows, CancellationToken ct)
    {
        try
        {
            if (rows is [TrainingJob job])
            {
                // The common case in one command (one round trip on PostgreSQL): savepoint, insert, release.
                _savepointedJob ??= InsertCommand<TrainingJob>.Create(_db, 1, _savepoint.CommandText, _release.CommandText);
                _savepointedJob.Bind(0, job);
                await _savepointedJob.ExecuteAsync(_transaction!, ct);
                return InsertOutcome.Inserted;
            }
            await Run(_savepoint).ExecuteNonQueryAsync(ct);
            foreach (var row in rows) await InsertRowAsync(row, ct);
        }
        catch (DbException ex) when (_dialect.IsUniqueViolation(ex) || _dialect.IsForeignKeyViolation(ex))
        {
            await Run(_rollback).ExecuteNonQueryAsync(ct);
            await Run(_release).ExecuteNonQueryAsync(ct);
            return _dialect.IsUniqueViolation(ex) ? InsertOutcome.DuplicateKey : InsertOutcome.MissingParts;
        }
        await Run(_release).ExecuteNonQueryAsync(ct);
        return InsertOutcome.Inserted;
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        var transaction = _transaction!;
        _transaction = null;
        try { await transaction.CommitAsync(ct); }
        finally
        {
            await transaction.DisposeAsync();
            PassTurn();
        }
    }

    public async Task RollbackAsync()
    {
        if (_transaction is not { } transaction) return;
        _transaction = null;
        try { await transaction.RollbackAsync(); }
        finally
        {
            await transaction.DisposeAsync();
            PassTurn();
        }
    }

    private void PassTurn()
    {
        _turn?.Pass();
        _turn = null;
    }

    public async ValueTask DisposeAsync()
    {
        await RollbackAsync();
        foreach (var command in new[] { _totals, _places, _savepoint, _release, _rollback }) await command.DisposeAsync();
        foreach (var insert in _inserts.Values) await ((IAsyncDisposable)insert).DisposeAsync();
        if (_savepointedJob is not null) await _savepointedJob.DisposeAsync();
        await _db.DisposeAsync();
    }

    private Task InsertRowAsync(object row, CancellationToken ct) => row switch
    {
        TrainingJob job => InsertRowAsync(job, ct),
        Network network => InsertRowAsync(network, ct),
        Dataset dataset => InsertRowAsync(dataset, ct),
        InitialWeights weights => InsertRowAsync(weights, ct),
        _ => throw new ArgumentException($"An admission does not insert {row.GetType().Name} rows.", nameof(row)),
    };

    private Task<int> InsertRowAsync<T>(T row, CancellationToken ct) where T : class
    {
        if (!_inserts.TryGetValue(typeof(T), out var made)) _inserts[typeof(T)] = made = InsertCommand<T>.Create(_db, 1);
        var insert = (InsertCommand<T>)made;
        insert.Bind(0, row);
        return insert.ExecuteAsync(_transaction!, ct);
    }

    private DbCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private DbCommand Run(DbCommand command)
    {
        command.Transaction = _transaction;
        return command;
    }

    private void Add(DbCommand command, string name, IProperty property)
    {
        var mapping = property.GetRelationalTypeMapping();
        var parameter = mapping.CreateParameter(command, name, null, property.IsNullable);
        command.Parameters.Add(parameter);
        _converters[parameter] = mapping.Converter;
    }

    // Through the column's value converter, as EF stores and compares it (UTC timestamps).
    private void Set(DbCommand command, int index, object value)
    {
        var parameter = command.Parameters[index];
        parameter.Value = _converters[parameter] is { } converter ? converter.ConvertToProvider(value)! : value;
    }
}
