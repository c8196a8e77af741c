using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackpropService.Persistence.Configurations;

internal sealed class SweepEntityTypeConfiguration : IEntityTypeConfiguration<Sweep>
{
    public void Configure(EntityTypeBuilder<Sweep> builder)
    {
        builder.ToTable("Sweeps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Metric).HasMaxLength(32);
        builder.HasIndex(s => new { s.CreatedAt, s.Id });
        builder.Property(s => s.Owner).HasMaxLength(100).HasDefaultValue("");
        builder.Property(s => s.IdempotencyKey).HasMaxLength(200);
        builder.Property(s => s.RequestHash).HasMaxLength(64);
        builder.HasIndex(s => new { s.Owner, s.IdempotencyKey }).IsUnique();
    }
}
