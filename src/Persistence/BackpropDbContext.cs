using BackpropService.Persistence.Configurations;
using BackpropService.Persistence.Entities;
using BackpropService.Persistence.Dialects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackpropService.Persistence;

/// <summary>The service's database: networks, datasets, jobs (the queue of record), history, checkpoints, weights.</summary>
/// <remarks>
/// Migrations are checked in under <c>Migrations/</c>. After changing the model, from the repository root run:
/// <code>dotnet tool restore &amp;&amp; dotnet ef migrations add NAME --project src/Persistence --startup-project src/Api --context BackpropDbContext</code>
/// (the first one was made with NAME = Initial), then the PostgreSQL one (see <see cref="PostgresBackpropDbContext"/>).
/// The dialect's <see cref="Dialects.IDatabaseDialect.Initialize"/> applies them at start.
/// <para>
/// NOTE: not sealed, and built from the non-generic options, so <see cref="PostgresBackpropDbContext"/> can share this
/// model while keeping its own migrations (EF finds migrations by the context's type).
/// </para>
/// </remarks>
public class BackpropDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Network> Networks => Set<Network>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<TrainingJob> Jobs => Set<TrainingJob>();
    public DbSet<Sweep> Sweeps => Set<Sweep>();
    public DbSet<LossChunk> LossChunks => Set<LossChunk>();
    public DbSet<Checkpoint> Checkpoints => Set<Checkpoint>();
    public DbSet<WeightSnapshot> WeightSnapshots => Set<WeightSnapshot>();
    public DbSet<InitialWeights> InitialWeights => Set<InitialWeights>();

    /// <summary>
    /// When set (API keys on), this context sees only that owner's networks, datasets, jobs and sweeps, and only those jobs'
    /// history, checkpoints and weights, in every query, update and delete. Null: everything (the worker).
    /// </summary>
    public string? OwnerFilter { get; set; }

    /// <summary>The engine's dialect, set by the factory (<see cref="BackpropDbContextFactory"/>); null on a context made without it (tests).</summary>
    internal IDatabaseDialect? Dialect { get; set; }

    /// <summary>
    /// Begins a write transaction in this process's turn to write (<see cref="IDatabaseDialect.TakeWriteTurnAsync"/>):
    /// every write transaction of the service begins here. Disposing, committing or rolling it back passes the turn on.
    /// </summary>
    public async Task<IDbContextTransaction> BeginWriteAsync(CancellationToken ct = default)
    {
        var turn = Dialect is null ? null : await Dialect.TakeWriteTurnAsync(ct);
        if (turn is null) return await Database.BeginTransactionAsync(ct);
        try
        {
            return new TurnTransaction(await Database.BeginTransactionAsync(ct), turn);
        }
        catch
        {
            turn.Pass();
            throw;
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new NetworkEntityTypeConfiguration());
        modelBuilder.ApplyConfiguration(new DatasetEntityTypeConfiguration());
        modelBuilder.ApplyConfiguration(new TrainingJobEntityTypeConfiguration());
        modelBuilder.ApplyConfiguration(new SweepEntityTypeConfiguration());
        modelBuilder.ApplyConfiguration(new LossChunkEntityTypeConfiguration());
        modelBuilder.ApplyConfiguration(new CheckpointEntityTypeConfiguration());
        modelBuilder.ApplyConfiguration(new WeightSnapshotEntityTypeConfiguration());
        modelBuilder.ApplyConfiguration(new InitialWeightsEntityTypeConfiguration());
        // NOTE: query filters are not part of the migrations' model, so adding them needs no migration.
        modelBuilder.Entity<Network>().HasQueryFilter(n => OwnerFilter == null || n.Owner == OwnerFilter);
        modelBuilder.Entity<Dataset>().HasQueryFilter(d => OwnerFilter == null || d.Owner == OwnerFilter);
        modelBuilder.Entity<TrainingJob>().HasQueryFilter(j => OwnerFilter == null || j.Owner == OwnerFilter);
        modelBuilder.Entity<Sweep>().HasQueryFilter(s => OwnerFilter == null || s.Owner == OwnerFilter);
        modelBuilder.Entity<LossChunk>().HasQueryFilter(c => OwnerFilter == null || Set<TrainingJob>().Any(j => j.Id == c.JobId && j.Owner == OwnerFilter));
        modelBuilder.Entity<Checkpoint>().HasQueryFilter(c => OwnerFilter == null || Set<TrainingJob>().Any(j => j.Id == c.JobId && j.Owner == OwnerFilter));
        modelBuilder.Entity<WeightSnapshot>().HasQueryFilter(w => OwnerFilter == null || Set<TrainingJob>().Any(j => j.Id == w.JobId && j.Owner == OwnerFilter));
        modelBuilder.Entity<InitialWeights>().HasQueryFilter(w => OwnerFilter == null || Set<TrainingJob>().Any(j => j.Id == w.JobId && j.Owner == OwnerFilter));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
