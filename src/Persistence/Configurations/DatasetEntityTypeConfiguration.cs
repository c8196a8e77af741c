using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackpropService.Persistence.Configurations;

internal sealed class DatasetEntityTypeConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> builder)
    {
        builder.ToTable("Datasets");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.HasIndex(d => d.CreatedAt);
        builder.Property(d => d.Owner).HasMaxLength(100).HasDefaultValue("");
    }
}
