using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackpropService.Persistence.Configurations;

internal sealed class TrainingJobEntityTypeConfiguration : IEntityTypeConfiguration<TrainingJob>
{
    public void Configure(EntityTypeBuilder<TrainingJob> builder)
    {
        builder.ToTable("Jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Network>().WithMany().HasForeignKey(j => j.NetworkId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dataset>().WithMany().HasForeignKey(j => j.DatasetId).OnDelete(DeleteBehavior.Restrict);
        // The worker's claim query (oldest queued first) and the listing (newest first, by status) use these.
        // NOTE: Id too, the order's tie-break: a sweep's trials share one CreatedAt, and without it each claim sorted
        // every queued trial of the sweep in a temporary B-tree (docs/performance.md, "the claim's seek").
        builder.HasIndex(j => new { j.Status, j.CreatedAt, j.Id });
        builder.HasIndex(j => new { j.CreatedAt, j.Id });
        builder.Property(j => j.Owner).HasMaxLength(100).HasDefaultValue("");
        builder.Property(j => j.IdempotencyKey).HasMaxLength(200);
        builder.Property(j => j.RequestHash).HasMaxLength(64);
        builder.Property(j => j.Tags).HasDefaultValue("");
        // NOTE: one job per key and owner is a database fact; rows without a key (NULL) never collide.
        builder.HasIndex(j => new { j.Owner, j.IdempotencyKey }).IsUnique();
        // A sweep's counts (grouped by status) and the claim's running count per sweep use this.
        // NOTE: no foreign key to Sweeps (sweeps are never deleted): on SQLite adding one rebuilds the Jobs table with
        // foreign keys off, a step EF cannot run inside the migration's transaction.
        builder.HasIndex(j => new { j.SweepId, j.Status });
    }
}
