using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackpropService.Persistence.Configurations;

internal sealed class NetworkEntityTypeConfiguration : IEntityTypeConfiguration<Network>
{
    public void Configure(EntityTypeBuilder<Network> builder)
    {
        builder.ToTable("Networks");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Name).HasMaxLength(200);
        builder.Property(n => n.Kind).HasMaxLength(16);
        builder.HasIndex(n => n.CreatedAt);
        builder.Property(n => n.Owner).HasMaxLength(100).HasDefaultValue("");
    }
}
