using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackpropService.Persistence.Configurations;

internal sealed class WeightSnapshotEntityTypeConfiguration : IEntityTypeConfiguration<WeightSnapshot>
{
    public void Configure(EntityTypeBuilder<WeightSnapshot> builder)
    {
        builder.ToTable("WeightSnapshots");
        builder.HasKey(w => w.JobId);
        builder.HasOne<TrainingJob>().WithOne().HasForeignKey<WeightSnapshot>(w => w.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
